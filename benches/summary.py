"""One machine-readable summary of a ``make bench`` run: every target of the
speed issue as a measured ratio or time, next to its target, with the CPU
and the instruction set the kernels used.

Reads criterion's results (``target/criterion``, medians of the last run)
and the JSON the two Python benches wrote, writes ``benches/results.json``
and prints the README's table (Markdown). Ratios compare numbers measured in
the same process (criterion's groups run one after another in one process;
each Python bench is one process).

Run: ``make bench`` (or ``.venv/bin/python benches/summary.py CRITERION_DIR
VS_NUMPY_JSON UNCERTAINTY_JSON SENSITIVITY_JSON OUT_JSON`` after the benches).
"""

from __future__ import annotations

import json
import os
import platform
import sys
from pathlib import Path


def criterion_medians(root: Path) -> dict[str, float]:
    """``full_id`` -> median seconds, from criterion's ``new`` estimates."""
    out = {}
    for meta in root.glob("**/new/benchmark.json"):
        info = json.loads(meta.read_text(encoding="utf-8"))
        est = json.loads((meta.parent / "estimates.json").read_text(encoding="utf-8"))
        out[info["full_id"]] = est["median"]["point_estimate"] * 1e-9
    return out


def cpu() -> dict[str, object]:
    flags: set[str] = set()
    model = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("flags") and not flags:
                flags = set(line.split(":", 1)[1].split())
            elif line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
    except OSError:
        pass
    wanted = ["sse2", "avx", "avx2", "fma", "avx512f", "avx512bw", "avx512dq", "avx512vl"]
    return {
        "model": model,
        "cores": os.cpu_count(),
        "features": [f for f in wanted if f in flags],
    }


def main() -> int:
    crit_dir, vs_numpy, unc, sens, out_path = (Path(a) for a in sys.argv[1:6])
    c = criterion_medians(crit_dir)
    py = json.loads(vs_numpy.read_text(encoding="utf-8"))
    un = json.loads(unc.read_text(encoding="utf-8"))
    se = json.loads(sens.read_text(encoding="utf-8"))["seconds"]
    by_size = {row["size"]: row["seconds"] for row in py["sizes"]}
    big = next(v for k, v in by_size.items() if k.startswith("1M"))
    small = next(v for k, v in by_size.items() if k.startswith("25"))

    def rs(name: str) -> float:
        return c[f"scoring/{name}"]

    read = rs("read_sum/1M")
    sim = c.get(
        "uncertainty/10000 draws, 1000x6, noise+bootstrap", un["seconds"]["uncertainty_10000"]
    )
    u = un["seconds"]
    rows = [
        # (what, measured, unit, target, "<=" or ">=")
        ("summarize / read_sum, 1M x 36", rs("summarize/1M") / read, "x", 1.5, "<="),
        ("analyze into caller buffers / read_sum", rs("analyze_into/1M") / read, "x", 2.0, "<="),
        ("analyze with fresh outputs / read_sum", rs("analyze/1M") / read, "x", 3.0, "<="),
        ("score_matrix_into / read_sum", rs("score_matrix_into/1M") / read, "x", 2.0, "<="),
        ("one summarize at 25 x 6 (Rust)", rs("summarize/25x6") * 1e6, "us", 3.0, "<="),
        ("one score_array at 25 x 6 (Python)", small["score_array"] * 1e6, "us", 8.0, "<="),
        (
            "numpy reduceat / score_array, 1M",
            big["numpy_reduceat"] / big["score_array"],
            "x",
            30.0,
            ">=",
        ),
        ("numpy BLAS / score_array, 1M", big["numpy_blas"] / big["score_array"], "x", 15.0, ">="),
        (
            "pandas groupby / score_array, 1M",
            big["pandas_groupby"] / big["score_array"],
            "x",
            100.0,
            ">=",
        ),
        ("simulation, 10,000 draws x 1,000 x 6", sim, "s", 0.5, "<="),
        (
            "numpy simulation / ps.uncertainty (500 draws)",
            u["numpy_500"] / u["uncertainty_500"],
            "x",
            20.0,
            ">=",
        ),
        (
            "numpy noise+score only / ps.uncertainty (500 draws)",
            u["numpy_noise_and_score_500"] / u["uncertainty_500"],
            "x",
            20.0,
            ">=",
        ),
        (
            "sensitivity, 1,000 x 6, 5 sources, N = 1,024",
            se["sensitivity_1024"],
            "s",
            2.0,
            "<=",
        ),
        (
            "SALib + numpy model / ps.sensitivity (same design)",
            se["salib_numpy_total"] / se["sensitivity_1024"],
            "x",
            1.0,
            ">=",
        ),
    ]
    extra = {
        "read_sum_1M_ms": read * 1e3,
        "summarize_1M_ms": rs("summarize/1M") * 1e3,
        "summarize_1M_1_thread_ms": rs("summarize/1 thread/1M") * 1e3,
        "summarize_1M_scalar_ms": rs("summarize/scalar/1M") * 1e3,
        "score_matrix_1M_fresh_ms": rs("score_matrix/1M") * 1e3,
        "score_matrix_into_1M_ms": rs("score_matrix_into/1M") * 1e3,
        "score_matrix_into_1M_1_thread_ms": rs("score_matrix_into/1 thread/1M") * 1e3,
        "score_matrix_into_1M_scalar_ms": rs("score_matrix_into/scalar/1M") * 1e3,
        "score_array_1M_ms": big["score_array"] * 1e3,
        "score_array_out_1M_ms": big["score_array_out"] * 1e3,
    }
    result = {
        "cpu": cpu(),
        "instruction_set": py["instruction_set"],
        "targets": [
            {
                "what": w,
                "measured": round(m, 3),
                "unit": unit,
                "target": f"{op} {t:g}",
                "met": m <= t if op == "<=" else m >= t,
            }
            for w, m, unit, t, op in rows
        ],
        "details": {k: round(v, 3) for k, v in extra.items()},
    }
    out_path.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    cpu_line = result["cpu"]
    print(
        f"{cpu_line['model']}, {cpu_line['cores']} cores, "
        f"{' '.join(cpu_line['features'])}; kernels: {result['instruction_set']}"
    )
    print("| what | measured | target | met |")
    print("|---|---:|---:|:---:|")
    for t in result["targets"]:
        unit = {"x": "x", "us": " µs", "s": " s"}[t["unit"]]
        print(
            f"| {t['what']} | {t['measured']:g}{unit} | {t['target']}{unit} | "
            f"{'yes' if t['met'] else 'no'} |"
        )
    for k, v in result["details"].items():
        print(f"- {k}: {v:g}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
