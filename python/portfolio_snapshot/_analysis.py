"""The report's analyses as DataFrames.

Each function passes its options to the core as given (``None`` means the
core's default) and turns the core's table into a DataFrame; the options in
force, resolved by the core, are in ``frame.attrs``.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import overload

import numpy as np
import pandas as pd

from . import _core
from ._errors import PortfolioWarning, boundary
from ._frames import frame
from ._input import is_table
from ._mixed import MixedPanel, core_mixed
from ._panel import Panel, _cells, _check_frame, _require_columns
from ._rubric import Rubric
from ._types import ScoreArrays

#: The four quadrants of Figure 4, in the report's order (from the core).
QUADRANTS: tuple[str, ...] = tuple(_core.quadrant_labels())

Missing = str | float
Weights = Sequence[float] | Mapping[str, float]
Cut = float | str


def _core_panel(panel: object) -> _core.Panel:
    if isinstance(panel, Panel):
        return panel._core
    if isinstance(panel, _core.Panel):
        return panel
    if core_mixed(panel) is not None:
        raise _core.InputError(
            "this analysis needs one element list, and a MixedPanel mixes rubric versions: "
            "run it on panel.translated (every snapshot on the target's elements through the "
            "crosswalk) or on one version in panel.parts; score, trends and compare take a "
            "MixedPanel"
        )
    raise _core.InputError(f"expected a portfolio_snapshot.Panel, not {type(panel).__name__}")


def _over_time(panel: object) -> _core.Panel | _core.MixedPanel:
    """The core of a panel, or of a MixedPanel for the analyses that run
    across rubric versions (scores, trends, comparisons)."""
    mixed = core_mixed(panel)
    return mixed if mixed is not None else _core_panel(panel)


@boundary
def score(
    panel: Panel | MixedPanel,
    *,
    missing: Missing | None = None,
    aggregation: str | None = None,
    weights: Weights | None = None,
    advanced_level: float | None = None,
    advanced_share: float | None = None,
) -> pd.DataFrame:
    """Per-snapshot scores.

    Parameters
    ----------
    panel : Panel
    missing : {"skip", "strict"} or float, optional
        ``"skip"`` (the default): means over what is rated; ``"strict"``: any
        missing rating raises :class:`RatingError`; a number ``f`` in [0, 1]:
        a component with less than ``f`` of its elements rated scores NaN.
    aggregation : {"mean_of_means", "pooled"}, optional
        Overall score as the mean of component means (the default, the
        report's rule) or the mean of all rated elements.
    weights : sequence of float or mapping, optional
        Component weights for ``mean_of_means``, in rubric order or by
        component short name (default: the rubric's, equal). Only their
        ratios matter.
    advanced_level, advanced_share : float, optional
        A snapshot is advanced when more than ``advanced_share`` (default
        one half) of its components band at ``advanced_level`` (default: the
        level below the top, 4 "In progress" for CRPE) or better.

    Returns
    -------
    DataFrame
        Indexed by (district, date); one column per component short name,
        then ``overall``, ``spread`` (population variance of the rated
        elements), ``coverage`` (share rated) and ``advanced``.
    """
    return frame(
        _core.score(
            _over_time(panel),
            missing=missing,
            aggregation=aggregation,
            weights=weights,
            advanced_level=advanced_level,
            advanced_share=advanced_share,
        )
    )


@boundary
def summarize(
    panel: Panel,
    *,
    basis: str | None = None,
    y_cut: Cut | None = None,
    x_cut: Cut | None = None,
    missing: Missing | None = None,
    aggregation: str | None = None,
    weights: Weights | None = None,
    advanced_level: float | None = None,
    advanced_share: float | None = None,
    spread: str | None = None,
) -> pd.DataFrame:
    """District summaries: the report's Figures 3-5 as one table.

    Parameters
    ----------
    basis : {"average", "recent"}, optional
        ``"average"`` (the default): each element's mean over the district's
        snapshots (the report's "over time"); ``"recent"``: the most recent
        snapshot.
    y_cut : float or {"mean", "median", "midpoint"}, optional
        Score cut between strong and weaker (default: the scale midpoint,
        3.0 for CRPE).
    x_cut : float or {"mean", "median"}, optional
        Spread cut between consistent and piecemeal (default: the mean spread
        of the districts analysed). A value on a cut goes to the upper side,
        decided exactly.
    missing, aggregation, weights, advanced_level, advanced_share
        As in :func:`score`.
    spread : {"basis", "mean_of_snapshots"}, optional
        ``"basis"`` (the default, the report's rule): the population
        variance of the district's basis values. ``"mean_of_snapshots"``:
        the mean over the basis's snapshots of each snapshot's population
        variance. On the average basis the report's spread shrinks as a
        district adds snapshots (its elements are averaged over time before
        the variance is taken); the mean of per-snapshot spreads says how
        uneven the district is at any one time. On the recent basis they are
        the same.

    Returns
    -------
    DataFrame
        Indexed by district: ``score``, ``spread``, ``recent_progress``,
        ``advanced``, ``quadrant`` (ordered categorical), ``n_snapshots``,
        ``first_date``, ``last_date``, ``coverage`` (the share of elements
        rated on the basis: at least once over time on the average basis),
        ``cell_coverage`` (the share of the basis's snapshot x element cells
        rated), ``unscored_reason`` (why a district has no score; such a
        district has no quadrant, no rank and no place in the figures, and a
        :class:`PortfolioWarning` names it) and one column per component.
        ``frame.attrs`` holds the options in force as the core resolved them
        (``basis``, ``y_cut``, ``x_cut``, ``advanced_level``, ...) and
        ``description``, a sentence for each.

        ``spread`` is the report's rule: the population variance of the
        district's basis values (each element's mean over time on the
        average basis). Averaging over time smooths the elements, so a
        district with many snapshots shows a smaller spread than its
        snapshots have one by one.

        ``recent_progress`` is the latest snapshot's overall score minus the
        mean of the overall scores of all the district's snapshots (those
        without an overall score left out). With missing ratings this is not
        "latest score minus the score on the average basis". Worked example,
        one component of two elements A and B: snapshot 1 rates A = 2,
        B = 5 (score 3.5); snapshot 2 rates A = 4 and leaves B unrated (score
        4). Recent progress is 4 - (3.5 + 4) / 2 = 0.25. The average basis
        holds A = (2 + 4) / 2 = 3 and B = 5 (rated once), a score of 4, so
        "latest minus average-basis score" would be 0.
    """
    result = frame(
        _core.summarize(
            _core_panel(panel),
            basis=basis,
            missing=missing,
            aggregation=aggregation,
            weights=weights,
            y_cut=y_cut,
            x_cut=x_cut,
            advanced_level=advanced_level,
            advanced_share=advanced_share,
            spread=spread,
        )
    )
    if result.attrs.get("unscored_warning"):
        warnings.warn(str(result.attrs["unscored_warning"]), PortfolioWarning, stacklevel=3)
    return result


@boundary
def rank_components(
    panel: Panel,
    *,
    basis: str | None = None,
    missing: Missing | None = None,
    aggregation: str | None = None,
    weights: Weights | None = None,
) -> pd.DataFrame:
    """Components ranked by their mean score across districts (Figure 6),
    highest first; exactly equal means keep rubric order.

    Returns
    -------
    DataFrame
        Indexed by ``rank`` (1 = highest): ``component_id``, ``component``
        (short name), ``mean_score``, ``n_districts``.
    """
    return frame(
        _core.rank_components(
            _core_panel(panel),
            basis=basis,
            missing=missing,
            aggregation=aggregation,
            weights=weights,
        )
    )


@boundary
def rank_elements(panel: Panel, *, basis: str | None = None) -> pd.DataFrame:
    """Elements ranked by their mean rating across districts, highest first;
    exactly equal means keep rubric order.

    Returns
    -------
    DataFrame
        Indexed by ``rank``: ``element_id``, ``element`` (text), ``component``
        (short name), ``mean_score``, ``n_districts``.
    """
    return frame(_core.rank_elements(_core_panel(panel), basis=basis))


@boundary
def sticking_points(
    panel: Panel, n: int | None = None, *, basis: str | None = None
) -> pd.DataFrame:
    """The ``n`` lowest-ranked elements (default 5), lowest first; elements
    nobody rated are not sticking points."""
    return frame(_core.sticking_points(_core_panel(panel), n=n, basis=basis))


@boundary
def report_findings(panel: Panel) -> pd.DataFrame:
    """The 2016 report's published findings about named districts,
    components and elements, checked on ``panel`` under the default options.

    Returns
    -------
    DataFrame
        Indexed by ``id``: ``finding`` (the statement as checked), ``source``
        (where the report says it, quoted), ``holds`` and ``detail`` (the
        numbers behind the verdict). The synthetic demo panel is built so
        that every finding holds; a panel of the report's districts rated by
        you can be checked the same way.
    """
    return frame(_core.report_findings(_core_panel(panel)))


@boundary
def score_array(
    ratings: object,
    rubric: Rubric | str | None = None,
    *,
    missing: Missing | None = None,
    aggregation: str | None = None,
    weights: Weights | None = None,
    out: ScoreArrays | None = None,
) -> ScoreArrays:
    """The fast path: score a (snapshots x elements) matrix in rubric column order.

    A float64 array of any order or strides is read in place (no copy);
    integer arrays and nested lists are converted first; bools, complex
    numbers and text are refused. The interpreter is released while the
    scores are computed.

    A DataFrame (pandas, polars, pyarrow) is read by its column labels, not
    their positions: every column must be an element id of the rubric and
    every element must have one, in any order (``panel.to_wide()`` is one).

    Parameters
    ----------
    out
        Arrays to write the scores into instead of allocating new ones (as
        numpy's ``out=``): a mapping with the four arrays a previous call
        returned, or any float64, C-contiguous, writeable arrays of the same
        shapes that share no memory with ``ratings`` or each other. Reusing
        them saves the cost of fresh memory pages in a loop. On an error
        they may be partly written.

    Returns
    -------
    dict
        ``components`` (rows x components), ``overall``, ``spread``,
        ``coverage`` (each one value per row); ``out`` itself when given.

    Examples
    --------
    >>> import numpy as np, portfolio_snapshot as ps
    >>> first = ps.score_array(np.full((2, 36), 3.0))
    >>> again = ps.score_array(np.full((2, 36), 4.0), out=first)
    >>> again is first, first["overall"].tolist()
    (True, [4.0, 4.0])
    """
    r = Rubric._coerce(rubric) if rubric is not None else None
    if not isinstance(ratings, np.ndarray) and is_table(ratings):
        df = _check_frame(ratings)
        order = _core.element_columns(Rubric._coerce(r)._core, list(df.columns))
        ratings = np.column_stack([_cells(df.iloc[:, i]) for i in order])
    return _core.score_array(
        ratings,
        None if r is None else r._core,
        missing=missing,
        aggregation=aggregation,
        weights=weights,
        out=out,
    )


@overload
def eligible(  # type: ignore[overload-overlap]  # a Panel is not a table
    roster: Panel,
    *,
    min_snapshots: int | None = None,
    since: object = None,
) -> Panel: ...
@overload
def eligible(
    roster: pd.DataFrame | object,
    *,
    min_snapshots: int | None = None,
    since: object = None,
    district: str | None = None,
    last: str | None = None,
    n_snapshots: str | None = None,
) -> pd.DataFrame: ...
@boundary
def eligible(
    roster: Panel | pd.DataFrame | object,
    *,
    min_snapshots: int | None = None,
    since: object = None,
    district: str | None = None,
    last: str | None = None,
    n_snapshots: str | None = None,
) -> Panel | pd.DataFrame:
    """The districts with enough snapshot data to analyse: at least
    ``min_snapshots`` snapshots (default 3), the last in ``since`` (default
    January 2014) or later: the report's rule, which keeps 25 of the 52
    Figure 2 districts. Dates may be written as the report prints them
    ("Jan. 2016").

    Given a roster table (district, date of the last snapshot, number of
    snapshots), the rows that meet the rule. Given a :class:`Panel`, the
    panel of the districts whose own snapshots meet it:

    >>> cohort = ps.eligible(panel.as_of("Jan. 2016"))  # doctest: +SKIP
    """
    if isinstance(roster, Panel):
        for name, given in (("district", district), ("last", last), ("n_snapshots", n_snapshots)):
            if given is not None:
                raise _core.InputError(
                    f"invalid parameter {name}: a panel's own history has no columns to name"
                )
        return Panel(roster._core.eligible(min_snapshots, since))
    d0, l0, n0 = _core.ROSTER_COLUMNS
    cols = {
        "district": d0 if district is None else district,
        "last": l0 if last is None else last,
        "n_snapshots": n0 if n_snapshots is None else n_snapshots,
    }
    roster = _require_columns(_check_frame(roster), cols)
    mask = _core.eligible_mask(
        roster[cols["district"]].tolist(),
        roster[cols["n_snapshots"]].tolist(),
        roster[cols["last"]].tolist(),
        min_snapshots=min_snapshots,
        since=since,
    )
    return roster[np.asarray(mask, dtype=bool)]
