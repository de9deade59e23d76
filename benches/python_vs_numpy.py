"""ps.score_array against three peers at three sizes, in one process:

- numpy ``reduceat``: sums and counts per component with ``np.add.reduceat``;
- numpy BLAS: the same sums and counts as matrix products of the masked
  ratings with a 36 x 7 component-indicator matrix (numpy's BLAS);
- pandas groupby over the long table.

``score_array`` is timed into fresh arrays and into arrays reused with
``out=``. Run: ``make bench-python`` (or
``.venv/bin/python benches/python_vs_numpy.py [--json PATH]``). Synthetic
ratings: 1-5 with about 5% missing, 36 elements (crpe-2016). Prints the
median time of each method and the ratios to ``score_array``; with
``--json`` also writes them for ``benches/summary.py``.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time

import numpy as np
import pandas as pd
import portfolio_snapshot as ps

SIZES = [("25 x 6", 25 * 6), ("13,000 x 10", 13_000 * 10), ("1M (166,667 x 6)", 166_667 * 6)]
SIZES_2016 = np.array([6, 6, 4, 6, 3, 5, 6])
STARTS = np.concatenate([[0], np.cumsum(SIZES_2016)[:-1]])
COMPONENT_OF = np.repeat(np.arange(7), SIZES_2016)


def numpy_scores(x: np.ndarray) -> dict[str, np.ndarray]:
    """The same rules, vectorised with numpy (np.add.reduceat over components)."""
    rated = ~np.isnan(x)
    x0 = np.where(rated, x, 0.0)
    sums = np.add.reduceat(x0, STARTS, axis=1)
    counts = np.add.reduceat(rated, STARTS, axis=1, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        comps = sums / counts
        has = counts > 0
        overall = np.where(has, comps, 0.0).sum(axis=1) / has.sum(axis=1)
        n = rated.sum(axis=1)
        mean = x0.sum(axis=1) / n
        dev = np.where(rated, x - mean[:, None], 0.0)
        spread = (dev * dev).sum(axis=1) / n
    return {"components": comps, "overall": overall, "spread": spread, "coverage": n / x.shape[1]}


INDICATOR = np.equal.outer(COMPONENT_OF, np.arange(7)).astype(np.float64)  # 36 x 7


def blas_scores(x: np.ndarray) -> dict[str, np.ndarray]:
    """The same rules with BLAS: masked ratings times the component matrix."""
    rated = ~np.isnan(x)
    x0 = np.where(rated, x, 0.0)
    r = rated.astype(np.float64)
    sums, counts = x0 @ INDICATOR, r @ INDICATOR
    with np.errstate(invalid="ignore", divide="ignore"):
        comps = sums / counts
        has = counts > 0
        overall = np.where(has, comps, 0.0).sum(axis=1) / has.sum(axis=1)
        n = r.sum(axis=1)
        mean = x0.sum(axis=1) / n
        spread = (x0 * x0).sum(axis=1) / n - mean * mean
    return {"components": comps, "overall": overall, "spread": spread, "coverage": n / x.shape[1]}


def long_table(x: np.ndarray) -> pd.DataFrame:
    rows, cols = np.nonzero(~np.isnan(x))
    return pd.DataFrame({"row": rows, "component": COMPONENT_OF[cols], "rating": x[rows, cols]})


def pandas_scores(long: pd.DataFrame) -> dict[str, pd.Series]:
    """The same rules with a pandas groupby over the long table."""
    comps = long.groupby(["row", "component"])["rating"].mean().unstack()
    by_row = long.groupby("row")["rating"]
    return {"overall": comps.mean(axis=1), "spread": by_row.var(ddof=0), "coverage": by_row.size()}


def median_time(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def fmt(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:.1f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds:.2f} s"


def main() -> int:
    json_path = sys.argv[sys.argv.index("--json") + 1] if "--json" in sys.argv else None
    rng = np.random.default_rng(2016)
    rubric = ps.Rubric.crpe_2016()
    print(
        f"portfolio_snapshot {ps.__version__} ({ps.instruction_set()}, "
        f"{os.cpu_count()} cores), numpy {np.__version__}, pandas {pd.__version__}"
    )
    print(
        "| size | snapshots | score_array | out= | numpy reduceat | numpy BLAS "
        "| pandas groupby | reduceat / ps | BLAS / ps | pandas / ps |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    rows = []
    for label, n in SIZES:
        x = rng.integers(1, 6, size=(n, 36)).astype(np.float64)
        x[rng.random(x.shape) < 0.05] = np.nan
        ours = ps.score_array(x, rubric)
        for ref in (numpy_scores(x), blas_scores(x)):
            np.testing.assert_allclose(ours["overall"], ref["overall"], rtol=1e-12)
            np.testing.assert_allclose(ours["spread"], ref["spread"], rtol=1e-9, atol=1e-12)
        small = n < 1000
        t_ps = median_time(lambda x=x: ps.score_array(x, rubric), 2000 if small else 7)
        out = ps.score_array(x, rubric)
        t_out = median_time(
            lambda x=x, out=out: ps.score_array(x, rubric, out=out), 2000 if small else 7
        )
        t_np = median_time(lambda x=x: numpy_scores(x), 500 if small else 3)
        t_blas = median_time(lambda x=x: blas_scores(x), 500 if small else 3)
        long = long_table(x)
        t_pd = median_time(lambda long=long: pandas_scores(long), 20 if small else 1)
        print(
            f"| {label} | {n:,} | {fmt(t_ps)} | {fmt(t_out)} | {fmt(t_np)} | {fmt(t_blas)} | "
            f"{fmt(t_pd)} | {t_np / t_ps:.1f}x | {t_blas / t_ps:.1f}x | {t_pd / t_ps:.0f}x |"
        )
        sys.stdout.flush()
        rows.append(
            {
                "size": label,
                "snapshots": n,
                "seconds": {
                    "score_array": t_ps,
                    "score_array_out": t_out,
                    "numpy_reduceat": t_np,
                    "numpy_blas": t_blas,
                    "pandas_groupby": t_pd,
                },
            }
        )
    if json_path:
        with open(json_path, "w", encoding="utf-8") as f:
            json.dump({"instruction_set": ps.instruction_set(), "sizes": rows}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
