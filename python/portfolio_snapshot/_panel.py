"""Panels of snapshots: pandas in and out."""

from __future__ import annotations

import html
import os
from collections.abc import Hashable

import numpy as np
import pandas as pd

from . import _core
from ._core import InputError, RatingError, ShapeError
from ._dates import to_year_month
from ._errors import boundary
from ._rubric import Rubric


def _require_columns(df: pd.DataFrame, wanted: dict[str, Hashable]) -> pd.DataFrame:
    """The frame with ``wanted`` columns present, taking them from the index if needed."""
    if not isinstance(df, pd.DataFrame):
        raise InputError(f"expected a pandas DataFrame, not {type(df).__name__}")
    missing = [c for c in wanted.values() if c not in df.columns]
    if missing and all(c in (df.index.names or []) for c in missing):
        df = df.reset_index(level=list(missing))
        missing = []
    if missing:
        raise ShapeError(
            f"missing columns {missing!r} (expected {list(wanted.values())!r} as "
            f"{', '.join(f'{k}=' for k in wanted)} say; got {list(df.columns)!r})"
        )
    return df


def _text(series: pd.Series, what: str) -> list[str]:
    if series.isna().any():
        i = int(np.flatnonzero(series.isna().to_numpy())[0])
        raise InputError(f"missing {what} at row {i}")
    return [str(v) for v in series]


def _element_ids(series: pd.Series) -> list[str]:
    if pd.api.types.is_float_dtype(series):
        # ids read as numbers (1.1, 4.6): their shortest text is the id
        return [repr(float(v)) if not pd.isna(v) else "nan" for v in series]
    return _text(series, "element id")


def _ratings(values: pd.Series | np.ndarray, where: str) -> np.ndarray:
    """Ratings as float64; text that is not a number is a RatingError naming it."""
    if isinstance(values, pd.Series) and values.dtype == object:
        coerced = pd.to_numeric(values, errors="coerce")
        bad = coerced.isna() & values.notna()
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise RatingError(f"rating {values.iloc[i]!r} is not a number ({where(i)})")  # type: ignore[operator]
        values = coerced
    try:
        return np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as e:
        raise RatingError(f"ratings are not numbers: {e}") from None


class Panel:
    """A rubric plus many snapshots: one row of ratings per (district, date).

    Rows are sorted by district then date; columns are the rubric's elements.
    NaN means "not rated". Construction validates every rating once: a bad
    one raises :class:`RatingError` naming the district, date, element and
    value.

    Attributes
    ----------
    synthetic : bool
        True for the shipped demo panel, whose ratings are invented; plots and
        reports of it say "synthetic data".
    label : str or None
        A description shown in reports and plot titles.
    """

    __slots__ = ("_core", "_ratings", "label", "synthetic")

    def __init__(
        self, core: _core.Panel, *, synthetic: bool = False, label: str | None = None
    ) -> None:
        if not isinstance(core, _core.Panel):
            raise InputError("use Panel.from_long(), Panel.from_wide() or ps.datasets.demo_panel()")
        self._core = core
        self._ratings: np.ndarray | None = None
        self.synthetic = synthetic
        self.label = label

    # construction -------------------------------------------------------
    @classmethod
    @boundary
    def from_long(
        cls,
        df: pd.DataFrame,
        rubric: Rubric | str | None = None,
        *,
        district: Hashable = "district",
        date: Hashable = "date",
        element: Hashable = "element",
        rating: Hashable = "rating",
        half_steps: bool = False,
    ) -> Panel:
        """A panel from a long table: one row per (district, date, element) rating.

        Parameters
        ----------
        df : DataFrame
            Columns (or index levels) named by ``district``, ``date``,
            ``element`` and ``rating``. Dates are ``YYYY-MM`` text, datetimes or
            pandas Periods. A rating of NaN, or no row at all, means "not rated".
        rubric : Rubric, str or None
            The rubric (default ``crpe-2016``), or a built-in id.
        half_steps : bool
            Also allow ratings halfway between levels (2.5).

        Raises
        ------
        ShapeError
            A missing column, or an element id the rubric does not have.
        RatingError
            A rating out of scale, not allowed, infinite or not a number.
        DuplicateError
            Two ratings for the same district, date and element.
        InputError
            A bad or missing date.
        """
        r = Rubric._coerce(rubric)
        df = _require_columns(
            df, {"district": district, "date": date, "element": element, "rating": rating}
        )
        districts = _text(df[district], "district")
        dates = to_year_month(df[date], districts)
        elements = _element_ids(df[element])

        def where(i: int) -> str:
            return f"district {districts[i]!r}, date {dates[i]}, element {elements[i]!r}"

        ratings = _ratings(df[rating], where)
        core = _core.Panel.from_long(r._core, districts, dates, elements, ratings, half_steps)  # type: ignore[arg-type]
        return cls(core)

    @classmethod
    @boundary
    def from_wide(
        cls,
        df: pd.DataFrame,
        rubric: Rubric | str | None = None,
        *,
        district: Hashable = "district",
        date: Hashable = "date",
        half_steps: bool = False,
    ) -> Panel:
        """A panel from a wide table: one row per snapshot, one column per element id.

        ``district`` and ``date`` may be columns or index levels; every other
        column must be an element id of the rubric (in any order), and every
        element of the rubric must have a column.

        Raises
        ------
        ShapeError
            Unknown or missing element columns.
        RatingError, DuplicateError, InputError
            As :meth:`from_long`.
        """
        r = Rubric._coerce(rubric)
        df = _require_columns(df, {"district": district, "date": date})
        districts = _text(df[district], "district")
        dates = to_year_month(df[date], districts)
        values = df.drop(columns=[district, date])
        column_ids = [repr(float(c)) if isinstance(c, float) else str(c) for c in values.columns]
        obj_cols = [c for c in values.columns if values[c].dtype == object]
        for c in obj_cols:
            cid = str(c)

            def where(i: int, cid: str = cid) -> str:
                return f"district {districts[i]!r}, date {dates[i]}, element {cid!r}"

            values[c] = _ratings(values[c], where)
        try:
            matrix = values.to_numpy(dtype=np.float64)
        except (TypeError, ValueError) as e:
            raise RatingError(f"ratings are not numbers: {e}") from None
        core = _core.Panel.from_columns(r._core, districts, dates, column_ids, matrix, half_steps)
        return cls(core)

    @classmethod
    @boundary
    def read_csv(
        cls, path: str | os.PathLike[str], rubric: Rubric | str | None = None, **kwargs: object
    ) -> Panel:
        """Read a ratings CSV: long (district, date, element, rating) or wide
        (district, date and one column per element id). Lines starting with
        ``#`` are comments."""
        df = pd.read_csv(path, comment="#", dtype={"district": str, "date": str, "element": str})
        if {"element", "rating"} <= set(df.columns):
            return cls.from_long(df, rubric, **kwargs)  # type: ignore[arg-type]
        return cls.from_wide(df, rubric, **kwargs)  # type: ignore[arg-type]

    # contents -----------------------------------------------------------
    @property
    def rubric(self) -> Rubric:
        """The panel's rubric."""
        return Rubric(self._core.rubric)

    @property
    def ratings(self) -> np.ndarray:
        """The ratings, snapshots x elements (float64, read-only; NaN = not rated)."""
        if self._ratings is None:
            a = self._core.ratings
            a.flags.writeable = False
            self._ratings = a
        return self._ratings

    @property
    def districts(self) -> np.ndarray:
        """The district of each row of :attr:`ratings`."""
        return np.asarray(self._core.row_districts, dtype=object)

    @property
    def dates(self) -> pd.PeriodIndex:
        """The date of each row of :attr:`ratings` (monthly Periods)."""
        return pd.PeriodIndex(self._core.row_dates, freq="M", name="date")

    @property
    def index(self) -> pd.MultiIndex:
        """(district, date) of each row of :attr:`ratings`."""
        return pd.MultiIndex.from_arrays(
            [self._core.row_districts, self.dates], names=["district", "date"]
        )

    @property
    def district_names(self) -> list[str]:
        """The districts, sorted, each once."""
        return self._core.districts

    @property
    def n_snapshots(self) -> int:
        """Number of snapshots (rows)."""
        return self._core.n_snapshots

    @property
    def n_districts(self) -> int:
        """Number of districts."""
        return self._core.n_districts

    @property
    def half_steps(self) -> bool:
        """Whether ratings halfway between levels were allowed."""
        return self._core.half_steps

    def to_wide(self) -> pd.DataFrame:
        """One row per snapshot indexed by (district, date), one column per element id."""
        return pd.DataFrame(
            self.ratings.copy(),
            index=self.index,
            columns=pd.Index(self.rubric.element_ids, name="element"),
        )

    def to_long(self, *, dropna: bool = True) -> pd.DataFrame:
        """One row per (district, date, element): columns ``district``, ``date``
        (monthly Period), ``element``, ``rating``. Unrated cells are left out
        unless ``dropna=False``."""
        ids = self.rubric.element_ids
        n, k = self.ratings.shape
        frame = pd.DataFrame(
            {
                "district": np.repeat(self.districts, k),
                "date": pd.PeriodIndex(np.repeat(self.dates.astype(str), k), freq="M"),
                "element": np.tile(np.asarray(ids, dtype=object), n),
                "rating": self.ratings.reshape(-1),
            }
        )
        if dropna:
            frame = frame[frame["rating"].notna()].reset_index(drop=True)
        return frame

    def __len__(self) -> int:
        return self.n_snapshots

    def __repr__(self) -> str:
        tag = ", synthetic" if self.synthetic else ""
        return (
            f"Panel(rubric={self.rubric.id!r}, districts={self.n_districts}, "
            f"snapshots={self.n_snapshots}{tag})"
        )

    def _repr_html_(self) -> str:
        r = self.ratings
        coverage = float(np.mean(~np.isnan(r))) if r.size else float("nan")
        dates = self.dates
        note = (
            f'<p style="color:#b2182b"><b>{html.escape(self.label or "synthetic data")}</b></p>'
            if self.synthetic
            else (f"<p>{html.escape(self.label)}</p>" if self.label else "")
        )
        head = (
            f"<p><b>Panel</b> on rubric {html.escape(self.rubric.id)}: "
            f"{self.n_districts} districts, "
            f"{self.n_snapshots} snapshots, {dates.min()} to {dates.max()}, "
            f"{coverage:.1%} of ratings present.</p>"
        )
        return note + head + self.to_wide().head(10).to_html(float_format=lambda x: f"{x:g}")
