"""Panels of snapshots: pandas in and out.

This module adapts pandas to the core: it picks the columns, hands the core
numeric arrays as they are and everything else cell by cell. Every rule
(which dates, ids and ratings are valid, what "not rated" means, what a
district name may be) is the core's.
"""

from __future__ import annotations

import csv
import html
import os
from collections.abc import Hashable, Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from . import _core
from ._core import InputError, ShapeError
from ._errors import boundary
from ._input import as_pandas
from ._rubric import Rubric
from ._types import ColumnsFound

_DISTRICT, _DATE, _ELEMENT, _RATING = _core.LONG_COLUMNS


def _check_frame(df: object, what: str = "table") -> pd.DataFrame:
    df = as_pandas(df, what)
    if isinstance(df.columns, pd.MultiIndex):
        raise ShapeError(
            "the table has MultiIndex columns "
            f"{list(df.columns)[:4]!r}...: flatten them to one level of names first"
        )
    dupes = df.columns[df.columns.duplicated()].unique().tolist()
    if dupes:
        raise ShapeError(f"duplicate column names {dupes!r}: each column needs its own name")
    return df


def _require_columns(df: pd.DataFrame, wanted: Mapping[str, Hashable]) -> pd.DataFrame:
    """The frame with ``wanted`` columns present, taking them from the index if needed."""
    for param, name in wanted.items():
        try:
            hash(name)
        except TypeError:
            raise InputError(
                f"invalid parameter {param}: {name!r} (the name of a column; "
                f"got {type(name).__name__})"
            ) from None
    missing = [c for c in wanted.values() if c not in df.columns]
    names = [n for n in (df.index.names or []) if n is not None]
    if missing and all(c in names for c in missing):
        df = df.reset_index(level=list(missing))
        missing = []
    if missing:
        raise ShapeError(
            f"missing columns {missing!r} (expected {list(wanted.values())!r}; name them with "
            f"{', '.join(f'{k}=' for k in wanted)}; got {list(df.columns)!r})"
        )
    return df


def _shown(names: Iterable[Hashable], most: int = 8) -> str:
    """Column names as a short list: the first few and how many more."""
    names = list(names)
    more = f", ... ({len(names) - most} more)" if len(names) > most else ""
    return "[" + ", ".join(repr(n) for n in names[:most]) + more + "]"


class _Columns:
    """The columns of a table the core found for each role, and its layout."""

    def __init__(self, df: pd.DataFrame, found: ColumnsFound, labels: list[Hashable]) -> None:
        self.frame = df
        self.layout = found["layout"]
        self.description = found["description"]
        self._labels = {role: labels[i] for role, i in found["positions"].items()}

    def __getitem__(self, role: str) -> pd.Series:
        return self.frame[self._labels[role]]

    def others(self) -> pd.DataFrame:
        """The columns that are not the district's or the date's."""
        return self.frame.drop(columns=[self._labels["district"], self._labels["date"]])


def _find_columns(df: object, names: Mapping[str, Hashable | None]) -> _Columns:
    """Which column is which, by the core's rules (role names, then aliases
    in any letter case, or the names given); index levels with names count
    as columns."""
    frame = _check_frame(df)
    for param, name in names.items():
        if name is None:
            continue
        try:
            hash(name)
        except TypeError:
            raise InputError(
                f"invalid parameter {param}: {name!r} (the name of a column; "
                f"got {type(name).__name__})"
            ) from None
    levels = [n for n in frame.index.names if n is not None and n not in frame.columns]
    labels: list[Hashable] = [*frame.columns, *levels]
    found = _core.resolve_columns([str(c) for c in labels], **names)
    used = [labels[i] for i in found["positions"].values() if i >= len(frame.columns)]
    if used:
        frame = frame.reset_index(level=used)
        labels = list(frame.columns)
        found = _core.resolve_columns([str(c) for c in labels], **names)
    return _Columns(frame, found, labels)


def _version_values(frame: pd.DataFrame) -> list[tuple[Hashable, set[str]]]:
    """Every column or named index level whose name says "rubric version",
    with the versions it names (blank cells and missing values left out)."""
    found = []
    levels = [n for n in frame.index.names if n is not None and n not in frame.columns]
    for name in [*frame.columns, *levels]:
        try:
            _core.version_column([str(name)], None)
        except _core.PortfolioError:
            continue
        values = frame[name] if name in frame.columns else frame.index.get_level_values(name)
        named = {str(v).strip() for v in pd.Series(values).dropna().unique()} - {""}
        found.append((name, named))
    return found


def _check_one_version(frame: pd.DataFrame, rubric_id: str) -> None:
    """A long table naming rubric versions (in any column or index level
    whose name says so) must name the panel's only: a panel follows one
    rubric, and reading another version's ratings as if they followed it
    would misread every element id they share."""
    for column, named in _version_values(frame):
        others = sorted(v for v in named if v != rubric_id)
        if not others:
            continue
        if len(named) > 1:
            raise ShapeError(
                f"column {column!r} names rubric versions {', '.join(sorted(named))}: a Panel "
                "follows one rubric; read a table mixing versions with MixedPanel.from_long"
            )
        try:
            Rubric.builtin(others[0])
            advice = f"pass rubric={others[0]!r}"
        except _core.PortfolioError:
            advice = "pass that rubric (a Rubric object), or correct the column"
        raise ShapeError(
            f"column {column!r} says the ratings follow rubric {others[0]!r}, but the panel is "
            f"read on {rubric_id!r}: {advice}"
        )


def _dates(
    series: pd.Series,
) -> list[object] | tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Dates for the core: (years, months) arrays for datetime and monthly
    period columns without gaps, else the cells themselves."""
    if not series.isna().any() and (
        series.dtype == pd.PeriodDtype("M") or pd.api.types.is_datetime64_any_dtype(series)
    ):
        return (
            series.dt.year.to_numpy(dtype=np.int64),
            series.dt.month.to_numpy(dtype=np.int64),
        )
    return series.tolist()


def _cells(series: pd.Series) -> npt.NDArray[Any]:
    """Ratings for the core: a float64 array for numeric columns (never
    bools or complex numbers), else the cells themselves, which the core
    reads one by one and names when one is not a rating."""
    dtype = series.dtype
    if (
        pd.api.types.is_numeric_dtype(dtype)
        and not pd.api.types.is_bool_dtype(dtype)
        and not pd.api.types.is_complex_dtype(dtype)
    ):
        return series.to_numpy(dtype=np.float64, na_value=np.nan)
    return series.to_numpy(dtype=object)


class Panel:
    """A rubric plus many snapshots: one row of ratings per (district, date).

    Rows are sorted by district then date; columns are the rubric's elements.
    NaN means "not rated". Construction validates every rating once: a bad
    one raises :class:`RatingError` naming the district, date, element and
    value. Panels are immutable, compare equal by content, pickle and
    deep-copy.
    """

    __slots__ = ("_core",)

    def __init__(self, core: _core.Panel) -> None:
        if not isinstance(core, _core.Panel):
            raise InputError(
                "build a Panel with Panel.from_long(), Panel.from_wide(), Panel.read_csv() "
                f"or ps.datasets.demo_panel(), not from a {type(core).__name__}"
            )
        self._core = core

    # construction -------------------------------------------------------
    @classmethod
    @boundary
    def from_long(
        cls,
        df: pd.DataFrame,
        rubric: Rubric | str | None = None,
        *,
        district: Hashable | None = None,
        date: Hashable | None = None,
        element: Hashable | None = None,
        rating: Hashable | None = None,
        half_steps: bool | None = None,
        na_values: str | Iterable[str] | None = None,
    ) -> Panel:
        """A panel from a long table: one row per (district, date, element) rating.

        Parameters
        ----------
        df : DataFrame
            A pandas, polars or pyarrow table. Its columns (or named index
            levels) are found by name in any letter case: ``district``
            (also "District Name", "System"), ``date`` ("Snapshot", "Month",
            "Period", "As of"), ``element`` ("Element ID", "Item",
            "Indicator") and ``rating`` ("Score", "Value", "Level"), unless
            named explicitly. The mapping used is :attr:`columns_read`.
            Dates are text (``2016-01``, ``2015-07-01``, ``Jan. 2016``,
            ``July 2014``), dates, datetimes or monthly Periods (Periods of
            other frequencies are refused). A rating is a number, a level's
            label ("National exemplar"), NaN or a "not rated" marker; no row
            at all also means "not rated".
        rubric : Rubric, str or None
            The rubric (default ``crpe-2016``), or a built-in id.
        district, date, element, rating : column names, optional
        half_steps : bool, optional
            Also allow ratings halfway between levels (2.5).
        na_values : str or list of str, optional
            Texts that mean "not rated" (default: ``ps.NA_VALUES``).

        Raises
        ------
        ShapeError
            A missing column, or an element id the rubric does not have.
        RatingError
            A rating out of scale, not allowed, infinite or not a number.
        DuplicateError
            Two ratings for the same district, date and element.
        InputError
            A bad or missing date or district name.
        """
        return cls._from_table(
            df,
            rubric,
            "long",
            {"district": district, "date": date, "element": element, "rating": rating},
            half_steps,
            na_values,
        )

    @classmethod
    @boundary
    def from_wide(
        cls,
        df: pd.DataFrame,
        rubric: Rubric | str | None = None,
        *,
        district: Hashable | None = None,
        date: Hashable | None = None,
        half_steps: bool | None = None,
        na_values: str | Iterable[str] | None = None,
    ) -> Panel:
        """A panel from a wide table: one row per snapshot, one column per element id.

        ``district`` and ``date`` may be columns or index levels; every other
        column must be an element id of the rubric (in any order; a column
        that is not is named in the error), and every element of the rubric
        must have a column.

        Raises
        ------
        ShapeError
            A column that is not an element, or missing element columns.
        RatingError, DuplicateError, InputError
            As :meth:`from_long`.
        """
        return cls._from_table(
            df, rubric, "wide", {"district": district, "date": date}, half_steps, na_values
        )

    @classmethod
    def _from_table(
        cls,
        df: object,
        rubric: Rubric | str | None,
        layout: str | None,
        names: Mapping[str, Hashable | None],
        half_steps: bool | None,
        na_values: str | Iterable[str] | None,
        *,
        versions_checked: bool = False,
    ) -> Panel:
        """A panel from a long or wide table (``layout`` None: as the header
        says); ``versions_checked``: the caller has taken the version column
        out and read the versions (:meth:`MixedPanel.from_long`)."""
        r = Rubric._coerce(rubric)
        cols = _find_columns(df, names)
        if layout == "long" and cols.layout != "long":
            raise ShapeError(
                "a long table needs an element and a rating column; found "
                f"{cols.description} among {_shown(cols.frame.columns)}: name them with "
                "element= and rating=, or read a wide table with Panel.from_wide"
            )
        if cols.layout == "long" and layout != "wide":
            if not versions_checked:
                _check_one_version(cols.frame, r.id)
            core = _core.Panel.from_long(
                r._core,
                cols["district"].tolist(),
                _dates(cols["date"]),
                cols["element"].tolist(),
                _cells(cols["rating"]),
                half_steps,
                na_values,
            )
        else:
            if cols.layout == "long" and not {
                str(cols._labels["element"]),
                str(cols._labels["rating"]),
            } <= set(r.element_ids):
                raise ShapeError(
                    f"the table is long ({cols.description}): read it with Panel.from_long, "
                    "or Panel.read_csv, which tells the layouts apart"
                )
            values = cols.others()
            core = _core.Panel.from_columns(
                r._core,
                cols["district"].tolist(),
                _dates(cols["date"]),
                list(values.columns),
                [_cells(values[c]) for c in values.columns],
                half_steps,
                na_values,
            )
        return cls(core.with_provenance(None, False, cols.description))

    @classmethod
    @boundary
    def read_csv(
        cls,
        path: str | os.PathLike[str],
        rubric: Rubric | str | None = None,
        *,
        district: Hashable | None = None,
        date: Hashable | None = None,
        element: Hashable | None = None,
        rating: Hashable | None = None,
        half_steps: bool | None = None,
        na_values: str | Iterable[str] | None = None,
        **read_csv: Any,
    ) -> Panel:
        """Read a ratings CSV, long (district, date, element, rating) or wide
        (district, date and one column per element id), told apart by the
        header; columns are found as :meth:`from_long` finds them.

        Every cell is read as text and handed to the core: a ``#`` inside a
        field and districts named "NA" or "None" are kept; lines starting
        with ``#`` before the header are skipped (a preamble). Other keyword
        arguments (``sep``, ``encoding``, ...) go to :func:`pandas.read_csv`.
        """
        df = _read_text_table(path, read_csv)
        names = {"district": district, "date": date, "element": element, "rating": rating}
        return cls._from_table(df, rubric, None, names, half_steps, na_values)

    @classmethod
    @boundary
    def read_excel(
        cls,
        path: str | os.PathLike[str],
        rubric: Rubric | str | None = None,
        *,
        sheet_name: str | int = 0,
        district: Hashable | None = None,
        date: Hashable | None = None,
        element: Hashable | None = None,
        rating: Hashable | None = None,
        half_steps: bool | None = None,
        na_values: str | Iterable[str] | None = None,
        **read_excel: Any,
    ) -> Panel:
        """Read one sheet of an Excel workbook (``.xlsx``; needs the ``excel``
        extra, openpyxl), long or wide as :meth:`read_csv` tells them apart.

        Cells are taken as the sheet holds them (numbers, dates, text) and
        read by the core; nothing is turned into NaN by pandas. Other keyword
        arguments go to :func:`pandas.read_excel` (``skiprows``, ...).
        """
        df = _read_sheet(path, sheet_name, read_excel)
        names = {"district": district, "date": date, "element": element, "rating": rating}
        return cls._from_table(df, rubric, None, names, half_steps, na_values)

    @classmethod
    @boundary
    def read_parquet(
        cls,
        path: str | os.PathLike[str],
        rubric: Rubric | str | None = None,
        *,
        district: Hashable | None = None,
        date: Hashable | None = None,
        element: Hashable | None = None,
        rating: Hashable | None = None,
        half_steps: bool | None = None,
        na_values: str | Iterable[str] | None = None,
        **read_parquet: Any,
    ) -> Panel:
        """Read a Parquet file (needs the ``parquet`` extra, pyarrow), long or
        wide as :meth:`read_csv` tells them apart. Other keyword arguments go
        to :func:`pandas.read_parquet`."""
        where = _existing_file(path, "Parquet")
        try:
            df = pd.read_parquet(where, **read_parquet)
        except ImportError as e:
            raise InputError(
                "reading Parquet needs pyarrow: pip install 'portfolio-snapshot[parquet]'"
            ) from e
        except Exception as e:
            raise InputError(f"cannot read Parquet {where}: {type(e).__name__}: {e}") from e
        names = {"district": district, "date": date, "element": element, "rating": rating}
        return cls._from_table(df, rubric, None, names, half_steps, na_values)

    # subsets --------------------------------------------------------------
    @boundary
    def select(
        self,
        districts: str | Iterable[str] | None = None,
        *,
        start: object = None,
        end: object = None,
    ) -> Panel:
        """The snapshots of some districts from ``start`` to ``end``
        (inclusive; any date form :meth:`from_long` reads), as a new panel
        with the same rubric. A district the panel lacks, or nothing left,
        is an error.

        >>> cohort = panel.select(["Denver", "Tulsa"], start="Jan. 2014")  # doctest: +SKIP
        """
        return Panel(self._core.select(districts, start, end))

    @boundary
    def as_of(self, date: object) -> Panel:
        """The panel as it stood at ``date``: each district's snapshots up to
        it (inclusive). Districts not yet rated then are left out.

        >>> then = panel.as_of("Jan. 2016")  # doctest: +SKIP
        """
        return Panel(self._core.as_of(date))

    @boundary
    def translate(self, rubric: Rubric | str = "crpe-2016") -> Panel:
        """The ratings carried to ``rubric`` through the shipped 2012-2016
        crosswalk (:func:`portfolio_snapshot.datasets.crosswalk`): each 2016
        element takes the rating of the 2012 element mapped to it; the 2016
        elements nothing maps to are not rated. Element-level comparisons
        across versions are then on the mapped elements; component scores of
        the translated panel rest on the mapped elements only (one 2012
        Talent element maps into Autonomy), so they are not the 2012
        panel's own component scores. The label says it was translated.

        >>> new = old_panel.translate()  # doctest: +SKIP
        """
        return Panel(self._core.translate(Rubric._coerce(rubric)._core))

    # contents -----------------------------------------------------------
    @property
    def rubric(self) -> Rubric:
        """The panel's rubric."""
        return Rubric(self._core.rubric)

    @property
    def ratings(self) -> np.ndarray:
        """The ratings, snapshots x elements (float64, read-only; NaN = not rated)."""
        return self._core.ratings

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
    def consensus(self) -> str | None:
        """How the panel was made from several raters' ratings (the rule
        and the raters; see :func:`portfolio_snapshot.consensus`), or None."""
        return self._core.consensus

    @property
    def half_steps(self) -> bool:
        """Whether ratings halfway between levels were allowed."""
        return self._core.half_steps

    @property
    def synthetic(self) -> bool:
        """True for the shipped demo panel, whose ratings are invented;
        plots and reports of it say "synthetic data"."""
        return self._core.synthetic

    @property
    def label(self) -> str | None:
        """A description of where the ratings come from, shown in reports."""
        return self._core.label

    @property
    def columns_read(self) -> str | None:
        """How the table's columns were read, e.g. ``district from "District",
        date from "Snapshot"`` (None for panels not read from a table)."""
        return self._core.columns_read

    def with_label(self, label: str | None, *, synthetic: bool | None = None) -> Panel:
        """The same panel described by ``label`` (and, if given, marked
        synthetic or not)."""
        keep = self.synthetic if synthetic is None else synthetic
        return Panel(self._core.with_provenance(label, keep))

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
                _DISTRICT: np.repeat(self.districts, k),
                _DATE: pd.PeriodIndex(np.repeat(self.dates.astype(str), k), freq="M"),
                _ELEMENT: np.tile(np.asarray(ids, dtype=object), n),
                _RATING: self.ratings.reshape(-1),
            }
        )
        if dropna:
            frame = frame[frame[_RATING].notna()].reset_index(drop=True)
        return frame

    def __reduce__(self) -> tuple[type[Panel], tuple[_core.Panel]]:
        return (Panel, (self._core,))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Panel) and self._core == other._core

    def __hash__(self) -> int:
        return hash(self._core)

    def __len__(self) -> int:
        return self.n_snapshots

    def __repr__(self) -> str:
        return repr(self._core)

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


def _existing_file(path: object, kind: str) -> str:
    if not isinstance(path, (str, os.PathLike)):
        raise InputError(f"cannot read {kind} {path!r}: give a path (got {type(path).__name__})")
    where = os.fspath(path)
    if not Path(where).is_file():
        raise InputError(
            f"cannot read {kind} {where}: "
            + ("it is a directory" if Path(where).is_dir() else "no such file")
        )
    return str(where)


def _read_sheet(
    path: str | os.PathLike[str], sheet_name: object, options: dict[str, Any]
) -> pd.DataFrame:
    """One sheet as a table of the cells it holds: the header row checked
    for repeated names before pandas could rename them."""
    for key in ("dtype", "keep_default_na", "na_filter", "converters", "true_values",
                "false_values", "parse_dates", "date_format", "dtype_backend"):  # fmt: skip
        if key in options:
            raise InputError(
                f"invalid parameter {key}: read_excel takes the cells as the sheet holds them "
                "and lets the core read them; use na_values= for the texts that mean 'not rated'"
            )
    for key in ("names", "usecols", "index_col", "nrows", "header"):
        if key in options:
            raise InputError(
                f"invalid parameter {key}: read_excel reads the whole sheet from its first row "
                "(skiprows= skips rows above the header); to read part of a sheet, read it "
                "with pandas and pass the DataFrame to Panel.from_long or Panel.from_wide"
            )
    if isinstance(sheet_name, bool) or not isinstance(sheet_name, (str, int)):
        raise InputError(
            f"invalid parameter sheet_name: {sheet_name!r} (one sheet: its name or position)"
        )
    where = _existing_file(path, "Excel")
    try:
        raw = pd.read_excel(
            where,
            sheet_name=sheet_name,
            header=None,
            dtype=object,
            keep_default_na=False,
            na_filter=False,
            **options,
        )
    except ImportError as e:
        raise InputError(
            "reading Excel needs openpyxl: pip install 'portfolio-snapshot[excel]'"
        ) from e
    except Exception as e:
        raise InputError(f"cannot read Excel {where}: {type(e).__name__}: {e}") from e
    if len(raw) == 0:
        raise InputError(f"cannot read Excel {where}: sheet {sheet_name!r} is empty")
    names = list(raw.iloc[0])
    dupes = sorted({str(n) for n in names if names.count(n) > 1})
    if dupes:
        raise ShapeError(
            f"cannot read Excel {where}: duplicate column names {dupes!r}: each column needs "
            "its own name"
        )
    table = raw.iloc[1:].reset_index(drop=True)
    table.columns = pd.Index(names, dtype=object)
    return table


def _preamble_lines(path: str | os.PathLike[str], encoding: str | None) -> int:
    """How many lines before the header are comments (``#``) or blank."""
    n = 0
    with open(path, encoding=encoding or "utf-8-sig", newline="") as f:
        for line in f:
            if line.lstrip().startswith("#") or not line.strip():
                n += 1
            else:
                break
    return n


#: pandas options that would change what the cells are; read_csv reads every
#: cell as text and lets the core read it.
_FORCED = ("dtype", "keep_default_na", "na_filter", "comment", "converters", "true_values",
           "false_values", "parse_dates", "date_format", "dtype_backend")  # fmt: skip
#: pandas options for reading a file in pieces or by column: read the file
#: with pandas yourself and pass the DataFrame to from_long/from_wide.
_UNSUPPORTED = ("names", "usecols", "index_col", "chunksize", "iterator", "nrows", "squeeze")


def _read_text_table(path: str | os.PathLike[str], options: dict[str, Any]) -> pd.DataFrame:
    """The file as a table of text: no cell is turned into NaN or cut at a
    ``#`` by pandas, and the header is checked for repeated names before
    pandas could rename them; the core reads the text."""
    for key in _FORCED:
        if key in options:
            raise InputError(
                f"invalid parameter {key}: read_csv reads every cell as text and lets the "
                "core read it; use na_values= for the texts that mean 'not rated'"
            )
    for key in _UNSUPPORTED:
        if key in options:
            raise InputError(
                f"invalid parameter {key}: read_csv reads the whole table; to read part of a "
                "file, read it with pandas and pass the DataFrame to Panel.from_long or "
                "Panel.from_wide"
            )
    header = options.pop("header", 0)
    if isinstance(header, bool) or not isinstance(header, int) or header < 0:
        raise InputError(f"invalid parameter header: {header!r} (the row number of the header)")
    if not isinstance(path, (str, os.PathLike)):
        raise InputError(f"cannot read CSV {path!r}: give a path (got {type(path).__name__})")
    where = os.fspath(path)
    encoding = options.pop("encoding", None)
    try:
        if not Path(where).is_file():
            raise InputError(
                f"cannot read CSV {where}: "
                + ("it is a directory" if Path(where).is_dir() else "no such file")
            )
        # the header row and the rows after it; rows before it (a title) and
        # a comment preamble are skipped
        skip = _preamble_lines(path, encoding) + header
        raw = pd.read_csv(
            path,
            header=None,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skiprows=skip,
            encoding=encoding or "utf-8-sig",
            **options,
        )
    except _core.PortfolioError:
        raise
    except pd.errors.EmptyDataError as e:
        raise InputError(f"cannot read CSV {where}: the file is empty") from e
    except Exception as e:
        raise InputError(f"cannot read CSV {where}: {type(e).__name__}: {e}") from e
    if len(raw) == 0:
        raise InputError(f"cannot read CSV {where}: no header row")
    names = [str(v) for v in raw.iloc[0]]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ShapeError(
            f"cannot read CSV {where}: duplicate column names {dupes!r}: each column needs "
            "its own name"
        )
    try:
        short = _first_short_row(path, skip, encoding, options)
    except (OSError, UnicodeError, csv.Error) as e:
        raise InputError(f"cannot read CSV {where}: {type(e).__name__}: {e}") from e
    if short is not None:
        raise InputError(
            f"cannot read CSV {where}: line {short} has fewer fields than the header "
            f"({len(names)}); pandas would fill them in, so nothing is read"
        )
    table = raw.iloc[1:].reset_index(drop=True)
    table.columns = pd.Index(names)
    return table


def _first_short_row(
    path: str | os.PathLike[str], skip: int, encoding: str | None, options: dict[str, Any]
) -> int | None:
    """The line number of the first row with fewer fields than the header,
    for files in a plain one-character-delimiter dialect (pandas fills the
    missing fields with empty text, which would read as "not rated")."""
    sep = options.get("sep", options.get("delimiter", ","))
    quote = options.get("quotechar", '"')
    if not (isinstance(sep, str) and len(sep) == 1 and isinstance(quote, str) and len(quote) == 1):
        return None
    compressed = str(path).endswith((".gz", ".bz2", ".zip", ".xz", ".zst"))
    if options.get("compression") not in (None, "infer") or compressed:
        return None
    with open(path, encoding=encoding or "utf-8-sig", newline="") as f:
        reader = csv.reader(f, delimiter=sep, quotechar=quote)
        width = None
        for number, row in enumerate(reader, start=1):
            if number <= skip or not row:
                continue
            if width is None:
                width = len(row)
            elif len(row) < width:
                return reader.line_num
    return None
