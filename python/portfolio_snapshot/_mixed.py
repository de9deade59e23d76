"""Snapshots rated under several rubric versions in one panel."""

from __future__ import annotations

import os
import re
from collections.abc import Hashable, Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from . import _core
from ._errors import boundary
from ._input import as_pandas, is_table
from ._panel import Panel, _read_text_table, _version_values
from ._rubric import Rubric

Crosswalks = Iterable[pd.DataFrame | str | os.PathLike[str]]


def _table(data: object, what: str) -> pd.DataFrame:
    """A pandas, polars or pyarrow table as pandas, named index levels as
    columns."""
    frame = as_pandas(data, what)
    named = [n for n in frame.index.names if n is not None]
    return frame.reset_index(level=named) if named else frame


def _crosswalk_texts(crosswalks: object) -> list[str]:
    """Each crosswalk as CSV text for the core, which reads and checks it."""
    if crosswalks is None:
        return []
    if isinstance(crosswalks, (str, os.PathLike)) or is_table(crosswalks):
        crosswalks = [crosswalks]
    if isinstance(crosswalks, (bytes, Mapping)) or not isinstance(crosswalks, Iterable):
        raise _core.InputError(
            "crosswalks: a crosswalk (a DataFrame or a CSV file path) or a list of them, "
            f"not a {type(crosswalks).__name__}"
        )
    texts = []
    for i, cw in enumerate(crosswalks):
        if is_table(cw):
            attrs = dict(getattr(cw, "attrs", {}) or {})
            cw = _table(cw, "crosswalk")
            # the layout of ps.datasets.crosswalk(): the rubric ids in attrs
            ids = {k: attrs[k] for k in ("from_rubric", "to_rubric") if k in attrs}
            cw = cw.assign(**{k: v for k, v in ids.items() if k not in cw.columns})
            if set(_core.CROSSWALK_COLUMNS) <= set(map(str, cw.columns)):
                cw = cw[list(_core.CROSSWALK_COLUMNS)]
            texts.append(cw.to_csv(index=False))
        elif isinstance(cw, (str, os.PathLike)):
            where = os.fspath(cw)
            if not os.path.isfile(where):
                what = "it is a directory" if os.path.isdir(where) else "no such file"
                raise _core.InputError(f"crosswalks[{i}]: cannot read {where!r}: {what}")
            try:
                with open(where, encoding="utf-8-sig") as f:
                    texts.append(f.read())
            except (OSError, UnicodeDecodeError) as e:
                raise _core.InputError(
                    f"crosswalks[{i}]: cannot read {where!r} as UTF-8 CSV text: {e}"
                ) from None
        else:
            raise _core.InputError(
                f"crosswalks[{i}]: a crosswalk is a DataFrame or a CSV file path, "
                f"not a {type(cw).__name__}"
            )
    return texts


def _rubrics_by_id(rubrics: object) -> dict[str, Rubric]:
    """The rubrics given for ``from_long`` by id (a Rubric or a built-in id
    each); one id for two different rubrics is refused."""
    if rubrics is None:
        return {}
    if isinstance(rubrics, (str, Rubric)):
        rubrics = [rubrics]
    if not isinstance(rubrics, Iterable):
        raise _core.InputError(
            f"rubrics: a list of Rubric objects (or built-in ids), not a {type(rubrics).__name__}"
        )
    out: dict[str, Rubric] = {}
    for i, r in enumerate(rubrics):
        if not isinstance(r, (str, Rubric)):
            raise _core.InputError(
                f"rubrics[{i}]: a Rubric or a built-in id, not a {type(r).__name__}"
            )
        rubric = Rubric._coerce(r)
        if rubric.id in out and out[rubric.id] != rubric:
            raise _core.InputError(
                f"rubrics[{i}]: two different rubrics share the id {rubric.id!r}"
            )
        out[rubric.id] = rubric
    return out


class MixedPanel:
    """Snapshots rated under different rubric versions (CRPE's 2012 list of
    31 elements and its 2016 list of 36), each snapshot keeping its own.

    :func:`portfolio_snapshot.score`, :func:`~portfolio_snapshot.trends`
    and :func:`~portfolio_snapshot.compare` take a mixed panel: overall and
    component scores are computed on each snapshot's own rubric, element
    ratings are shown on the ``target`` rubric's elements (older versions
    through the crosswalk, so an element with no counterpart says so), and
    each result names the version of every snapshot it used.

    Comparing across versions assumes the versions share their components
    (same ids, weights and scale; checked) and that a component scored on
    one version's elements measures what it measures on the other's. The
    crosswalk's ``narrower`` and ``broader`` mappings mark where an
    element's meaning holds only in part. Analyses that average elements
    over time (district summaries, the simulation) need one element list:
    run them on :attr:`translated` or on one version of :attr:`parts`.

    Parameters
    ----------
    panels : list of Panel
        Any number of panels, on any rubric versions; a (district, date)
        may appear in one version only.
    target : Rubric or str
        The version whose elements element-level results use (default
        ``crpe-2016``).
    crosswalks : list of DataFrame or CSV path, optional
        Crosswalks from each other version to the target, in the columns of
        :func:`portfolio_snapshot.datasets.crosswalk`; the shipped 2012-2016
        crosswalk is used where none given fits.

    Examples
    --------
    >>> import portfolio_snapshot as ps
    >>> m = ps.MixedPanel([panel_2012, panel_2016])  # doctest: +SKIP
    >>> ps.score(m)["rubric"]  # doctest: +SKIP
    """

    __slots__ = ("_core",)

    @boundary
    def __init__(
        self,
        panels: Iterable[Panel] | _core.MixedPanel,
        *,
        target: Rubric | str = "crpe-2016",
        crosswalks: Crosswalks | None = None,
    ) -> None:
        if isinstance(panels, _core.MixedPanel):
            self._core: _core.MixedPanel = panels
            return
        if isinstance(panels, (Panel, str, bytes)) or not isinstance(panels, Iterable):
            raise _core.InputError(
                f"panels: a list of Panel objects, not a {type(panels).__name__}"
            )
        cores = []
        for i, p in enumerate(panels):
            if not isinstance(p, Panel):
                raise _core.InputError(f"panels[{i}]: a Panel, not a {type(p).__name__}")
            cores.append(p._core)
        self._core = _core.MixedPanel(
            cores, Rubric._coerce(target)._core, _crosswalk_texts(crosswalks)
        )

    @classmethod
    @boundary
    def from_long(
        cls,
        df: pd.DataFrame,
        *,
        rubric: Hashable | None = None,
        rubrics: Iterable[Rubric | str] | None = None,
        target: Rubric | str = "crpe-2016",
        crosswalks: Crosswalks | None = None,
        district: Hashable | None = None,
        date: Hashable | None = None,
        element: Hashable | None = None,
        rating: Hashable | None = None,
        half_steps: bool | None = None,
        na_values: str | Iterable[str] | None = None,
    ) -> MixedPanel:
        """A mixed panel from a long table whose ``rubric`` column names the
        version each rating follows ("crpe-2012", "crpe-2016", or the id of
        a rubric in ``rubrics``).

        The column is found by name ("rubric", "rubric id" or "rubric
        version", in any letter case) unless ``rubric=`` names it. Each version's
        rows are read as :meth:`Panel.from_long` reads a table, so an error
        names the version as well as the district, date, element or value.

        Raises
        ------
        ShapeError
            No version column, or a version column with empty cells.
        InputError
            A version no built-in rubric or given rubric has.
        DuplicateError
            A (district, date) rated under two versions.
        """
        data = _table(df, "table mixing rubric versions").reset_index(drop=True)
        header = [str(c) for c in data.columns]
        column = data.columns[_core.version_column(header, None if rubric is None else str(rubric))]
        given = _rubrics_by_id(rubrics)
        version = data[column]
        as_text = version.astype(str).str.strip()
        blank = version.isna().to_numpy() | (as_text == "").to_numpy()
        if blank.any():
            row = int(blank.nonzero()[0][0])
            raise _core.ShapeError(f"row {row}: no rubric version in column {column!r}")
        names = {"district": district, "date": date, "element": element, "rating": rating}
        panels = []
        for vid, part in data.groupby(as_text, sort=True):
            r = given.get(str(vid)) or _builtin(str(vid), column, sorted(given))
            try:
                panels.append(
                    Panel._from_table(
                        part.drop(columns=[column]).reset_index(drop=True),
                        r,
                        "long",
                        names,
                        half_steps,
                        na_values,
                        versions_checked=True,
                    )
                )
            except _core.PortfolioError as e:
                raise type(e)(f"rubric {vid}: {_table_rows(str(e), part.index)}") from e
        return cls(panels, target=target, crosswalks=crosswalks)

    @classmethod
    @boundary
    def read_csv(
        cls,
        path: str | os.PathLike[str],
        *,
        rubric: Hashable | None = None,
        rubrics: Iterable[Rubric | str] | None = None,
        target: Rubric | str = "crpe-2016",
        crosswalks: Crosswalks | None = None,
        district: Hashable | None = None,
        date: Hashable | None = None,
        element: Hashable | None = None,
        rating: Hashable | None = None,
        half_steps: bool | None = None,
        na_values: str | Iterable[str] | None = None,
        **read_csv: Any,
    ) -> MixedPanel:
        """A mixed panel from a long ratings CSV with a rubric version
        column, every cell read as text as :meth:`Panel.read_csv` reads it;
        the rest as :meth:`from_long`."""
        return cls.from_long(
            _read_text_table(path, read_csv),
            rubric=rubric,
            rubrics=rubrics,
            target=target,
            crosswalks=crosswalks,
            district=district,
            date=date,
            element=element,
            rating=rating,
            half_steps=half_steps,
            na_values=na_values,
        )

    # contents -----------------------------------------------------------
    @property
    def translated(self) -> Panel:
        """Every snapshot on the target rubric's elements (older versions
        through the crosswalk: elements with no counterpart are not rated).
        District summaries, rankings and the simulation run on this; its
        label says the ratings were carried across."""
        return Panel(self._core.translated)

    @property
    def parts(self) -> list[Panel]:
        """One panel per version, each on its own rubric (target first)."""
        return [Panel(p) for p in self._core.parts]

    @property
    def target(self) -> Rubric:
        """The rubric whose elements element-level results use."""
        return Rubric(self._core.target)

    @property
    def versions(self) -> pd.Series:
        """The rubric id of each snapshot, indexed by (district, date)."""
        return pd.Series(self._core.versions, index=self.translated.index, name="rubric")

    @property
    def rubric_ids(self) -> list[str]:
        """The versions in the panel (target first)."""
        return [p.rubric.id for p in self.parts]

    @property
    def district_names(self) -> list[str]:
        """District names, sorted."""
        return self.translated.district_names

    @property
    def n_snapshots(self) -> int:
        """Number of snapshots, all versions together."""
        return self.translated.n_snapshots

    @property
    def n_districts(self) -> int:
        """Number of districts."""
        return self.translated.n_districts

    @property
    def synthetic(self) -> bool:
        """Whether any version's ratings are invented."""
        return self.translated.synthetic

    @property
    def label(self) -> str | None:
        """Where the ratings come from, version by version."""
        return self.translated.label

    def to_long(self, *, dropna: bool = True) -> pd.DataFrame:
        """One row per (district, date, element) on each snapshot's own
        rubric, with a ``rubric`` column: :meth:`from_long` reads it back."""
        frames = []
        for p in self.parts:
            f = p.to_long(dropna=dropna)
            f.insert(2, "rubric", np.full(len(f), p.rubric.id, dtype=object))
            frames.append(f)
        out = pd.concat(frames, ignore_index=True)
        return out.sort_values(["district", "date"], kind="stable", ignore_index=True)

    def __reduce__(self) -> tuple[type[MixedPanel], tuple[_core.MixedPanel]]:
        return (MixedPanel, (self._core,))

    def __eq__(self, other: object) -> bool:
        """Equal when every version holds the same snapshots and ratings."""
        return isinstance(other, MixedPanel) and self.parts == other.parts

    def __hash__(self) -> int:
        return hash(tuple(self.parts))

    def __len__(self) -> int:
        return self.n_snapshots

    def __repr__(self) -> str:
        return repr(self._core)


def _table_rows(message: str, rows: pd.Index) -> str:
    """An error about one version's rows, its row numbers put back in the
    whole table's numbering (``rows``: the table's row of each of them)."""
    return re.sub(
        r"\brow (\d+)\b",
        lambda m: f"row {rows[int(m.group(1))]}" if int(m.group(1)) < len(rows) else m.group(0),
        message,
    )


def _builtin(vid: str, column: Hashable, given: list[str]) -> Rubric:
    try:
        return Rubric.builtin(vid)
    except _core.PortfolioError as e:
        extra = f" or of the rubrics given ({', '.join(given)})" if given else ""
        raise _core.InputError(
            f"column {column!r}: {vid!r} is not the id of a built-in rubric{extra}: {e}"
        ) from e


def core_mixed(panel: object) -> _core.MixedPanel | None:
    """The core of a mixed panel, None for anything else."""
    if isinstance(panel, MixedPanel):
        return panel._core
    if isinstance(panel, _core.MixedPanel):
        return panel
    return None


@boundary
def read_ratings_csv(
    path: str | os.PathLike[str],
    rubric: Rubric | str | None,
    *,
    district: Hashable | None = None,
    date: Hashable | None = None,
    element: Hashable | None = None,
    rating: Hashable | None = None,
    half_steps: bool | None = None,
    na_values: str | Iterable[str] | None = None,
) -> Panel | MixedPanel:
    """A ratings CSV, read once: a :class:`MixedPanel` when a rubric version
    column names more than one version (the command line's reader), else a
    :class:`Panel` as :meth:`Panel.read_csv` reads it."""
    table = _read_text_table(path, {})
    names = {"district": district, "date": date, "element": element, "rating": rating}
    if any(len(named) > 1 for _, named in _version_values(table)):
        if rubric is not None:
            raise _core.InputError(
                f"{os.fspath(path)} names several rubric versions in a column: each rating's "
                "version comes from it, so --rubric does not apply"
            )
        return MixedPanel.from_long(
            table,
            district=district,
            date=date,
            element=element,
            rating=rating,
            half_steps=half_steps,
            na_values=na_values,
        )
    return Panel._from_table(table, rubric, None, names, half_steps, na_values)
