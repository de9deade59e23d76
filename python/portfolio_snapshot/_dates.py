"""Turn dates given as text, datetimes or pandas Periods into ``YYYY-MM``."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence

import numpy as np
import pandas as pd

from ._core import InputError


def to_year_month(
    values: pd.Series | Sequence[object],
    districts: Sequence[str] | None = None,
    *,
    allow_missing: bool = False,
) -> list[str | None]:
    """Dates as ``YYYY-MM`` text (the core parses and validates the text).

    Accepts ``YYYY-MM`` strings, ``datetime``/``date``/``Timestamp`` and
    ``numpy.datetime64`` values and pandas ``Period`` values (any frequency).
    Missing dates raise :class:`InputError` naming the district unless
    ``allow_missing`` is true (then they become ``None``).
    """
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    if isinstance(series.dtype, pd.PeriodDtype) or pd.api.types.is_datetime64_any_dtype(series):
        out: list[str | None] = [None if pd.isna(v) else v.strftime("%Y-%m") for v in series]
    else:
        out = []
        for v in series:
            if v is None or (not isinstance(v, str) and pd.isna(v)):
                out.append(None)
            elif isinstance(v, str):
                out.append(v.strip())
            elif isinstance(v, (pd.Period, pd.Timestamp, _dt.date)):
                out.append(v.strftime("%Y-%m"))
            elif isinstance(v, np.datetime64):
                out.append(pd.Timestamp(v).strftime("%Y-%m"))
            else:
                raise InputError(
                    f"invalid date {v!r}: expected YYYY-MM text, a datetime or a Period"
                )
    if not allow_missing:
        for i, v in enumerate(out):
            if v is None:
                who = f" for district {districts[i]!r}" if districts is not None else ""
                raise InputError(f"missing date{who} (row {i})")
    return out
