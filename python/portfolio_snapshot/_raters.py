"""Several raters: how far they agree, and one panel from their ratings."""

from __future__ import annotations

from collections.abc import Hashable, Iterable

import pandas as pd

from . import _core
from ._errors import boundary
from ._frames import frame
from ._panel import Panel
from ._rubric import Rubric


def _by_rater(
    data: pd.DataFrame,
    rubric: Rubric | str | None,
    rater: Hashable | None,
    columns: dict[str, Hashable | None],
    half_steps: bool | None,
    na_values: str | Iterable[str] | None,
) -> tuple[list[str], list[_core.Panel]]:
    """One panel per rater, each read and checked as :meth:`Panel.from_long`
    reads a table."""
    if not isinstance(data, pd.DataFrame):
        raise _core.InputError(
            f"several raters' ratings come as a long DataFrame with a rater column, "
            f"not a {type(data).__name__}"
        )
    header = [str(c) for c in data.columns]
    position = _core.rater_column(header, None if rater is None else str(rater))
    column = data.columns[position]
    who = data[column]
    if who.isna().any():
        row = int(who.isna().to_numpy().nonzero()[0][0])
        raise _core.InputError(f"row {row + 1}: no rater named in column {column!r}")
    names, panels = [], []
    for name, part in data.groupby(who.astype(str), sort=True):
        panel = Panel.from_long(
            part.drop(columns=[column]),
            rubric,
            half_steps=half_steps,
            na_values=na_values,
            **columns,
        )
        names.append(str(name))
        panels.append(panel._core)
    return names, panels


@boundary
def rater_agreement(
    data: pd.DataFrame,
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
    return frame(_core.rater_agreement(panels, names, draws=draws, seed=seed))


@boundary
def consensus(
    data: pd.DataFrame,
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
        The rater whose ratings the panel takes, with ``rule="rater"``.

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
    return Panel(_core.consensus(panels, names, rule=rule, rater=by))
