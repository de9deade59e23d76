"""Trajectories over time as DataFrames."""

from __future__ import annotations

import pandas as pd

from . import _core
from ._analysis import Missing, Weights, _core_panel
from ._errors import boundary
from ._frames import frame
from ._panel import Panel


@boundary
def trends(
    panel: Panel,
    *,
    missing: Missing | None = None,
    aggregation: str | None = None,
    weights: Weights | None = None,
) -> pd.DataFrame:
    """How fast each district's scores change: the least-squares slope of
    the overall score and of each component score against the snapshot
    date, in score points per year.

    Dates count as fractional years (January 2014 is 2014.0, July 2014 is
    2014.5). Each series is fitted on the snapshots where it has a score, as
    ``numpy.polyfit(years, scores, 1)`` would be on those snapshots.

    Returns
    -------
    DataFrame
        Indexed by ``district``: ``n_snapshots``, ``first_date``,
        ``last_date``, ``overall_slope``, one slope column per component
        (short names), and ``reason``, which says why a slope is NaN (fewer
        than two snapshots with a score); ``attrs["unit"]`` names the unit.

    Examples
    --------
    >>> import portfolio_snapshot as ps
    >>> t = ps.trends(ps.datasets.demo_panel())
    >>> t.loc["Denver", "n_snapshots"]
    np.int64(6)
    """
    return frame(
        _core.trends(_core_panel(panel), missing=missing, aggregation=aggregation, weights=weights)
    )
