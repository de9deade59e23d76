"""Figures render under Agg; the command-line report writes every output."""

from __future__ import annotations

import base64
import re
import subprocess
import sys

import matplotlib
import pandas as pd
import portfolio_snapshot as ps
import pytest

matplotlib.use("Agg")


def _title(fig) -> str:
    return fig.axes[0].get_title()


def test_every_plot_renders_and_says_synthetic(demo, tmp_path):
    summary = ps.summarize(demo)
    figs = {
        "heatmap": ps.plot.heatmap(demo),
        "quadrants": ps.plot.quadrants(summary),
        "recent_progress": ps.plot.recent_progress(summary),
        "component_ranking": ps.plot.component_ranking(demo),
        "rank_intervals": ps.plot.rank_intervals(ps.uncertainty(demo, draws=50)),
        "classification_probability": ps.plot.classification_probability(
            ps.uncertainty(demo, draws=50, rating_noise=0.2)
        ),
    }
    for name, fig in figs.items():
        path = tmp_path / f"{name}.png"
        fig.savefig(path)
        assert path.stat().st_size > 5_000, name
        assert "synthetic data" in _title(fig), name
    # the heatmap has one row per district, one column per element
    image = figs["heatmap"].axes[0].images[0].get_array()
    assert image.shape == (25, 36)


def test_plots_of_real_data_do_not_say_synthetic(demo):
    panel = ps.Panel.from_long(demo.to_long())  # same numbers, not the shipped demo
    assert "synthetic" not in _title(ps.plot.component_ranking(panel))
    assert "synthetic" not in _title(ps.plot.quadrants(ps.summarize(panel)))


def test_plots_draw_on_a_given_axes(demo):
    from matplotlib.figure import Figure

    fig = Figure()
    ax = fig.add_subplot()
    assert ps.plot.recent_progress(ps.summarize(demo), ax=ax) is fig


def _run_cli(*args: str, cwd) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "portfolio_snapshot", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={"MPLBACKEND": "Agg", "PATH": ""},
        check=False,
    )


def test_cli_report_on_the_demo(tmp_path):
    out = tmp_path / "report"
    done = _run_cli("report", "--out", str(out), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "report.html" in done.stdout
    names = {p.name for p in out.iterdir()}
    for expected in [
        "report.html",
        "heatmap.png",
        "quadrants.png",
        "recent_progress.png",
        "component_ranking.png",
        "district_summary.csv",
        "component_ranking.csv",
        "element_ranking.csv",
        "snapshot_scores.csv",
        "uncertainty.csv",
        "rank_intervals.png",
        "classification_probability.png",
    ]:
        assert expected in names
    page = (out / "report.html").read_text()
    images = re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', page)
    # Figures 3-6, trajectories, alpha, leave-one-out, two uncertainty, sensitivity
    assert len(images) == 10
    assert all(base64.b64decode(i)[:8] == b"\x89PNG\r\n\x1a\n" for i in images)
    assert "Synthetic data" in page
    assert 'id="trajectories"' in page and "district-" not in page
    summary = pd.read_csv(out / "district_summary.csv", index_col="district")
    assert len(summary) == 25
    trends = pd.read_csv(out / "trends.csv", index_col="district")
    assert set(trends["trajectory"]) <= {"rising", "stalled", "declining", "too few snapshots"}
    # the sentence naming the assumption that matters most, and its table
    sobol = pd.read_csv(out / "sensitivity.csv")
    assert set(sobol["source"]) == {"rating_noise", "bootstrap_elements", "weight_alpha",
                                    "y_cut_range", "x_cut_range", "aggregation"}  # fmt: skip
    assert re.search(r"<b>Of the 6 sources varied, .+ matters most", page)


def test_cli_report_district_pages(tmp_path):
    out = tmp_path / "report"
    done = _run_cli("report", "--out", str(out), "--draws", "0",
                    "--district-pages", "Spring Branch, Denver", cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    page = (out / "report.html").read_text()
    links = re.findall(r'href="(district-[^"]+\.html)"', page)
    assert len(links) == 2
    for link, name in zip(links, ["Spring Branch", "Denver"], strict=True):
        sub = (out / link).read_text()
        assert f"<h1>{name}</h1>" in sub and "Synthetic data" in sub
        assert "Path to &quot;advanced&quot;" in sub or 'Path to "advanced"' in sub
        path = pd.read_csv(out / link.replace("district-", "path-").replace(".html", ".csv"))
        assert set(path.columns) >= {"element_id", "from_rating", "to_rating", "steps"}
        assert len(re.findall(r'src="data:image/png;base64,', sub)) == 1
    done = _run_cli("report", "--out", str(tmp_path / "b"), "--draws", "0",
                    "--district-pages", "Atlantis", cwd=tmp_path)  # fmt: skip
    assert done.returncode == 2 and "Atlantis" in done.stderr


def test_cli_report_on_a_ratings_file_and_a_bad_one(tmp_path, demo):
    ratings = tmp_path / "ratings.csv"
    demo.to_long().to_csv(ratings, index=False)
    done = _run_cli("report", str(ratings), "--out", str(tmp_path / "r"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Synthetic data" not in (tmp_path / "r" / "report.html").read_text()
    bad = tmp_path / "bad.csv"
    demo.to_long().assign(rating=7).to_csv(bad, index=False)
    done = _run_cli("report", str(bad), "--out", str(tmp_path / "b"), cwd=tmp_path)
    assert done.returncode == 2
    assert "rating out of scale" in done.stderr and "Albuquerque" in done.stderr


@pytest.mark.parametrize("rubric", ["crpe-2012"])
def test_cli_rubric_option(tmp_path, rubric):
    r = ps.Rubric.builtin(rubric)
    df = pd.DataFrame({"district": "A", "date": "2013-01", "element": r.element_ids, "rating": 3})
    path = tmp_path / "r.csv"
    df.to_csv(path, index=False)
    rfile = tmp_path / "rubric.toml"
    rfile.write_text(r.to_toml())
    done = _run_cli("report", str(path), "--rubric", str(rfile), "--out", "o", cwd=tmp_path)
    assert done.returncode == 0, done.stderr


def test_figures_of_time_one_district_and_trust():
    panel = ps.datasets.demo_panel()
    fig = ps.plot.trajectories(panel)
    titles = [ax.get_title() for ax in fig.axes if ax.get_visible()]
    assert len(titles) == 25 and "Indianapolis\nrising (+0.83/yr)" in titles
    assert "synthetic data" in fig._suptitle.get_text()
    two = ps.plot.trajectories(panel, districts=["Denver", "Tulsa"])
    assert len([ax for ax in two.axes if ax.get_visible()]) == 2
    with pytest.raises(ps.InputError, match="Atlantis"):
        ps.plot.trajectories(panel, districts=["Atlantis"])
    prof = ps.plot.profile(panel, "Spring Branch")
    ax = prof.axes[0]
    assert "Spring Branch against the network" in ax.get_title()
    bold = [t.get_text() for t in ax.get_yticklabels() if t.get_fontweight() == "bold"]
    weakest = ps.profile(panel, "Spring Branch").query("weakest").index
    assert sorted(b.split()[0] for b in bold) == sorted(weakest)
    with pytest.raises(ps.InputError, match="district="):
        ps.plot.profile(panel)
    rel = ps.plot.reliability(panel).axes[0]
    assert rel.get_yticklabels()[0].get_text() == "Choice"
    loo = ps.plot.leave_one_out(panel).axes[0]
    assert "of 43 items" in loo.get_title()
    with pytest.raises(ps.InputError, match="rater_agreement"):
        ps.plot.rater_agreement(panel)  # type: ignore[arg-type]


def test_new_figures_refuse_damaged_results():
    panel = ps.datasets.demo_panel()
    loo = ps.leave_one_out(panel)
    for bad in [loo.reset_index(), loo.drop(columns=["rank_change"]), loo.iloc[:0]]:
        with pytest.raises(ps.InputError, match="leave_one_out"):
            ps.plot.leave_one_out(bad)
    alpha = ps.cronbach_alpha(panel)
    for bad in [alpha.drop(columns=["reason"]), alpha.assign(alpha="x")]:
        with pytest.raises(ps.InputError, match="reliability"):
            ps.plot.reliability(bad)
    prof = ps.profile(panel, "Denver")
    with pytest.raises(ps.InputError, match="'Denver', not of 'Tulsa'"):
        ps.plot.profile(prof, "Tulsa")
    with pytest.raises(ps.InputError, match="value"):
        ps.plot.profile(prof.assign(value="x"))
    with pytest.raises(ps.InputError, match="empty"):
        ps.plot.trajectories(panel, districts=[])
    with pytest.raises(ps.InputError, match="more than once"):
        ps.plot.trajectories(panel, districts=["Denver", "Denver"])


def test_cli_district_pages_refuse_empty_and_repeated_names(tmp_path):
    for value, message in [("", "names no district"), (",", "names no district"),
                           ("Denver,Denver", "more than once")]:  # fmt: skip
        done = _run_cli("report", "--out", str(tmp_path / "r"), "--draws", "0",
                        "--district-pages", value, cwd=tmp_path)  # fmt: skip
        assert done.returncode == 2 and message in done.stderr, (value, done.stderr)
