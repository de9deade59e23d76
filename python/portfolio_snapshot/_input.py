"""Tables in: a pandas DataFrame as it is; a polars or pyarrow table (or any
eager table narwhals knows: modin, cuDF, ...) column by column into one.

narwhals is the path because it reads each library's own columns without
asking for another (a polars frame becomes numpy arrays without pyarrow),
and it is small and has no dependencies of its own.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ._core import InputError, ShapeError


def is_table(obj: object) -> bool:
    """A DataFrame of pandas or of another library narwhals reads."""
    if isinstance(obj, pd.DataFrame):
        return True
    import narwhals as nw

    deps = nw.dependencies
    return bool(deps.is_into_dataframe(obj) or deps.is_into_lazyframe(obj))


def as_pandas(table: object, what: str = "table") -> pd.DataFrame:
    """``table`` as a pandas DataFrame: pandas as it is, other DataFrame
    libraries' eager tables column by column (names and values kept; an
    index is not something they have)."""
    if isinstance(table, pd.DataFrame):
        return table
    import narwhals as nw

    try:
        native: Any = nw.from_native(table, eager_only=True, pass_through=True)
    except Exception as e:  # narwhals' own errors, e.g. repeated column names
        raise ShapeError(f"cannot read the {what}: {e}") from e
    if native is table:
        kind = type(table)
        hint = ""
        if "Lazy" in kind.__name__:
            hint = "; collect() it first"
        raise InputError(
            f"expected a {what} (a pandas, polars or pyarrow DataFrame), "
            f"not {kind.__module__.split('.')[0]}.{kind.__name__}{hint}"
        )
    names = list(native.columns)
    if len(set(names)) != len(names):
        dupes = sorted({n for n in names if names.count(n) > 1})
        raise ShapeError(f"duplicate column names {dupes!r}: each column needs its own name")
    return pd.DataFrame({name: native.get_column(name).to_numpy() for name in names})
