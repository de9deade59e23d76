"""Which assumption matters most: Sobol indices of the simulation's sources
of uncertainty, and the simulation's model run on inputs of your choosing."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from . import _core
from ._analysis import _core_panel
from ._errors import boundary
from ._frames import frame
from ._panel import Panel
from ._progress import Progress, callback
from ._uncertainty import AggregationMix


@boundary
def sensitivity(
    panel: Panel,
    *,
    rating_noise: float | None = None,
    bootstrap_elements: bool | None = None,
    weight_alpha: float | None = None,
    y_cut_range: tuple[float, float] | None = None,
    x_cut_range: tuple[float, float] | None = None,
    aggregation: AggregationMix | None = None,
    base_rows: int | None = None,
    resamples: int | None = None,
    level: float | None = None,
    seed: int | None = None,
    basis: str | None = None,
    missing: str | float | None = None,
    memory_limit: int | None = None,
    progress: Progress = None,
) -> pd.DataFrame:
    """Which of the simulation's sources of uncertainty drives the
    conclusions: first-order and total Sobol indices of each source.

    Each source switched on (as in :func:`uncertainty`) is one input of the
    model "one draw of the simulation": the rating noise, the element
    bootstrap and the weights each draw their many random numbers from a
    generator of their own seeded by the input, so their index is that of
    the whole source; a cut or the aggregation rule follows the input
    directly. A Saltelli design of ``base_rows`` rows runs the model
    ``base_rows * (k + 2)`` times for ``k`` sources; Jansen's estimators
    give the indices:

    - **first order** ``S``: the share of the output's variance the source
      explains alone;
    - **total** ``ST``: its share alone and through interactions with the
      others (``ST - S`` is the interaction part; ``ST`` near 0 means the
      source can be fixed at any value without changing the output).

    With no source named, every source is on around the report's choices
    (rating noise 0.1, the element bootstrap, Dirichlet weights of
    concentration 10, the score cut half a level either side of the
    midpoint, the spread cut a quarter either side of the panel's own, and
    either aggregation rule) and ``base_rows`` is 256.

    When not to trust them: the indices are estimates whose intervals
    (bootstrap percentiles over the base rows) shrink as ``base_rows``
    grows, and they describe the ranges you chose, not the world; a
    first-order index below 0 or a total above 1 is estimation noise.

    Parameters
    ----------
    rating_noise, bootstrap_elements, weight_alpha, y_cut_range, x_cut_range, aggregation
        The sources, as in :func:`uncertainty`.
    base_rows : int, optional
        Rows of the design (default 1,024, or 256 with the report's set).
    resamples, level : optional
        Bootstrap resamples (default 100) and coverage (default 0.9) of
        the intervals.
    seed : int, optional
        Seed of the design and the resamples (default 0).
    basis, missing, memory_limit, progress
        As in :func:`uncertainty`; progress counts the runs.

    Returns
    -------
    DataFrame
        Indexed by ``output`` ("score", "rank", "n_advanced" and the number
        of districts in each quadrant), ``district`` (NaN for the
        network-level outputs) and ``source``: ``first``, ``first_low``,
        ``first_high``, ``total``, ``total_low``, ``total_high``. An output
        that does not vary (the cuts never move a score) has NaN indices.
        ``attrs["headline"]`` names the source that matters most, in a
        sentence; ``attrs`` also holds the design's size and the sources in
        force.

    Examples
    --------
    >>> import portfolio_snapshot as ps
    >>> s = ps.sensitivity(ps.datasets.demo_panel(), base_rows=64)  # doctest: +SKIP
    >>> s.attrs["headline"]  # doctest: +SKIP
    """
    return frame(
        _core.sensitivity(
            _core_panel(panel),
            base_rows=base_rows,
            resamples=resamples,
            level=level,
            seed=seed,
            rating_noise=rating_noise,
            bootstrap_elements=bootstrap_elements,
            weight_alpha=weight_alpha,
            y_cut_range=y_cut_range,
            x_cut_range=x_cut_range,
            aggregation=aggregation,
            basis=basis,
            missing=missing,
            memory_limit=memory_limit,
            progress=callback(progress, "sensitivity runs"),
        )
    )


@boundary
def sensitivity_runs(
    panel: Panel,
    inputs: Any,
    *,
    rating_noise: float | None = None,
    bootstrap_elements: bool | None = None,
    weight_alpha: float | None = None,
    y_cut_range: tuple[float, float] | None = None,
    x_cut_range: tuple[float, float] | None = None,
    aggregation: AggregationMix | None = None,
    basis: str | None = None,
    missing: str | float | None = None,
    memory_limit: int | None = None,
    progress: Progress = None,
) -> dict[str, Any]:
    """The model behind :func:`sensitivity`, run once per row of ``inputs``
    (runs x sources, each in [0, 1); columns in the order of the sources
    switched on, which ``result["sources"]`` names): for driving the
    simulation from another sampler, such as SALib's.

    Returns a dict of arrays of runs x districts: ``score``, ``rank``,
    ``advanced`` and ``quadrant`` (index into :data:`QUADRANTS`, 255 for
    none), with ``districts`` and ``sources``.
    """
    if np.ma.isMaskedArray(inputs):
        raise _core.InputError(
            "inputs: a masked array; every input must be given (fill or drop the masked runs)"
        )
    try:
        array = np.asarray(inputs)
    except (ValueError, TypeError) as e:
        raise _core.InputError(
            f"inputs: a table of numbers (runs x sources), one per source in each run: {e}"
        ) from None
    if array.dtype == bool or np.iscomplexobj(array) or not np.issubdtype(array.dtype, np.number):
        raise _core.InputError(
            f"inputs: numbers from 0 up to 1 (runs x sources), not {array.dtype} values"
        )
    return dict(
        _core.sensitivity_runs(
            _core_panel(panel),
            np.ascontiguousarray(array, dtype=np.float64),
            rating_noise=rating_noise,
            bootstrap_elements=bootstrap_elements,
            weight_alpha=weight_alpha,
            y_cut_range=y_cut_range,
            x_cut_range=x_cut_range,
            aggregation=aggregation,
            basis=basis,
            missing=missing,
            memory_limit=memory_limit,
            progress=callback(progress, "sensitivity runs"),
        )
    )
