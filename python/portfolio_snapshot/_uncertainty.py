"""How sure is a classification? Monte Carlo robustness of the report's
conclusions (scores, ranks, quadrants, the advanced flag, sticking points)."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from . import _core
from ._analysis import _core_panel
from ._errors import boundary
from ._frames import frame
from ._panel import Panel
from ._progress import Progress, callback
from ._types import DrawsTable

AggregationMix = Mapping[str, float] | tuple[float, float]


@boundary
def uncertainty(
    panel: Panel,
    *,
    draws: int | None = None,
    seed: int | None = None,
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
) -> pd.DataFrame:
    """Monte Carlo robustness of every district's summary.

    Each draw perturbs the inputs and assumptions with the sources switched
    on, recomputes the district summaries, and the draws are summarised.
    Every source is off by default; with all off each draw equals
    :func:`summarize`. Ctrl-C stops a long run.

    Parameters
    ----------
    draws, seed : int, optional
        Number of draws (default 10,000) and the seed (default 0). Draw ``t``
        has its own generator, so the same seed gives bit-identical results
        on any number of threads.
    rating_noise : float, optional
        Probability that a rating moves one level (half up, half down,
        clamped to the scale).
    bootstrap_elements : bool, optional
        Resample each district's rated elements within each component.
    weight_alpha : float, optional
        Component weights drawn from a Dirichlet(alpha, ..., alpha) around
        equal weights (larger alpha: closer to equal).
    y_cut_range, x_cut_range : (float, float), optional
        Ranges the score and spread cuts are drawn from uniformly (otherwise
        the cuts of :func:`summarize`, recomputed in each draw).
    aggregation : mapping or pair, optional
        Probabilities of ``{"mean_of_means": p, "pooled": q}`` per draw.
    basis, missing
        As in :func:`summarize`.
    memory_limit : int, optional
        Bytes the draws may take (default 4 GiB); a larger request is refused
        before anything is allocated, naming the size.
    progress : bool or callable, optional
        ``True`` shows the draws done: a tqdm bar (a widget in a notebook)
        when tqdm is installed (the extra ``progress``), else a line on
        stderr. A callable is called with ``(done, total)`` from the calling
        thread as the draws advance; an exception it raises stops the run.

    Returns
    -------
    DataFrame
        Indexed by district: ``score_mean``, ``score_p5``, ``score_p50``,
        ``score_p95`` (percentiles, numpy's linear rule), ``p_advanced``, one
        ``p_<quadrant>`` column per quadrant, ``rank_median``, ``rank_p5`` and
        ``rank_p95`` (1 = highest score; a 90% interval). ``frame.attrs``
        holds the options, ``sources`` (in words) and ``p_sticking_point``:
        per component, the share of draws in which it is among the three
        lowest.
    """
    return frame(
        _core.uncertainty(
            _core_panel(panel),
            draws=draws,
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
            progress=callback(progress, "uncertainty draws"),
        )
    )


@boundary
def uncertainty_draws(
    panel: Panel,
    *,
    draws: int | None = None,
    seed: int | None = None,
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
) -> DrawsTable:
    """Every draw of :func:`uncertainty` (same keyword arguments): arrays of
    draws x districts ``score``, ``spread``, ``rank``, ``advanced``,
    ``quadrant`` (index into :data:`QUADRANTS`, 255 for none), draws x
    components ``sticking``, and draws x 2 ``cuts`` (y, x); ``districts``
    and ``component_names`` label them."""
    return _core.uncertainty_draws(
        _core_panel(panel),
        draws=draws,
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
        progress=callback(progress, "uncertainty draws"),
    )
