"""The shapes of what the extension returns, for type checkers (and for
readers): every analysis returns a :class:`Table`, which
``portfolio_snapshot._frames.frame`` turns into a DataFrame."""

from __future__ import annotations

from typing import Any, Literal, TypedDict

import numpy as np
import numpy.typing as npt

_F64 = npt.NDArray[np.float64]


class CategoryColumn(TypedDict):
    kind: Literal["category"]
    categories: list[str]
    codes: npt.NDArray[np.int64]


class MonthColumn(TypedDict):
    kind: Literal["month"]
    values: list[str | None]


class OptionalTextColumn(TypedDict):
    kind: Literal["optional_text"]
    values: list[str | None]


class OptionalIntColumn(TypedDict):
    kind: Literal["optional_int"]
    values: list[int | None]


class BlockColumn(TypedDict):
    kind: Literal["block"]
    names: list[str]
    values: npt.NDArray[np.float64]


Column = (
    npt.NDArray[Any]
    | list[str]
    | CategoryColumn
    | MonthColumn
    | OptionalTextColumn
    | OptionalIntColumn
    | BlockColumn
)
Attr = (
    None
    | str
    | float
    | int
    | bool
    | list[str]
    | dict[str, float]
    | dict[str, str]
    | dict[str, int]
    | dict[str, Any]
)


class Table(TypedDict):
    name: str
    index: list[str]
    columns: dict[str, Column]
    attrs: dict[str, Attr]


class ColumnsFound(TypedDict):
    """Which column of a table is which, as the core found them."""

    layout: Literal["long", "wide"]
    positions: dict[str, int]
    description: str


class ScoreArrays(TypedDict):
    components: _F64
    overall: _F64
    spread: _F64
    coverage: _F64


class DrawsTable(TypedDict):
    districts: list[str]
    component_names: list[str]
    score: _F64
    spread: _F64
    rank: _F64
    advanced: npt.NDArray[np.bool_]
    quadrant: npt.NDArray[np.uint8]
    sticking: npt.NDArray[np.bool_]
    cuts: _F64


class Labels(TypedDict):
    score: str
    spread: str
    recent_progress: str
    quadrants: list[str]
    quadrant_colors: list[str]
    advanced: str
    advanced_color: str
    neutral_color: str
    not_rated_color: str
    gain_color: str
    loss_color: str
    level_values: dict[str, float]
    level_colors: list[str]


class ReportUncertainty(TypedDict):
    draws: int
    seed: int
    rating_noise: float
    bootstrap_elements: bool
