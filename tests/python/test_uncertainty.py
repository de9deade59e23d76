"""The uncertainty analysis: exactness with no sources, its summaries
against numpy computed from the raw draws, and its options."""

from __future__ import annotations

import numpy as np
import portfolio_snapshot as ps
import pytest

SOURCES = {
    "rating_noise": 0.15,
    "bootstrap_elements": True,
    "weight_alpha": 8.0,
    "x_cut_range": (0.5, 0.9),
    "aggregation": {"mean_of_means": 0.8, "pooled": 0.2},
}


def test_with_no_source_every_draw_is_the_summary(demo):
    s = ps.summarize(demo)
    u = ps.uncertainty(demo, draws=20)
    np.testing.assert_array_equal(u["score_p5"], s["score"])
    np.testing.assert_array_equal(u["score_p95"], s["score"])
    np.testing.assert_array_equal(u["p_advanced"], s["advanced"].astype(float))
    quadrant_cols = [c for c in u.columns if c.startswith("p_") and c != "p_advanced"]
    for q, col in zip(ps.QUADRANTS, quadrant_cols, strict=True):
        np.testing.assert_array_equal(u[col], (s["quadrant"] == q).astype(float))
    # rank 1 = highest score, ties share the lower rank
    expected_rank = s["score"].rank(ascending=False, method="min")
    np.testing.assert_array_equal(u["rank_median"], expected_rank)


def test_summaries_match_numpy_on_the_raw_draws(demo):
    u = ps.uncertainty(demo, draws=400, seed=3, **SOURCES)
    raw = ps.uncertainty_draws(demo, draws=400, seed=3, **SOURCES)
    score, rank = raw["score"], raw["rank"]
    assert score.shape == (400, 25)
    np.testing.assert_allclose(u["score_mean"], score.mean(axis=0), rtol=1e-12)
    for q, col in [(5, "score_p5"), (50, "score_p50"), (95, "score_p95")]:
        np.testing.assert_allclose(u[col], np.percentile(score, q, axis=0), rtol=1e-12)
    for q, col in [(5, "rank_p5"), (50, "rank_median"), (95, "rank_p95")]:
        np.testing.assert_allclose(u[col], np.percentile(rank, q, axis=0), rtol=1e-12)
    np.testing.assert_allclose(u["p_advanced"], raw["advanced"].mean(axis=0))
    quadrant_cols = [c for c in u.columns if c.startswith("p_") and c != "p_advanced"]
    for i, col in enumerate(quadrant_cols):
        np.testing.assert_allclose(u[col], (raw["quadrant"] == i).mean(axis=0))
    sticking = dict(zip(demo.rubric.component_names, raw["sticking"].mean(axis=0), strict=True))
    assert u.attrs["p_sticking_point"] == pytest.approx(sticking)
    assert raw["sticking"].sum(axis=1).tolist() == [3] * 400  # three lowest, every draw


def test_quadrants_follow_each_draws_cuts(demo):
    raw = ps.uncertainty_draws(demo, draws=200, seed=9, **SOURCES)
    y_cut, x_cut = raw["cuts"][:, 0:1], raw["cuts"][:, 1:2]
    assert np.all((x_cut >= 0.5) & (x_cut <= 0.9))
    assert np.all(y_cut == 3.0)  # the scale midpoint, not drawn
    strong = raw["score"] >= y_cut
    piecemeal = raw["spread"] >= x_cut
    expected = np.select(
        [strong & ~piecemeal, strong & piecemeal, ~strong & ~piecemeal], [0, 1, 2], 3
    )
    np.testing.assert_array_equal(raw["quadrant"], expected)
    # ranks from the scores, recomputed: 1 + number of higher scores. Two
    # scores equal as fractions can differ in their last bit as floats
    # (203/72 came out as 2.819444444444444 and ...446 in one draw); the
    # library ranks them tied, so "higher" means by more than 1e-12, far
    # below any gap between distinct scores in these draws
    s = raw["score"]
    expected_rank = 1 + (s[:, None, :] > s[:, :, None] + 1e-12).sum(axis=2)
    np.testing.assert_array_equal(raw["rank"], expected_rank)


def test_same_seed_same_result_and_sources_matter(demo):
    a = ps.uncertainty(demo, draws=100, seed=5, **SOURCES)
    b = ps.uncertainty(demo, draws=100, seed=5, **SOURCES)
    c = ps.uncertainty(demo, draws=100, seed=6, **SOURCES)
    assert a.equals(b)
    assert not a.equals(c)
    assert (a["score_p95"] > a["score_p5"]).all()
    assert a.attrs["synthetic"] and a.attrs["draws"] == 100


def test_bad_options_raise_input_errors(demo):
    with pytest.raises(ps.InputError, match="draws"):
        ps.uncertainty(demo, draws=0)
    with pytest.raises(ps.InputError, match="rating_noise"):
        ps.uncertainty(demo, draws=5, rating_noise=2.0)
    with pytest.raises(ps.InputError, match="aggregation"):
        ps.uncertainty(demo, draws=5, aggregation={"median": 1.0})
    with pytest.raises(ps.InputError, match="x_cut_range"):
        ps.uncertainty(demo, draws=5, x_cut_range=(1.0,))
    with pytest.raises(ps.InputError, match="weight_alpha"):
        ps.uncertainty(demo, draws=5, weight_alpha=-1.0)
    with pytest.raises(ps.InputError, match="'noise'"):
        ps.uncertainty_draws(demo, draws=5, noise=0.1)
