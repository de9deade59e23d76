"""How sure is a classification? Monte Carlo robustness of the report's
conclusions (scores, ranks, quadrants, the advanced flag, sticking points)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from . import _core
from ._analysis import QUADRANTS, _check_panel, _tag
from ._errors import boundary
from ._panel import Panel

QUADRANT_COLUMNS = [f"p_{q.replace(' ', '_')}" for q in QUADRANTS]


def _aggregation(aggregation: Mapping[str, float] | tuple[float, float] | None):
    if aggregation is None:
        return None
    if isinstance(aggregation, Mapping):
        unknown = set(aggregation) - {"mean_of_means", "pooled"}
        if unknown:
            raise _core.InputError(
                f"aggregation keys must be 'mean_of_means' and 'pooled', got {sorted(unknown)!r}"
            )
        return (float(aggregation.get("mean_of_means", 0.0)), float(aggregation.get("pooled", 0.0)))
    mean_of_means, pooled = aggregation
    return (float(mean_of_means), float(pooled))


def _range(name: str, r: tuple[float, float] | None):
    if r is None:
        return None
    try:
        lo, hi = r
        return (float(lo), float(hi))
    except (TypeError, ValueError):
        raise _core.InputError(f"{name} must be a (low, high) pair, got {r!r}") from None


def _run(panel: Panel, keep_draws: bool, **kw: object) -> dict[str, object]:
    panel = _check_panel(panel)
    if int(kw["draws"]) < 1:  # type: ignore[call-overload]
        raise _core.InputError(f"invalid parameter draws: {kw['draws']} (at least one draw)")
    if int(kw["seed"]) < 0:  # type: ignore[call-overload]
        raise _core.InputError(f"invalid parameter seed: {kw['seed']} (a whole number from 0)")
    return panel._core.uncertainty(
        int(kw["draws"]),  # type: ignore[call-overload]
        int(kw["seed"]),  # type: ignore[call-overload]
        float(kw["rating_noise"]),  # type: ignore[arg-type]
        bool(kw["bootstrap_elements"]),
        None if kw["weight_alpha"] is None else float(kw["weight_alpha"]),  # type: ignore[arg-type]
        _range("y_cut_range", kw["y_cut_range"]),  # type: ignore[arg-type]
        _range("x_cut_range", kw["x_cut_range"]),  # type: ignore[arg-type]
        _aggregation(kw["aggregation"]),  # type: ignore[arg-type]
        kw["basis"],  # type: ignore[arg-type]
        None,
        keep_draws,
    )


@boundary
def uncertainty(
    panel: Panel,
    *,
    draws: int = 10_000,
    seed: int = 0,
    rating_noise: float = 0.0,
    bootstrap_elements: bool = False,
    weight_alpha: float | None = None,
    y_cut_range: tuple[float, float] | None = None,
    x_cut_range: tuple[float, float] | None = None,
    aggregation: Mapping[str, float] | tuple[float, float] | None = None,
    basis: str = "average",
) -> pd.DataFrame:
    """Monte Carlo robustness of every district's summary.

    Each draw perturbs the inputs and assumptions with the sources switched
    on, recomputes the district summaries, and the draws are summarised.
    Every source is off by default; with all off each draw equals
    :func:`summarize`.

    Parameters
    ----------
    draws, seed : int
        Number of draws and the seed. Draw ``t`` has its own generator, so the
        same seed gives bit-identical results on any number of threads.
    rating_noise : float
        Probability that a rating moves one level (half up, half down,
        clamped to the scale).
    bootstrap_elements : bool
        Resample each district's rated elements within each component.
    weight_alpha : float, optional
        Component weights drawn from a Dirichlet(alpha, ..., alpha) around
        equal weights (larger alpha: closer to equal).
    y_cut_range, x_cut_range : (float, float), optional
        Ranges the score and spread cuts are drawn from uniformly (otherwise
        the scale midpoint and the mean spread of each draw).
    aggregation : mapping or pair, optional
        Probabilities of ``{"mean_of_means": p, "pooled": q}`` per draw.
    basis : {"average", "recent"}

    Returns
    -------
    DataFrame
        Indexed by district: ``score_mean``, ``score_p5``, ``score_p50``,
        ``score_p95`` (percentiles, numpy's linear rule), ``p_advanced``, one
        ``p_<quadrant>`` column per quadrant, ``rank_median``, ``rank_p5`` and
        ``rank_p95`` (1 = highest score; a 90% interval). ``frame.attrs``
        holds ``p_sticking_point``: per component, the share of draws in which
        it is among the three lowest.
    """
    d = _run(
        panel,
        False,
        draws=draws,
        seed=seed,
        rating_noise=rating_noise,
        bootstrap_elements=bootstrap_elements,
        weight_alpha=weight_alpha,
        y_cut_range=y_cut_range,
        x_cut_range=x_cut_range,
        aggregation=aggregation,
        basis=basis,
    )
    frame = pd.DataFrame(
        {
            "score_mean": d["score_mean"],
            "score_p5": d["score_p5"],
            "score_p50": d["score_p50"],
            "score_p95": d["score_p95"],
            "p_advanced": d["p_advanced"],
        },
        index=pd.Index(d["district"], name="district"),
    )
    quadrants = pd.DataFrame(d["p_quadrant"], index=frame.index, columns=QUADRANT_COLUMNS)
    frame = pd.concat([frame, quadrants], axis=1)
    frame["rank_median"] = d["rank_median"]
    frame["rank_p5"] = d["rank_p5"]
    frame["rank_p95"] = d["rank_p95"]
    return _tag(
        frame,
        panel,
        draws=draws,
        seed=seed,
        basis=basis,
        sources={
            "rating_noise": rating_noise,
            "bootstrap_elements": bootstrap_elements,
            "weight_alpha": weight_alpha,
            "y_cut_range": y_cut_range,
            "x_cut_range": x_cut_range,
            "aggregation": aggregation,
        },
        p_sticking_point=dict(zip(d["component_names"], d["p_sticking"].tolist(), strict=True)),  # type: ignore[call-overload, union-attr]
    )


@boundary
def uncertainty_draws(panel: Panel, **kwargs: object) -> dict[str, np.ndarray]:
    """Every draw of :func:`uncertainty` (same keyword arguments): arrays of
    draws x districts ``score``, ``spread``, ``rank``, ``advanced``,
    ``quadrant`` (index into :data:`QUADRANTS`, 255 for none), draws x
    components ``sticking``, and draws x 2 ``cuts`` (y, x)."""
    defaults: dict[str, object] = {
        "draws": 10_000,
        "seed": 0,
        "rating_noise": 0.0,
        "bootstrap_elements": False,
        "weight_alpha": None,
        "y_cut_range": None,
        "x_cut_range": None,
        "aggregation": None,
        "basis": "average",
    }
    unknown = set(kwargs) - set(defaults)
    if unknown:
        raise _core.InputError(f"unknown arguments {sorted(unknown)!r}")
    d = _run(panel, True, **{**defaults, **kwargs})
    return d["raw"]  # type: ignore[return-value]
