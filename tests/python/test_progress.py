"""Progress of long runs: a callable, a tqdm bar, a line of text, and the
CLI report."""

import subprocess
import sys

import numpy as np
import portfolio_snapshot as ps
import pytest


def test_a_callable_sees_the_draws_advance_to_the_end():
    panel = ps.datasets.demo_panel()
    seen = []
    u = ps.uncertainty(panel, draws=4000, rating_noise=0.1, seed=2,
                       progress=lambda done, total: seen.append((done, total)))  # fmt: skip
    assert seen and seen[-1] == (4000, 4000)
    assert all(t == 4000 for _, t in seen)
    done = [d for d, _ in seen]
    assert done == sorted(done) and len(set(done)) == len(done)
    # progress changes nothing in the results
    same = ps.uncertainty(panel, draws=4000, rating_noise=0.1, seed=2)
    assert np.array_equal(u.to_numpy(dtype=float), same.to_numpy(dtype=float), equal_nan=True)
    draws = []
    ps.uncertainty_draws(panel, draws=50, progress=lambda d, t: draws.append(d))
    assert draws[-1] == 50


def test_progress_true_draws_a_bar_or_a_line(capsys, monkeypatch):
    panel = ps.datasets.demo_panel()
    ps.uncertainty(panel, draws=300, progress=True)
    err = capsys.readouterr().err
    assert "uncertainty draws" in err and "300/300" in err  # tqdm's bar
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)  # as if tqdm were not installed
    ps.uncertainty(panel, draws=300, progress=True)
    err = capsys.readouterr().err
    assert err.strip().splitlines()[-1] == "uncertainty draws: 300/300"
    ps.uncertainty(panel, draws=300, progress=False)
    assert capsys.readouterr().err == ""


def test_bad_progress_and_a_callback_that_raises():
    panel = ps.datasets.demo_panel()
    for bad in [5, "yes", 1.0]:
        with pytest.raises(ps.InputError, match="progress"):
            ps.uncertainty(panel, draws=10, progress=bad)

    def stop(done, total):
        raise RuntimeError(f"stopped at {done}")

    with pytest.raises(RuntimeError, match="stopped at"):
        ps.uncertainty(panel, draws=200_000, rating_noise=0.1, progress=stop)


def test_the_cli_report_shows_the_simulation_progress(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "portfolio_snapshot", "report", "--out", str(tmp_path / "r"),
         "--draws", "200"],
        capture_output=True, text=True, env={"MPLBACKEND": "Agg", "PATH": ""}, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "uncertainty draws" in done.stderr and "200/200" in done.stderr


def test_the_bar_counts_time_from_the_start_of_the_run(monkeypatch):
    """The core reports progress in bursts, so a bar made at the first report
    would show an absurd rate (millions of draws a second): its clock starts
    when the run starts."""
    import time

    from portfolio_snapshot import _progress

    made = []

    class Bar:
        def __init__(self, total, desc):
            self.n, self.start_t = 0, time.time()
            made.append(self)

        def update(self, k):
            self.n += k

        def close(self):
            pass

    bar = _progress._Bar("runs", Bar)
    time.sleep(0.05)
    bar(10, 10)
    assert made and time.time() - made[0].start_t >= 0.05
