"""One district as DataFrames: its profile against the network and its
shortest path into (or out of) "advanced"."""

from __future__ import annotations

import pandas as pd

from . import _core
from ._analysis import Missing, Weights, _core_panel
from ._errors import boundary
from ._frames import frame
from ._panel import Panel


@boundary
def profile(
    panel: Panel,
    district: str,
    *,
    basis: str | None = None,
    n_weakest: int | None = None,
) -> pd.DataFrame:
    """One district's element values next to the network's.

    For each element, the district's value on the basis (the mean over its
    snapshots, or its latest snapshot) next to the median and quartiles of
    every district's value (the district itself included; quartiles by
    linear interpolation, as ``numpy.percentile`` computes them by default),
    the gap to the median, and a rank of the shortfalls.

    Parameters
    ----------
    district : str
        A district of the panel.
    basis : {"average", "recent"}, optional
        Default "average".
    n_weakest : int, optional
        ``weakest`` flags the elements whose shortfall rank is at most this
        (default 5, the report's number of sticking points); equal gaps share
        a rank, so a tie at the cut is flagged whole and more elements may be
        flagged.

    Returns
    -------
    DataFrame
        Indexed by ``element_id``, in rubric order: ``element``,
        ``component``, ``value`` (NaN: not rated), ``network_q1``,
        ``network_median``, ``network_q3``, ``n_districts`` (districts that
        rate the element), ``gap`` (value minus median), ``shortfall_rank``
        (1 for the most negative gap, equal gaps sharing the lower rank;
        missing at or above the median) and ``weakest``.

    Examples
    --------
    >>> import portfolio_snapshot as ps
    >>> p = ps.profile(ps.datasets.demo_panel(), "Spring Branch")
    >>> int(p["weakest"].sum())
    5
    """
    return frame(_core.profile(_core_panel(panel), district, basis=basis, n_weakest=n_weakest))


@boundary
def path_to_advanced(
    panel: Panel,
    district: str,
    *,
    basis: str | None = None,
    missing: Missing | None = None,
    aggregation: str | None = None,
    weights: Weights | None = None,
    advanced_level: float | None = None,
    advanced_share: float | None = None,
) -> pd.DataFrame:
    """The fewest one-level rating changes that make ``district`` advanced,
    or, for a district that is advanced, that end it.

    A move raises (or lowers) one element rating of the district's latest
    snapshot by one level of the scale, never past the top (or bottom);
    unrated elements stay unrated. The answer is exact: for each component,
    the fewest moves that bring its band to the rule's level (or below it),
    then the cheapest components, every band decided in exact arithmetic.

    Parameters
    ----------
    district : str
        A district of the panel.
    basis : {"recent", "average"}, optional
        Default "recent": the latest snapshot, which is what a move changes.
        On "average", a move changes an element's mean by the step over the
        number of snapshots rating it.
    missing, aggregation, weights, advanced_level, advanced_share
        As in :func:`summarize`.

    Returns
    -------
    DataFrame
        One row per element moved, indexed by ``element_id``: ``element``,
        ``component``, ``from_rating``, ``to_rating``, ``steps``. ``attrs``
        holds ``advanced`` (now), ``direction`` ("raise" or "lower"),
        ``total_steps`` (None when no moves can do it, with ``reason``),
        ``level`` and ``min_components`` (the rule), ``components`` (each
        component's score, band, whether it is at the level, the fewest moves
        that change that, and whether the path uses it) and ``summary`` (one
        sentence).

    Examples
    --------
    >>> import portfolio_snapshot as ps
    >>> path = ps.path_to_advanced(ps.datasets.demo_panel(), "Tulsa")
    >>> path.attrs["direction"], int(path["steps"].sum()) == path.attrs["total_steps"]
    ('raise', True)
    """
    return frame(
        _core.path_to_advanced(
            _core_panel(panel),
            district,
            basis=basis,
            missing=missing,
            aggregation=aggregation,
            weights=weights,
            advanced_level=advanced_level,
            advanced_share=advanced_share,
        )
    )
