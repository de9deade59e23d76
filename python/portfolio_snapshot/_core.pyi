# Hand-written stubs of the Rust extension; `python -m mypy.stubtest
# portfolio_snapshot._core` (run by `make test`) keeps them honest.

from os import PathLike
from typing import final

import numpy as np
import numpy.typing as npt

__all__ = [
    "DEMO_LABEL",
    "DuplicateError",
    "InputError",
    "Panel",
    "PortfolioError",
    "RatingError",
    "Rubric",
    "RubricError",
    "ShapeError",
    "__version__",
    "demo_panel",
    "eligible_mask",
    "network_roster",
    "score_array",
]

__version__: str
DEMO_LABEL: str

class PortfolioError(ValueError): ...
class RubricError(PortfolioError): ...
class RatingError(PortfolioError): ...
class ShapeError(PortfolioError): ...
class DuplicateError(PortfolioError): ...
class InputError(PortfolioError): ...

_F64_1 = npt.NDArray[np.float64]

@final
class Rubric:
    @staticmethod
    def crpe_2016() -> Rubric: ...
    @staticmethod
    def crpe_2012() -> Rubric: ...
    @staticmethod
    def builtin(id: str) -> Rubric: ...
    @staticmethod
    def from_json(text: str) -> Rubric: ...
    @staticmethod
    def from_toml(text: str) -> Rubric: ...
    @staticmethod
    def from_path(path: str | PathLike[str]) -> Rubric: ...
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
    def n_elements(self) -> int: ...
    @property
    def components(self) -> list[tuple[str, str, str, float, list[str]]]: ...
    def element_rows(self) -> list[tuple[str, str, str, str, str]]: ...
    @property
    def scale(self) -> list[tuple[float, str | None, str, str | None]]: ...
    @property
    def midpoint(self) -> float: ...
    def effective_element_weights(self) -> list[float]: ...
    def band(self, score: float) -> float | None: ...
    def __eq__(self, value: object, /) -> bool: ...
    def __hash__(self) -> int: ...

@final
class Panel:
    @staticmethod
    def from_long(
        rubric: Rubric,
        districts: list[str],
        dates: list[str],
        elements: list[str],
        ratings: npt.NDArray[np.float64],
        half_steps: bool = False,
    ) -> Panel: ...
    @staticmethod
    def from_columns(
        rubric: Rubric,
        districts: list[str],
        dates: list[str],
        column_ids: list[str],
        ratings: npt.NDArray[np.float64],
        half_steps: bool = False,
    ) -> Panel: ...
    @staticmethod
    def read_long_csv(
        rubric: Rubric, path: str | PathLike[str], half_steps: bool = False
    ) -> Panel: ...
    @property
    def rubric(self) -> Rubric: ...
    @property
    def ratings(self) -> npt.NDArray[np.float64]: ...
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
    def score(
        self,
        missing: str | float | None = None,
        aggregation: str | None = None,
        weights: list[float] | None = None,
        advanced_level: float | None = None,
        advanced_share: float | None = None,
    ) -> dict[str, npt.NDArray[np.float64] | npt.NDArray[np.bool_]]: ...
    def summarize(
        self,
        basis: str | None = None,
        missing: str | float | None = None,
        aggregation: str | None = None,
        weights: list[float] | None = None,
        y_cut: str | float | None = None,
        x_cut: str | float | None = None,
        advanced_level: float | None = None,
        advanced_share: float | None = None,
    ) -> dict[str, object]: ...
    def rank_components(
        self,
        basis: str | None = None,
        missing: str | float | None = None,
        aggregation: str | None = None,
        weights: list[float] | None = None,
    ) -> dict[str, object]: ...
    def rank_elements(self, basis: str | None = None) -> dict[str, object]: ...
    def basis_ratings(self, basis: str | None = None) -> npt.NDArray[np.float64]: ...
    def uncertainty(
        self,
        draws: int | None = None,
        seed: int | None = None,
        rating_noise: float | None = None,
        bootstrap_elements: bool | None = None,
        weight_alpha: float | None = None,
        y_cut_range: tuple[float, float] | None = None,
        x_cut_range: tuple[float, float] | None = None,
        aggregation: tuple[float, float] | None = None,
        basis: str | None = None,
        missing: str | float | None = None,
        keep_draws: bool = False,
    ) -> dict[str, object]: ...

def score_array(
    ratings: npt.ArrayLike,
    rubric: Rubric | None = None,
    missing: str | float | None = None,
    aggregation: str | None = None,
    weights: list[float] | None = None,
) -> dict[str, npt.NDArray[np.float64]]: ...
def eligible_mask(
    districts: list[str],
    n_snapshots: list[int],
    last: list[str | None],
    min_snapshots: int | None = None,
    since: str | None = None,
) -> list[bool]: ...
def network_roster() -> tuple[list[str], list[str | None], list[int]]: ...
def demo_panel() -> Panel: ...
