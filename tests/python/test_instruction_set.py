"""The SIMD instruction set: reported, choosable, and without effect on results."""

import json
import os
import subprocess
import sys

import portfolio_snapshot as ps

SCRIPT = """
import json, sys
import numpy as np
import portfolio_snapshot as ps
rng = np.random.default_rng(5)
m = rng.integers(2, 11, size=(333, 36)) / 2.0
m[rng.random(m.shape) < 0.15] = np.nan
out = ps.score_array(m)
s = ps.summarize(ps.datasets.demo_panel())
print(json.dumps({
    "isa": ps.instruction_set(),
    "bits": {k: v.view(np.uint64).ravel().tolist() for k, v in out.items()},
    "score": s["score"].to_numpy().view(np.uint64).tolist(),
}))
"""


def _run(isa: str | None) -> dict:
    env = dict(os.environ)
    env.pop("PORTFOLIO_SNAPSHOT_ISA", None)
    if isa is not None:
        env["PORTFOLIO_SNAPSHOT_ISA"] = isa
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


def test_the_instruction_set_is_named():
    assert ps.instruction_set() in {"scalar", "avx2", "avx512"}


def test_every_instruction_set_gives_the_scalar_bits():
    scalar = _run("scalar")
    assert scalar["isa"] == "scalar"
    best = _run(None)
    for isa in ("avx2", "avx512", "AVX512 ", "no-such-isa"):
        got = _run(isa)
        # a name the CPU lacks, or no name at all, falls back to the best
        assert got["isa"] in {isa.strip().lower(), best["isa"]}
        assert got["bits"] == scalar["bits"]
        assert got["score"] == scalar["score"]
