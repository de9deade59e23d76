"""The one adapter from the core's column tables to pandas DataFrames.

Every analysis returns a table from the Rust core (see ``_core.pyi``,
``Table``): named columns in order, the names of the index columns and the
attributes of the options in force. This module turns any of them into a
DataFrame; it knows nothing about what a table holds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from ._types import Column, Table


def _column(value: Column) -> list[tuple[str | None, object]]:
    """``(name, values)`` pairs for one column (several for a block)."""
    if isinstance(value, dict):
        if value["kind"] == "category":
            return [
                (
                    None,
                    pd.Categorical.from_codes(
                        np.asarray(value["codes"]),
                        categories=pd.Index(value["categories"]),
                        ordered=True,
                    ),
                )
            ]
        if value["kind"] == "month":
            return [(None, pd.PeriodIndex(value["values"], freq="M"))]
        if value["kind"] == "optional_text":
            return [(None, pd.Series(value["values"], dtype=object))]
        if value["kind"] == "optional_int":
            return [(None, pd.array(value["values"], dtype="Int64"))]
        if value["kind"] == "block":
            block = np.asarray(value["values"])
            return [(name, block[:, i]) for i, name in enumerate(value["names"])]
        raise TypeError(f"unknown column kind {value['kind']!r}")  # pragma: no cover
    return [(None, value)]


def frame(table: Table) -> pd.DataFrame:
    """A DataFrame from a core table: its columns in order, its index
    columns as the index, its attributes in ``frame.attrs``."""
    data: dict[str, object] = {}
    for name, value in table["columns"].items():
        for sub, values in _column(value):
            data[name if sub is None else sub] = values
    result = pd.DataFrame(data)
    if table["index"]:
        result = result.set_index(table["index"])
    result.attrs.update(table["attrs"])
    return result
