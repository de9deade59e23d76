"""ps.sensitivity against SALib driving a numpy model of the same runs,
1,000 districts x 6 snapshots, 5 sources, N = 1,024 base rows (7,168 runs).

Run: ``make bench-python`` (or ``.venv/bin/python benches/python_sensitivity.py``).

The peer is what a researcher would write without this library: SALib's
Sobol' sampler, a numpy model of one run (the same sources: rating noise
0.1, the element bootstrap, Dirichlet weights of concentration 10, the score
cut drawn from 2.5 to 3.5, either aggregation rule; each stochastic source
seeded by its input, vectorised over the 1,000 districts), and SALib's
analyser on the same outputs (each district's score and rank, the number of
advanced districts). The numpy model is timed on 64 base rows and scaled to
1,024 (its cost is linear in the runs); SALib's analyser is timed on every
output. Synthetic ratings: 1-5 with about 5% missing.
"""

from __future__ import annotations

import itertools
import json
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import portfolio_snapshot as ps
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import sobol as sobol_sample

sys.path.insert(0, str(Path(__file__).resolve().parent))
from python_uncertainty import BOUNDS, N_DISTRICTS, N_EL, P_NOISE, PER, make_panel

SOURCES = {
    "rating_noise": P_NOISE,
    "bootstrap_elements": True,
    "weight_alpha": 10.0,
    "y_cut_range": (2.5, 3.5),
    "aggregation": (1.0, 1.0),
}
BASE_ROWS = 1024
NUMPY_BASE_ROWS = 64
RESAMPLES = 100


def numpy_model(x: np.ndarray, inputs: np.ndarray) -> dict[str, np.ndarray]:
    """One run per row of ``inputs`` (noise, bootstrap, weights, y cut,
    aggregation), vectorised over districts."""
    r = x.reshape(N_DISTRICTS, PER, N_EL)
    rated = ~np.isnan(r)
    down = np.where(rated & (r > 1), -1.0, 0.0)
    up = np.where(rated & (r < 5), 1.0, 0.0)
    counts = rated.sum(axis=1)
    basis_rated = counts > 0
    orders = [
        np.argsort(~basis_rated[:, a:b], axis=1, kind="stable")
        for a, b in itertools.pairwise(BOUNDS)
    ]
    m = [basis_rated[:, a:b].sum(axis=1) for a, b in itertools.pairwise(BOUNDS)]
    seed = lambda u: int(u * 2**53)  # noqa: E731 - a generator per input
    score = np.empty((len(inputs), N_DISTRICTS))
    rank = np.empty_like(score)
    n_adv = np.empty(len(inputs))
    for t, (u_noise, u_boot, u_w, u_y, u_agg) in enumerate(inputs):
        u = np.random.default_rng(seed(u_noise)).random(r.shape)
        noisy = r + np.where(u < P_NOISE / 2, down, np.where(u < P_NOISE, up, 0.0))
        with np.errstate(invalid="ignore", divide="ignore"):
            basis = np.nansum(noisy, axis=1) / counts
        picks = np.random.default_rng(seed(u_boot))
        comps = []
        for c, (a, b) in enumerate(itertools.pairwise(BOUNDS)):
            v = basis[:, a:b]
            k = np.floor(picks.random(v.shape) * np.maximum(m[c], 1)[:, None]).astype(int)
            pos = np.take_along_axis(orders[c], k, axis=1)
            v = np.where(basis_rated[:, a:b], np.take_along_axis(v, pos, axis=1), np.nan)
            basis[:, a:b] = v
            comps.append(np.nanmean(v, axis=1))
        comps = np.stack(comps, axis=1)
        w = np.random.default_rng(seed(u_w)).dirichlet(np.full(len(BOUNDS) - 1, 10.0))
        if u_agg < 0.5:
            ok = ~np.isnan(comps)
            overall = np.nansum(comps * w, axis=1) / (ok * w).sum(axis=1)
        else:
            overall = np.nanmean(basis, axis=1)
        adv = ((np.floor(comps + 0.5) >= 4).sum(axis=1) > 3.5).sum()
        order = np.argsort(-overall)
        rk = np.empty(N_DISTRICTS)
        rk[order] = np.arange(1, N_DISTRICTS + 1)
        _ = overall >= 2.5 + u_y  # the quadrant side, as the model computes it
        score[t], rank[t], n_adv[t] = overall, rk, adv
    return {"score": score, "rank": rank, "n_advanced": n_adv}


def salib_analysis(problem: dict[str, object], out: dict[str, np.ndarray]) -> int:
    """SALib's analyser on every output; returns how many."""
    n = 0
    for name in ("score", "rank"):
        for d in range(out[name].shape[1]):
            y = out[name][:, d]
            if np.ptp(y) > 0:
                sobol_analyze.analyze(
                    problem, y, calc_second_order=False, num_resamples=RESAMPLES, seed=1
                )
            n += 1
    sobol_analyze.analyze(
        problem, out["n_advanced"], calc_second_order=False, num_resamples=RESAMPLES, seed=1
    )
    return n + 1


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
    names = list(SOURCES)
    problem = {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}

    def ours() -> None:
        ps.sensitivity(panel, base_rows=BASE_ROWS, resamples=RESAMPLES, seed=1, **SOURCES)

    t_ps = timed(ours, 3)
    t_sample = timed(
        lambda: sobol_sample.sample(problem, BASE_ROWS, calc_second_order=False, seed=1), 3
    )
    small = sobol_sample.sample(problem, NUMPY_BASE_ROWS, calc_second_order=False, seed=1)
    small = np.minimum(small, np.nextafter(1.0, 0.0))
    t_model_small = timed(lambda: numpy_model(x, small), 1)
    t_model = t_model_small * BASE_ROWS / NUMPY_BASE_ROWS
    # SALib's analyser on outputs of the full design's size (model runs on the
    # small design repeated: the analyser's cost does not depend on the values)
    reps = BASE_ROWS // NUMPY_BASE_ROWS
    out_small = numpy_model(x, small)
    out = {k: np.concatenate([v] * reps) for k, v in out_small.items()}
    t_analyse = timed(lambda: salib_analysis(problem, out), 1)
    n_outputs = 2 * N_DISTRICTS + 1
    peer = t_sample + t_model + t_analyse
    runs = BASE_ROWS * (len(names) + 2)
    print(f"portfolio_snapshot {ps.__version__}, numpy {np.__version__}")
    print(f"{ps.instruction_set()}, {os.cpu_count()} cores")
    print(
        f"{N_DISTRICTS} districts x {PER} snapshots, {len(names)} sources, N = {BASE_ROWS} "
        f"({runs} runs), {n_outputs} outputs, {RESAMPLES} bootstrap resamples"
    )
    print("| step | ps.sensitivity | SALib + numpy | ratio |")
    print("|---|---:|---:|---:|")
    print(f"| sample | | {t_sample:.3f} s | |")
    print(
        f"| model ({runs} runs) | | {t_model:.1f} s (scaled from {NUMPY_BASE_ROWS} base rows) | |"
    )
    print(f"| analyse ({n_outputs} outputs) | | {t_analyse:.1f} s | |")
    print(f"| total | {t_ps:.2f} s | {peer:.1f} s | {peer / t_ps:.0f}x |")
    if "--json" in sys.argv:
        with open(sys.argv[sys.argv.index("--json") + 1], "w", encoding="utf-8") as f:
            json.dump(
                {
                    "instruction_set": ps.instruction_set(),
                    "seconds": {
                        "sensitivity_1024": t_ps,
                        "salib_sample": t_sample,
                        "numpy_model_scaled": t_model,
                        "salib_analyse": t_analyse,
                        "salib_numpy_total": peer,
                    },
                },
                f,
                indent=1,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
