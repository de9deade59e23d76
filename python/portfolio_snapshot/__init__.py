"""portfolio_snapshot: score how far school systems have implemented the
portfolio strategy, following CRPE's snapshot rubric and its 2016 report
*Sticking Points*.

>>> import portfolio_snapshot as ps
>>> panel = ps.datasets.demo_panel()          # synthetic ratings
>>> summary = ps.summarize(panel)             # one row per district
>>> ranking = ps.rank_components(panel)       # Figure 6
"""

from __future__ import annotations

from . import datasets
from ._analysis import (
    QUADRANTS,
    eligible,
    rank_components,
    rank_elements,
    report_findings,
    score,
    score_array,
    sticking_points,
    summarize,
)
from ._core import (
    NA_VALUES,
    DuplicateError,
    InputError,
    PortfolioError,
    RatingError,
    RubricError,
    ShapeError,
    __version__,
    instruction_set,
)
from ._district import path_to_advanced, profile
from ._errors import PortfolioWarning
from ._mixed import MixedPanel
from ._panel import Panel
from ._raters import consensus, rater_agreement
from ._reliability import cronbach_alpha, leave_one_out
from ._rubric import Rubric
from ._sensitivity import sensitivity, sensitivity_runs
from ._trends import compare, trends
from ._uncertainty import uncertainty, uncertainty_draws

__all__ = [
    "NA_VALUES",
    "QUADRANTS",
    "DuplicateError",
    "InputError",
    "MixedPanel",
    "Panel",
    "PortfolioError",
    "PortfolioWarning",
    "RatingError",
    "Rubric",
    "RubricError",
    "ShapeError",
    "__version__",
    "compare",
    "consensus",
    "cronbach_alpha",
    "datasets",
    "eligible",
    "instruction_set",
    "leave_one_out",
    "path_to_advanced",
    "plot",
    "profile",
    "rank_components",
    "rank_elements",
    "rater_agreement",
    "report_findings",
    "score",
    "score_array",
    "sensitivity",
    "sensitivity_runs",
    "sticking_points",
    "summarize",
    "trends",
    "uncertainty",
    "uncertainty_draws",
]


def __getattr__(name: str) -> object:
    # ``ps.plot`` imports matplotlib, an optional extra: only on first use.
    if name == "plot":
        import importlib

        return importlib.import_module(".plot", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
