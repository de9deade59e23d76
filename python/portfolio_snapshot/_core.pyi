# Hand-written stubs of the Rust extension; `python -m mypy.stubtest
# portfolio_snapshot._core` (run by `make test`) keeps them honest.
#
# Every analysis returns a `Table`: named columns in order, the names of the
# index columns, and the options in force as attributes. The package's one
# adapter, `portfolio_snapshot._frames.frame`, turns any of them into a
# DataFrame.

from collections.abc import Callable, Iterable, Mapping, Sequence
from os import PathLike
from typing import Any, final

import numpy as np
import numpy.typing as npt

from portfolio_snapshot._types import (
    ColumnsFound,
    DrawsTable,
    Labels,
    ReportUncertainty,
    ScoreArrays,
    Table,
)

__all__ = [
    "COLORMAPS",
    "CROSSWALK_COLUMNS",
    "DEFAULT_STICKING_POINTS",
    "DEMO_LABEL",
    "LONG_COLUMNS",
    "NA_VALUES",
    "ROSTER_COLUMNS",
    "RUBRIC_SCHEMA",
    "DuplicateError",
    "InputError",
    "MixedPanel",
    "Panel",
    "PortfolioError",
    "RatingError",
    "Rubric",
    "RubricError",
    "ShapeError",
    "__version__",
    "band_values",
    "basis_ratings",
    "compare",
    "consensus",
    "cronbach_alpha",
    "crosswalk_2012_2016",
    "demo_mixed_panel",
    "demo_panel",
    "element_columns",
    "eligible_mask",
    "instruction_set",
    "leave_one_out",
    "network_roster",
    "path_to_advanced",
    "profile",
    "quadrant_labels",
    "rank_components",
    "rank_elements",
    "rater_agreement",
    "rater_column",
    "report_findings",
    "report_uncertainty_defaults",
    "resolve_columns",
    "score",
    "score_array",
    "sensitivity",
    "sensitivity_runs",
    "sticking_points",
    "summarize",
    "trends",
    "uncertainty",
    "uncertainty_draws",
    "version_column",
]

__version__: str
DEMO_LABEL: str
DEFAULT_STICKING_POINTS: int
NA_VALUES: list[str]
LONG_COLUMNS: list[str]
ROSTER_COLUMNS: list[str]
RUBRIC_SCHEMA: str
COLORMAPS: list[str]
CROSSWALK_COLUMNS: list[str]

class PortfolioError(ValueError): ...
class RubricError(PortfolioError): ...
class RatingError(PortfolioError): ...
class ShapeError(PortfolioError): ...
class DuplicateError(PortfolioError): ...
class InputError(PortfolioError): ...

_F64 = npt.NDArray[np.float64]

_Source = str | bytes | PathLike[str]
_Number = float | int
_Weights = Sequence[_Number] | Mapping[str, _Number]
_Missing = str | _Number
_Cut = str | _Number
_Pair = tuple[_Number, _Number]

@final
class Rubric:
    @staticmethod
    def crpe_2016() -> Rubric: ...
    @staticmethod
    def crpe_2012() -> Rubric: ...
    @staticmethod
    def builtin(id: str) -> Rubric: ...
    @staticmethod
    def load(source: _Source) -> Rubric: ...
    @staticmethod
    def from_json(source: _Source) -> Rubric: ...
    @staticmethod
    def from_toml(source: _Source) -> Rubric: ...
    def to_json(self) -> str: ...
    def to_toml(self) -> str: ...
    @property
    def id(self) -> str: ...
    @property
    def version(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def source(self) -> str | None: ...
    @property
    def element_ids(self) -> list[str]: ...
    @property
    def component_names(self) -> list[str]: ...
    @property
    def n_elements(self) -> int: ...
    @property
    def midpoint(self) -> float: ...
    def elements_table(self) -> Table: ...
    def components_table(self) -> Table: ...
    def scale_table(self) -> Table: ...
    def band(self, score: _Number) -> float | None: ...
    def bands(self, scores: Iterable[_Number]) -> list[float | None]: ...
    def labels(self, aggregation: str | None = None) -> Labels: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...
    def __reduce__(self) -> tuple[Any, ...]: ...

@final
class Panel:
    @staticmethod
    def from_long(
        rubric: Rubric | None,
        districts: Sequence[object],
        dates: Sequence[object] | tuple[npt.ArrayLike, npt.ArrayLike],
        elements: Sequence[object],
        ratings: npt.NDArray[Any] | Sequence[object],
        half_steps: bool | None = None,
        na_values: str | Iterable[str] | None = None,
    ) -> Panel: ...
    @staticmethod
    def from_columns(
        rubric: Rubric | None,
        districts: Sequence[object],
        dates: Sequence[object] | tuple[npt.ArrayLike, npt.ArrayLike],
        column_ids: Sequence[object],
        columns: list[npt.NDArray[Any] | Sequence[object]],
        half_steps: bool | None = None,
        na_values: str | Iterable[str] | None = None,
    ) -> Panel: ...
    @staticmethod
    def _restore(
        rubric: Rubric,
        districts: list[str],
        dates: list[str],
        ratings: _F64,
        half_steps: bool,
        label: str | None,
        synthetic: bool,
        columns: str | None = None,
    ) -> Panel: ...
    def with_provenance(
        self, label: str | None = None, synthetic: bool | None = None, columns: str | None = None
    ) -> Panel: ...
    def select(
        self,
        districts: str | Iterable[str] | None = None,
        start: object = None,
        end: object = None,
    ) -> Panel: ...
    def as_of(self, date: object) -> Panel: ...
    def translate(self, target: Rubric) -> Panel: ...
    def eligible(self, min_snapshots: int | None = None, since: object = None) -> Panel: ...
    @property
    def consensus(self) -> str | None: ...
    @property
    def rubric(self) -> Rubric: ...
    @property
    def ratings(self) -> _F64: ...
    @property
    def row_districts(self) -> list[str]: ...
    @property
    def row_dates(self) -> list[str]: ...
    @property
    def districts(self) -> list[str]: ...
    @property
    def n_snapshots(self) -> int: ...
    @property
    def n_districts(self) -> int: ...
    @property
    def half_steps(self) -> bool: ...
    @property
    def label(self) -> str | None: ...
    @property
    def synthetic(self) -> bool: ...
    @property
    def columns_read(self) -> str | None: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...
    def __reduce__(self) -> tuple[Any, ...]: ...

def score(
    panel: Panel | MixedPanel,
    missing: _Missing | None = None,
    aggregation: str | None = None,
    weights: _Weights | None = None,
    advanced_level: _Number | None = None,
    advanced_share: _Number | None = None,
) -> Table: ...
def summarize(
    panel: Panel,
    basis: str | None = None,
    missing: _Missing | None = None,
    aggregation: str | None = None,
    weights: _Weights | None = None,
    y_cut: _Cut | None = None,
    x_cut: _Cut | None = None,
    advanced_level: _Number | None = None,
    advanced_share: _Number | None = None,
    spread: str | None = None,
) -> Table: ...
def rank_components(
    panel: Panel,
    basis: str | None = None,
    missing: _Missing | None = None,
    aggregation: str | None = None,
    weights: _Weights | None = None,
) -> Table: ...
def rank_elements(panel: Panel, basis: str | None = None) -> Table: ...
def trends(
    panel: Panel | MixedPanel,
    missing: _Missing | None = None,
    aggregation: str | None = None,
    weights: _Weights | None = None,
    min_snapshots: int | None = None,
    stall_band: _Number | None = None,
) -> Table: ...
def profile(
    panel: Panel, district: str, basis: str | None = None, n_weakest: int | None = None
) -> Table: ...
def path_to_advanced(
    panel: Panel,
    district: str,
    basis: str | None = None,
    missing: _Missing | None = None,
    aggregation: str | None = None,
    weights: _Weights | None = None,
    advanced_level: _Number | None = None,
    advanced_share: _Number | None = None,
) -> Table: ...
def cronbach_alpha(panel: Panel, basis: str | None = None) -> Table: ...
def crosswalk_2012_2016() -> Table: ...

@final
class MixedPanel:
    def __new__(cls, panels: list[Panel], target: Rubric, crosswalks: list[str]) -> MixedPanel: ...
    @property
    def translated(self) -> Panel: ...
    @property
    def parts(self) -> list[Panel]: ...
    @property
    def target(self) -> Rubric: ...
    @property
    def versions(self) -> list[str]: ...
    @property
    def district_versions(self) -> list[str]: ...
    def __reduce__(self) -> tuple[type[MixedPanel], tuple[list[Panel], Rubric, list[str]]]: ...

def sensitivity(
    panel: Panel,
    base_rows: int | None = None,
    resamples: int | None = None,
    level: _Number | None = None,
    seed: int | None = None,
    rating_noise: _Number | None = None,
    bootstrap_elements: bool | None = None,
    weight_alpha: _Number | None = None,
    y_cut_range: _Pair | None = None,
    x_cut_range: _Pair | None = None,
    aggregation: Mapping[str, _Number] | _Pair | None = None,
    basis: str | None = None,
    missing: _Missing | None = None,
    memory_limit: int | None = None,
    progress: Callable[[int, int], object] | None = None,
) -> Table: ...
def sensitivity_runs(
    panel: Panel,
    inputs: npt.NDArray[np.float64],
    rating_noise: _Number | None = None,
    bootstrap_elements: bool | None = None,
    weight_alpha: _Number | None = None,
    y_cut_range: _Pair | None = None,
    x_cut_range: _Pair | None = None,
    aggregation: Mapping[str, _Number] | _Pair | None = None,
    basis: str | None = None,
    missing: _Missing | None = None,
    memory_limit: int | None = None,
    progress: Callable[[int, int], object] | None = None,
) -> dict[str, Any]: ...
def version_column(header: list[str], column: str | None = None) -> int: ...
def demo_mixed_panel() -> MixedPanel: ...
def rater_agreement(
    panels: list[Panel],
    raters: list[str],
    draws: int | None = None,
    seed: int | None = None,
    progress: Callable[[int, int], object] | None = None,
) -> Table: ...
def rater_column(header: list[str], rater: str | None = None) -> int: ...
def consensus(
    panels: list[Panel], raters: list[str], rule: str | None = None, by: str | None = None
) -> Panel: ...
def leave_one_out(
    panel: Panel,
    basis: str | None = None,
    missing: _Missing | None = None,
    aggregation: str | None = None,
    weights: _Weights | None = None,
    y_cut: _Cut | None = None,
    x_cut: _Cut | None = None,
    advanced_level: _Number | None = None,
    advanced_share: _Number | None = None,
) -> Table: ...
def compare(
    panel: Panel | MixedPanel,
    start: object,
    end: object,
    missing: _Missing | None = None,
    aggregation: str | None = None,
    weights: _Weights | None = None,
) -> Table: ...
def sticking_points(panel: Panel, n: int | None = None, basis: str | None = None) -> Table: ...
def report_findings(panel: Panel) -> Table: ...
def band_values(levels: Iterable[_Number], values: Iterable[_Number]) -> list[float | None]: ...
def basis_ratings(panel: Panel, basis: str | None = None) -> _F64: ...
def score_array(
    ratings: object,
    rubric: Rubric | None = None,
    missing: _Missing | None = None,
    aggregation: str | None = None,
    weights: _Weights | None = None,
    out: ScoreArrays | None = None,
) -> ScoreArrays: ...
def uncertainty(
    panel: Panel,
    draws: int | None = None,
    seed: int | None = None,
    rating_noise: _Number | None = None,
    bootstrap_elements: bool | None = None,
    weight_alpha: _Number | None = None,
    y_cut_range: _Pair | None = None,
    x_cut_range: _Pair | None = None,
    aggregation: Mapping[str, _Number] | _Pair | None = None,
    basis: str | None = None,
    missing: _Missing | None = None,
    memory_limit: int | None = None,
    progress: Callable[[int, int], object] | None = None,
) -> Table: ...
def uncertainty_draws(
    panel: Panel,
    draws: int | None = None,
    seed: int | None = None,
    rating_noise: _Number | None = None,
    bootstrap_elements: bool | None = None,
    weight_alpha: _Number | None = None,
    y_cut_range: _Pair | None = None,
    x_cut_range: _Pair | None = None,
    aggregation: Mapping[str, _Number] | _Pair | None = None,
    basis: str | None = None,
    missing: _Missing | None = None,
    memory_limit: int | None = None,
    progress: Callable[[int, int], object] | None = None,
) -> DrawsTable: ...
def eligible_mask(
    districts: Sequence[object],
    n_snapshots: Sequence[object],
    last: Sequence[object],
    min_snapshots: int | None = None,
    since: object = None,
) -> list[bool]: ...
def network_roster() -> Table: ...
def resolve_columns(
    header: Iterable[object],
    district: object = None,
    date: object = None,
    element: object = None,
    rating: object = None,
) -> ColumnsFound: ...
def element_columns(rubric: Rubric, column_ids: Iterable[object]) -> list[int]: ...
def demo_panel() -> Panel: ...
def quadrant_labels() -> list[str]: ...
def instruction_set() -> str: ...
def report_uncertainty_defaults() -> ReportUncertainty: ...
