"""Several raters: how far they agree, and one panel from their ratings."""

from __future__ import annotations

import warnings
from collections.abc import Hashable, Iterable

import pandas as pd

from . import _core
from ._errors import PortfolioWarning, boundary
from ._frames import frame
from ._panel import Panel
from ._progress import Progress, callback
from ._rubric import Rubric


def _pandas(data: object) -> pd.DataFrame:
    """The table as pandas (polars and pyarrow tables through narwhals),
    named index levels as columns."""
    if not isinstance(data, pd.DataFrame):
        import narwhals as nw

        deps = nw.dependencies
        if not (deps.is_into_dataframe(data) or deps.is_into_lazyframe(data)):
            raise _core.InputError(
                "several raters' ratings come as a long table (pandas, polars or pyarrow) "
                f"with a rater column, not a {type(data).__name__}"
            )
        frame_ = nw.from_native(data)
        data = frame_.collect().to_pandas() if hasattr(frame_, "collect") else frame_.to_pandas()
    assert isinstance(data, pd.DataFrame)
    named = [n for n in data.index.names if n is not None]
    return data.reset_index(level=named) if named else data


def _by_rater(
    data: object,
    rubric: Rubric | str | None,
    rater: Hashable | None,
    columns: dict[str, Hashable | None],
    half_steps: bool | None,
    na_values: str | Iterable[str] | None,
) -> tuple[list[str], list[_core.Panel]]:
    """One panel per rater, each read and checked as :meth:`Panel.from_long`
    reads a table; an error in one rater's ratings names the rater."""
    df = _pandas(data)
    header = [str(c) for c in df.columns]
    position = _core.rater_column(header, None if rater is None else str(rater))
    column = df.columns[position]
    who = df[column]
    if who.isna().any():
        row = int(who.isna().to_numpy().nonzero()[0][0])
        raise _core.InputError(f"row {row + 1}: no rater named in column {column!r}")
    as_text = who.astype(str)
    clash = pd.DataFrame({"value": who, "text": as_text}).drop_duplicates()
    merged = clash[clash.duplicated("text", keep=False)]
    if len(merged):
        values = ", ".join(repr(v) for v in merged["value"])
        raise _core.InputError(
            f"raters {values} in column {column!r} read as the same name "
            f"{merged['text'].iloc[0]!r}: make the rater ids one type"
        )
    names, panels = [], []
    for name, part in df.groupby(as_text, sort=True):
        try:
            panel = Panel.from_long(
                part.drop(columns=[column]),
                rubric,
                half_steps=half_steps,
                na_values=na_values,
                **columns,
            )
        except _core.PortfolioError as e:
            raise type(e)(f"rater {name!r}: {e}") from e
        names.append(str(name))
        panels.append(panel._core)
    return names, panels


@boundary
def rater_agreement(
    data: object,
    rubric: Rubric | str | None = None,
    *,
    rater: Hashable | None = None,
    draws: int | None = None,
    seed: int | None = None,
    district: Hashable | None = None,
    date: Hashable | None = None,
    element: Hashable | None = None,
    rating: Hashable | None = None,
    half_steps: bool | None = None,
    na_values: str | Iterable[str] | None = None,
    progress: Progress = None,
) -> pd.DataFrame:
    """How far several raters agree: Krippendorff's alpha with the ordinal
    metric per element, per component and over all elements.

    ``data`` is a long table (as :meth:`Panel.from_long` reads) with a
    column saying who rated (``rater``, ``coder``, ``interviewer``,
    ``reviewer``, or named with ``rater=``): several ratings of the same
    (district, date, element) by different raters. A cell rated by one rater
    only does not count. Alpha is 1 for perfect agreement and 0 for
    agreement at chance; the ordinal metric weighs a disagreement by how
    many ratings fall between the two values.

    Parameters
    ----------
    draws : int, optional
        Bootstrap resamples of the cells for the interval (default 1000).
    seed : int, optional
        The seed of the resampling (default 0); the same seed gives the same
        interval on any machine.
    progress : bool or callable, optional
        As in :func:`uncertainty`: the resampling's progress.

    Returns
    -------
    DataFrame
        Indexed by ``scope`` ("element", "component", "overall") and ``id``:
        ``name`` (element text, component short name, "all elements"),
        ``alpha``, ``low`` and ``high`` (2.5th and 97.5th percentiles over
        the resamples), ``n_units`` (cells rated by two raters or more),
        ``n_values`` (their ratings) and ``reason`` (why an alpha is NaN).
    """
    names, panels = _by_rater(
        data,
        rubric,
        rater,
        {"district": district, "date": date, "element": element, "rating": rating},
        half_steps,
        na_values,
    )
    return frame(
        _core.rater_agreement(
            panels,
            names,
            draws=draws,
            seed=seed,
            progress=callback(progress, "agreement resamples"),
        )
    )


@boundary
def consensus(
    data: object,
    rubric: Rubric | str | None = None,
    *,
    rule: str | None = None,
    rater: Hashable | None = None,
    by: str | None = None,
    district: Hashable | None = None,
    date: Hashable | None = None,
    element: Hashable | None = None,
    rating: Hashable | None = None,
    half_steps: bool | None = None,
    na_values: str | Iterable[str] | None = None,
) -> Panel:
    """One panel from several raters' ratings.

    Parameters
    ----------
    rule : {"median", "mean", "rater"}, optional
        Per cell, the median of the raters' ratings (the default; of an even
        count, the mean of the middle two, which may fall halfway between
        levels), their mean (any value within the scale), or one rater's
        rating (``by=`` names the rater).
    rater : column name, optional
        The column that says who rated (found by name when not given).
    by : str, optional
        The rater whose ratings the panel takes, with ``rule="rater"``; the
        snapshots that rater did not rate are not in the panel, and a
        :class:`PortfolioWarning` names them.

    Returns
    -------
    Panel
        Its :attr:`Panel.consensus` names the rule and the raters, and so
        does its label.
    """
    names, panels = _by_rater(
        data,
        rubric,
        rater,
        {"district": district, "date": date, "element": element, "rating": rating},
        half_steps,
        na_values,
    )
    result = Panel(_core.consensus(panels, names, rule=rule, by=by))
    if by is not None and rule in (None, "rater"):
        everyone = set().union(*(Panel(p).index for p in panels))
        left_out = sorted(everyone - set(result.index), key=str)
        if left_out:
            shown = ", ".join(f"{d} {m}" for d, m in left_out[:5])
            more = f" and {len(left_out) - 5} more" if len(left_out) > 5 else ""
            warnings.warn(
                f"{len(left_out)} snapshots rated by other raters only are not in rater "
                f"{by!r}'s panel: {shown}{more}",
                PortfolioWarning,
                stacklevel=3,
            )
    return result
