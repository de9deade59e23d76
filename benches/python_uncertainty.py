"""ps.uncertainty against a vectorised numpy implementation of the same draws
(rating noise and element bootstrap), 1,000 districts x 6 snapshots.

Run: ``make bench-python`` (or ``.venv/bin/python benches/python_uncertainty.py``).
The numpy implementation follows the same procedure with numpy's own random
numbers; both are timed at 500 draws in the same process (numpy at 10,000
draws would take minutes), and ps.uncertainty also at 10,000 draws, the size
of the target. Synthetic ratings: 1-5 with about 5% missing.
"""

from __future__ import annotations

import itertools
import json
import os
import statistics
import sys
import time

import numpy as np
import pandas as pd
import portfolio_snapshot as ps

N_DISTRICTS, PER, N_EL = 1_000, 6, 36
SIZES = np.array([6, 6, 4, 6, 3, 5, 6])
BOUNDS = np.concatenate([[0], np.cumsum(SIZES)])
P_NOISE = 0.1


def make_panel(rng: np.random.Generator) -> tuple[ps.Panel, np.ndarray]:
    x = rng.integers(1, 6, size=(N_DISTRICTS * PER, N_EL)).astype(np.float64)
    x[rng.random(x.shape) < 0.05] = np.nan
    districts = np.repeat([f"district {d:04d}" for d in range(N_DISTRICTS)], PER)
    dates = np.tile([f"{2010 + t // 2}-{1 + 6 * (t % 2):02d}" for t in range(PER)], N_DISTRICTS)
    wide = pd.DataFrame(x, columns=ps.Rubric.crpe_2016().element_ids)
    wide.insert(0, "district", districts)
    wide.insert(1, "date", dates)
    return ps.Panel.from_wide(wide), x


def numpy_uncertainty(
    x: np.ndarray, draws: int, seed: int, chunk: int = 25
) -> dict[str, np.ndarray]:
    """The same simulation, vectorised over draws with numpy."""
    rng = np.random.default_rng(seed)
    r = x.reshape(N_DISTRICTS, PER, N_EL)
    rated = ~np.isnan(r)
    down = np.where(rated & (r > 1), -1.0, 0.0)
    up = np.where(rated & (r < 5), 1.0, 0.0)
    counts = rated.sum(axis=1)  # districts x elements
    basis_rated = counts > 0
    # per district and component: rated positions first (for the bootstrap)
    orders = [
        np.argsort(~basis_rated[:, a:b], axis=1, kind="stable")
        for a, b in itertools.pairwise(BOUNDS)
    ]
    m = [basis_rated[:, a:b].sum(axis=1) for a, b in itertools.pairwise(BOUNDS)]
    scores, ranks, quadrants, advanced = [], [], [], []
    for start in range(0, draws, chunk):
        b_n = min(chunk, draws - start)
        u = rng.random((b_n, *r.shape))
        noisy = r + np.where(u < P_NOISE / 2, down, np.where(u < P_NOISE, up, 0.0))
        with np.errstate(invalid="ignore", divide="ignore"):
            basis = np.nansum(noisy, axis=2) / counts  # draws x districts x elements
        comps = []
        for c, (a, b) in enumerate(itertools.pairwise(BOUNDS)):
            v = basis[:, :, a:b]
            k = np.floor(rng.random(v.shape) * np.maximum(m[c], 1)[None, :, None]).astype(int)
            pos = np.take_along_axis(np.broadcast_to(orders[c], v.shape), k, axis=2)
            resampled = np.take_along_axis(v, pos, axis=2)
            resampled = np.where(basis_rated[None, :, a:b], resampled, np.nan)
            basis[:, :, a:b] = resampled
            comps.append(np.nanmean(resampled, axis=2))
        comps = np.stack(comps, axis=2)
        overall = np.nanmean(comps, axis=2)
        spread = np.nanvar(basis, axis=2)
        bands = np.floor(comps + 0.5)
        adv = (bands >= 4).sum(axis=2) > 3.5
        x_cut = np.nanmean(spread, axis=1, keepdims=True)
        strong, piecemeal = overall >= 3.0, spread >= x_cut
        quad = np.select(
            [strong & ~piecemeal, strong & piecemeal, ~strong & ~piecemeal], [0, 1, 2], 3
        )
        order = np.argsort(-overall, axis=1)
        rank = np.empty_like(overall)
        np.put_along_axis(rank, order, np.arange(1, N_DISTRICTS + 1, dtype=float)[None, :], axis=1)
        scores.append(overall)
        ranks.append(rank)
        quadrants.append(quad)
        advanced.append(adv)
    score, rank = np.concatenate(scores), np.concatenate(ranks)
    quad, adv = np.concatenate(quadrants), np.concatenate(advanced)
    return {
        "score_mean": score.mean(axis=0),
        "score_p": np.percentile(score, [5, 50, 95], axis=0),
        "p_advanced": adv.mean(axis=0),
        "p_quadrant": np.stack([(quad == q).mean(axis=0) for q in range(4)], axis=1),
        "rank_p": np.percentile(rank, [5, 50, 95], axis=0),
    }


def numpy_noise_and_score(x: np.ndarray, draws: int, seed: int, chunk: int = 25) -> np.ndarray:
    """The cheapest honest peer: numpy that only draws the rating noise and
    scores each draw (no bootstrap, cuts, bands, ranks or quadrants)."""
    rng = np.random.default_rng(seed)
    r = x.reshape(N_DISTRICTS, PER, N_EL)
    rated = ~np.isnan(r)
    down = np.where(rated & (r > 1), -1.0, 0.0)
    up = np.where(rated & (r < 5), 1.0, 0.0)
    counts = rated.sum(axis=1)
    out = []
    for start in range(0, draws, chunk):
        u = rng.random((min(chunk, draws - start), *r.shape))
        noisy = r + np.where(u < P_NOISE / 2, down, np.where(u < P_NOISE, up, 0.0))
        with np.errstate(invalid="ignore", divide="ignore"):
            basis = np.nansum(noisy, axis=2) / counts
            comps = np.stack(
                [np.nanmean(basis[:, :, a:b], axis=2) for a, b in itertools.pairwise(BOUNDS)],
                axis=2,
            )
        out.append(np.nanmean(comps, axis=2))
    return np.concatenate(out)


def timed(fn, repeats: int) -> float:
    out = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return statistics.median(out)


def main() -> int:
    rng = np.random.default_rng(2016)
    panel, x = make_panel(rng)
    kw = {"rating_noise": P_NOISE, "bootstrap_elements": True, "seed": 1}
    # the two implementations agree in distribution: compare mean scores
    ours = ps.uncertainty(panel, draws=500, **kw)
    theirs = numpy_uncertainty(x, 500, seed=1)
    gap = float(np.max(np.abs(ours["score_mean"].to_numpy() - theirs["score_mean"])))
    print(
        f"portfolio_snapshot {ps.__version__}, numpy {np.__version__}; "
        f"max |mean score difference| between the two at 500 draws: {gap:.3f}"
    )
    t_ps_500 = timed(lambda: ps.uncertainty(panel, draws=500, **kw), 5)
    t_np_500 = timed(lambda: numpy_uncertainty(x, 500, seed=1), 1)
    t_ns_500 = timed(lambda: numpy_noise_and_score(x, 500, seed=1), 1)
    t_ps_10k = timed(lambda: ps.uncertainty(panel, draws=10_000, **kw), 3)
    print(f"{ps.instruction_set()}, {os.cpu_count()} cores")
    print("| draws | ps.uncertainty | numpy | numpy / ps | numpy noise+score only | that / ps |")
    print("|---:|---:|---:|---:|---:|---:|")
    print(
        f"| 500 | {t_ps_500:.3f} s | {t_np_500:.2f} s | {t_np_500 / t_ps_500:.0f}x "
        f"| {t_ns_500:.2f} s | {t_ns_500 / t_ps_500:.0f}x |"
    )
    print(f"| 10,000 | {t_ps_10k:.2f} s | (~{t_np_500 * 20:.0f} s, 20 x the 500-draw time) | | | |")
    if "--json" in sys.argv:
        with open(sys.argv[sys.argv.index("--json") + 1], "w", encoding="utf-8") as f:
            json.dump(
                {
                    "instruction_set": ps.instruction_set(),
                    "seconds": {
                        "uncertainty_500": t_ps_500,
                        "numpy_500": t_np_500,
                        "numpy_noise_and_score_500": t_ns_500,
                        "uncertainty_10000": t_ps_10k,
                    },
                },
                f,
                indent=1,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
