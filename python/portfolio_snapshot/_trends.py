"""Change over time as DataFrames: trends with trajectory classes, and the
change between two dates."""

from __future__ import annotations

import pandas as pd

from . import _core
from ._analysis import Missing, Weights, _over_time
from ._errors import boundary
from ._frames import frame
from ._mixed import MixedPanel
from ._panel import Panel


@boundary
def trends(
    panel: Panel | MixedPanel,
    *,
    missing: Missing | None = None,
    aggregation: str | None = None,
    weights: Weights | None = None,
    min_snapshots: int | None = None,
    stall_band: float | None = None,
) -> pd.DataFrame:
    """How fast each district's scores change, and its trajectory.

    The slope is the least-squares slope of the overall score (and of each
    component score) against the snapshot date, in score points per year.
    Dates count as fractional years (January 2014 is 2014.0, July 2014 is
    2014.5). Each series is fitted on the snapshots where it has a score, as
    ``numpy.polyfit(years, scores, 1)`` would be on those snapshots.

    The trajectory class follows the overall slope: "rising" at
    ``stall_band`` points a year or more, "declining" at ``-stall_band`` or
    less, "stalled" in between, and "too few snapshots" below
    ``min_snapshots`` snapshots with an overall score. The report speaks of
    "stalled" districts and districts "just getting started" without
    defining either; these thresholds are this library's choice.

    Parameters
    ----------
    min_snapshots : int, optional
        Fewest scored snapshots a class other than "too few snapshots"
        needs (default 3, the report's bar for including a district; at
        least 2).
    stall_band : float, optional
        Half-width of the "stalled" band, in score points per year (default
        0.1: on the 2016 rubric, one element rising one level moves the
        overall score by about 0.03).

    Returns
    -------
    DataFrame
        Indexed by ``district``: ``n_snapshots``, ``first_date``,
        ``last_date``, ``overall_slope``, one slope column per component
        (short names), ``n_scored`` (snapshots with an overall score),
        ``trajectory`` (ordered categories) and ``reason``, which says why a
        slope is NaN. ``attrs`` names the unit and the thresholds used.

    Examples
    --------
    >>> import portfolio_snapshot as ps
    >>> t = ps.trends(ps.datasets.demo_panel())
    >>> t.loc["Denver", "n_snapshots"]
    np.int64(6)
    >>> list(t["trajectory"].cat.categories)
    ['rising', 'stalled', 'declining', 'too few snapshots']
    """
    return frame(
        _core.trends(
            _over_time(panel),
            missing=missing,
            aggregation=aggregation,
            weights=weights,
            min_snapshots=min_snapshots,
            stall_band=stall_band,
        )
    )


@boundary
def compare(
    panel: Panel | MixedPanel,
    start: object,
    end: object,
    *,
    missing: Missing | None = None,
    aggregation: str | None = None,
    weights: Weights | None = None,
) -> pd.DataFrame:
    """The change of each district's scores and ratings between two dates.

    For each district, the snapshot in force at ``start`` and the one in
    force at ``end`` are the latest on or before each date; both dates are
    shown, so a change of 0 between the same snapshot (no snapshot was taken
    in between) can be told from a real standstill.

    Parameters
    ----------
    start, end : date
        Text ("2014-01", "Jan. 2014"), a date or datetime, a monthly Period
        or a numpy datetime64; ``start`` must not be after ``end``.

    Returns
    -------
    DataFrame
        Indexed by ``district``, ``kind`` ("overall", "component",
        "element") and ``item_id`` ("overall", a component id or an element
        id): ``item`` (component short name or element text),
        ``component``, ``start_date``, ``end_date``, ``start_value``,
        ``end_value``, ``change`` and ``reason``, which says why a change is
        NaN (no snapshot by ``start``, not rated, no score).

    Examples
    --------
    >>> import portfolio_snapshot as ps
    >>> c = ps.compare(ps.datasets.demo_panel(), "Jan. 2014", "2016-01")
    >>> c.loc[("Denver", "overall", "overall"), "start_date"]
    Period('2014-01', 'M')
    """
    return frame(
        _core.compare(
            _over_time(panel),
            start,
            end,
            missing=missing,
            aggregation=aggregation,
            weights=weights,
        )
    )
