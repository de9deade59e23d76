"""Values against hand computations and an independent pandas/numpy reference."""

from __future__ import annotations

import numpy as np
import pandas as pd
import portfolio_snapshot as ps
import pytest
from conftest import SHORT_NAMES, by_component, long_frame, reference_scores


def test_mean_of_means_and_population_variance_by_hand():
    # Choice all 5, Support all 1, the rest 3: mean of means 21/7 = 3,
    # pooled 114/36, population variance 35/36 (sample would be 1).
    panel = ps.Panel.from_long(long_frame([("A", "2016-01", by_component([5, 3, 3, 3, 1, 3, 3]))]))
    s = ps.score(panel)
    assert s.loc[("A", pd.Period("2016-01", "M")), "overall"] == pytest.approx(3.0)
    assert s["spread"].iloc[0] == pytest.approx(35 / 36)
    assert ps.score(panel, aggregation="pooled")["overall"].iloc[0] == pytest.approx(114 / 36)
    assert list(s.columns) == [*SHORT_NAMES, "overall", "spread", "coverage", "advanced"]


def test_recent_progress_and_bases_by_hand():
    rows = [
        ("A", "2015-01", by_component([2] * 7)),
        ("A", "2015-07", by_component([2] * 7)),
        ("A", "2016-01", by_component([5] * 7)),
    ]
    panel = ps.Panel.from_long(long_frame(rows))
    avg = ps.summarize(panel)
    assert avg.loc["A", "score"] == pytest.approx(3.0)  # (2 + 2 + 5) / 3
    assert avg.loc["A", "recent_progress"] == pytest.approx(2.0)  # 5 - 3
    assert avg.loc["A", "n_snapshots"] == 3
    assert avg.loc["A", "first_date"] == pd.Period("2015-01", "M")
    recent = ps.summarize(panel, basis="recent")
    assert recent.loc["A", "score"] == pytest.approx(5.0)


def test_advanced_and_quadrant_cuts_by_hand():
    four = by_component([4, 5, 4, 3, 2, 3, 1])
    four[19:22] = [4, 4, 4]  # Talent 3,3,3,4,4,4 -> 3.5 -> band 4: 4 of 7
    three = list(four)
    three[21] = np.nan  # Talent 3,3,3,4,4 -> 3.4 -> band 3: 3 of 7
    panel = ps.Panel.from_long(long_frame([("Four", "2016-01", four), ("Three", "2016-01", three)]))
    s = ps.summarize(panel, y_cut=3.0, x_cut=0.0)
    assert bool(s.loc["Four", "advanced"]) and not bool(s.loc["Three", "advanced"])
    # scores (4 + 5 + 4 + 3.5 + 2 + 3 + 1) / 7 = 22.5 / 7 and 22.4 / 7, both >= 3
    assert s.loc["Four", "score"] == pytest.approx(22.5 / 7)
    assert s.loc["Three", "score"] == pytest.approx(22.4 / 7)
    # both spreads are > 0 = the x cut: piecemeal
    assert (s["quadrant"] == "strong but piecemeal").all()
    # a y cut exactly on Three's score keeps it strong (upper side)
    on_cut = ps.summarize(panel, y_cut=22.4 / 7, x_cut=0.0)
    assert on_cut.loc["Three", "quadrant"] == "strong but piecemeal"
    assert s.attrs["y_cut"] == 3.0 and s.attrs["x_cut"] == 0.0


def test_scores_match_independent_reference(demo):
    s = ps.score(demo)
    ref = reference_scores(demo.ratings)
    np.testing.assert_allclose(s[SHORT_NAMES].to_numpy(), ref["components"], rtol=1e-12)
    np.testing.assert_allclose(s["overall"], ref["overall"], rtol=1e-12)
    np.testing.assert_allclose(s["spread"], ref["spread"], rtol=1e-12, atol=1e-13)
    np.testing.assert_allclose(s["coverage"], ref["coverage"])


def test_summary_matches_a_pandas_groupby_reference(demo):
    long = demo.to_long()
    # average basis: element means over each district's snapshots (pandas)
    basis = long.groupby(["district", "element"])["rating"].mean().unstack()
    basis = basis[demo.rubric.element_ids]
    ref = reference_scores(basis.to_numpy())
    s = ps.summarize(demo)
    np.testing.assert_allclose(s.loc[basis.index, "score"], ref["overall"], rtol=1e-12)
    np.testing.assert_allclose(s.loc[basis.index, "spread"], ref["spread"], rtol=1e-12, atol=1e-13)
    # recent progress: latest overall minus mean of the snapshots' overall
    per_snapshot = pd.Series(reference_scores(demo.ratings)["overall"], index=demo.index)
    grouped = per_snapshot.groupby(level="district")
    progress = grouped.last() - grouped.mean()
    np.testing.assert_allclose(s.loc[progress.index, "recent_progress"], progress, atol=1e-12)
    # quadrants from the cuts, recomputed
    x_cut = s["spread"].mean()
    assert s.attrs["x_cut"] == pytest.approx(x_cut)
    strong = s["score"] >= 3.0
    piecemeal = s["spread"] >= x_cut
    expected = np.select(
        [strong & ~piecemeal, strong & piecemeal, ~strong & ~piecemeal],
        ["strong and consistent", "strong but piecemeal", "weaker and consistent"],
        "weaker and piecemeal",
    )
    assert list(s["quadrant"].astype(str)) == list(expected)


def test_component_ranking_matches_reference(demo):
    s = ps.summarize(demo)
    expected = s[SHORT_NAMES].mean().sort_values(ascending=False, kind="stable")
    r = ps.rank_components(demo)
    assert list(r["component"]) == list(expected.index)
    np.testing.assert_allclose(r["mean_score"], expected.to_numpy(), rtol=1e-12)
    assert list(r.index) == list(range(1, 8))


def test_sticking_points_are_the_lowest_elements(demo):
    long = demo.to_long()
    basis = long.groupby(["district", "element"])["rating"].mean().unstack()
    lowest = basis.mean().sort_values().head(5)
    sp = ps.sticking_points(demo, 5)
    assert list(sp["element_id"]) == list(lowest.index)


def test_eligible_network_roster_is_the_25_districts():
    roster = ps.datasets.network_roster()
    assert len(roster) == 52
    names = list(ps.eligible(roster)["district"])
    # counted by hand from Figure 2
    assert names == [
        "Albuquerque", "Baltimore", "Central Falls", "Chicago", "Cleveland", "Denver", "Detroit",
        "Fullerton", "Fulton County", "Hartford", "Henry County", "Indianapolis",
        "Jefferson Parish", "Lawrence", "Los Angeles", "Memphis-Shelby County", "NOLA RSD",
        "Nashville", "New York City", "Oakland", "Sacramento", "Spokane", "Spring Branch",
        "TN ASD", "Tulsa",
    ]  # fmt: skip
    assert len(ps.eligible(roster, min_snapshots=4)) < 25
    assert "New York City" not in set(ps.eligible(roster, since="2014-07")["district"])


def test_demo_is_labelled_synthetic(demo):
    assert demo.synthetic and "synthetic" in demo.label
    assert ps.summarize(demo).attrs["synthetic"] is True
    assert "synthetic" in demo._repr_html_()
    assert demo.n_districts == 25


def test_rubric_frame_and_round_trips():
    r = ps.Rubric.crpe_2016()
    f = r.to_frame()
    assert list(f.columns[:5]) == [
        "component_id",
        "component",
        "short_name",
        "element_id",
        "element",
    ]
    assert len(f) == 36 and f["weight"].sum() == pytest.approx(1.0)
    assert ps.Rubric.from_json(r.to_json()) == r
    assert ps.Rubric.from_toml(r.to_toml()) == r
    assert ps.Rubric.crpe_2012().element_ids[-1] == "7.4"
    assert r.scale["label"].tolist()[1] is None
    assert "<table" in r._repr_html_()
