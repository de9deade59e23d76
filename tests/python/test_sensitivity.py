"""Sobol indices of the simulation's sources, checked against SALib driving
the library's own model (its sampler, its analyser), and against what the
model must give by construction."""

from __future__ import annotations

import numpy as np
import pandas as pd
import portfolio_snapshot as ps
import pytest
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import sobol as sobol_sample

SOURCES = {
    "rating_noise": 0.15,
    "bootstrap_elements": True,
    "weight_alpha": 5.0,
    "y_cut_range": (2.6, 3.4),
    "aggregation": (1.0, 1.0),
}


@pytest.fixture(scope="module")
def panel() -> ps.Panel:
    return ps.datasets.demo_panel()


@pytest.fixture(scope="module")
def ours(panel: ps.Panel) -> pd.DataFrame:
    return ps.sensitivity(panel, base_rows=1024, resamples=200, level=0.95, seed=3, **SOURCES)


@pytest.fixture(scope="module")
def salib(panel: ps.Panel) -> dict[str, object]:
    names = list(SOURCES)
    problem = {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}
    x = sobol_sample.sample(problem, 1024, calc_second_order=False, seed=11)
    x = np.minimum(x, np.nextafter(1.0, 0.0))  # the model's inputs are in [0, 1)
    runs = ps.sensitivity_runs(panel, x, **SOURCES)
    assert runs["sources"] == names
    return {"problem": problem, "runs": runs}


def _salib_indices(problem: dict[str, object], y: np.ndarray) -> dict[str, np.ndarray]:
    return sobol_analyze.analyze(
        problem, y, calc_second_order=False, num_resamples=200, conf_level=0.95, seed=5
    )


def _outputs(runs: dict[str, object], ours: pd.DataFrame) -> list[tuple[str, str | None]]:
    """The outputs compared: the number advanced, and the score and rank of
    the three districts whose ranks vary most."""
    rank = np.asarray(runs["rank"])
    districts = list(runs["districts"])
    busiest = [districts[i] for i in np.argsort(-rank.std(axis=0))[:3]]
    return [("n_advanced", None)] + [(o, d) for d in busiest for o in ("score", "rank")]


def _y(runs: dict[str, object], output: str, district: str | None) -> np.ndarray:
    if output == "n_advanced":
        return np.asarray(runs["advanced"]).sum(axis=1).astype(float)
    column = list(runs["districts"]).index(district)
    return np.asarray(runs[output])[:, column].astype(float)


def test_indices_agree_with_salib_driving_the_model(
    ours: pd.DataFrame, salib: dict[str, object]
) -> None:
    runs = salib["runs"]
    for output, district in _outputs(runs, ours):
        ref = _salib_indices(salib["problem"], _y(runs, output, district))
        mine = (
            ours.xs(output, level="output")
            if district is None
            else ours.xs((output, district), level=("output", "district"))
        )
        mine = mine.reset_index(level=[n for n in mine.index.names if n != "source"], drop=True)
        for i, name in enumerate(SOURCES):
            row = mine.loc[name]
            for ours_col, ref_key in (("first", "S1"), ("total", "ST")):
                half = (row[f"{ours_col}_high"] - row[f"{ours_col}_low"]) / 2
                slack = half + ref[f"{ref_key}_conf"][i] + 0.02
                assert abs(row[ours_col] - ref[ref_key][i]) <= slack, (
                    output,
                    district,
                    name,
                    ours_col,
                    row[ours_col],
                    ref[ref_key][i],
                    slack,
                )


def test_salib_total_index_is_jansens_on_the_same_runs(salib: dict[str, object]) -> None:
    """SALib's total index is Jansen's estimator; recomputed here by hand
    from the runs in SALib's layout (A, AB_1 .. AB_k, B per base row)."""
    runs = salib["runs"]
    k = len(SOURCES)
    y = _y(runs, "n_advanced", None)
    a, b = y[0 :: k + 2], y[k + 1 :: k + 2]
    var = np.var(np.r_[a, b])
    ref = _salib_indices(salib["problem"], y)
    for i in range(k):
        ab = y[i + 1 :: k + 2]
        assert 0.5 * np.mean((a - ab) ** 2) / var == pytest.approx(ref["ST"][i], abs=1e-12)


def test_sources_that_cannot_move_an_output_have_no_total_effect(ours: pd.DataFrame) -> None:
    # the score cut moves no score and no rank (only quadrants); weights and
    # the aggregation rule never move the advanced flag (component bands):
    # the AB runs equal the A runs exactly, so the total index is exactly 0
    for output in ("score", "rank"):
        block = ours.xs((output, "y_cut_range"), level=("output", "source"))
        assert (block["total"].dropna() == 0.0).all()
    adv = ours.xs("n_advanced", level="output").droplevel("district")
    assert adv.loc["weight_alpha", "total"] == 0.0
    assert adv.loc["aggregation", "total"] == 0.0
    # and the quadrant counts do move with the score cut
    strong = ours.xs("n_strong_and_consistent", level="output").droplevel("district")
    assert strong.loc["y_cut_range", "total_low"] > 0.1


def test_the_headline_names_the_largest_total_index(ours: pd.DataFrame) -> None:
    ranks = ours.xs("rank", level="output").groupby(level="source", observed=True)["total"].mean()
    adv = ours.xs("n_advanced", level="output").droplevel("district")["total"]
    labels = dict(ours.attrs["source_labels"])
    headline = ours.attrs["headline"]
    assert labels[ranks.idxmax()] in headline
    assert f"{ranks.max():.2f}" in headline
    assert f"{adv.max():.2f}" in headline
    assert ours.attrs["runs"] == 1024 * (len(SOURCES) + 2)


def test_the_report_set_is_every_source(panel: ps.Panel) -> None:
    s = ps.sensitivity(panel, base_rows=16, resamples=10)
    assert list(s.attrs["sources"]) == [
        "rating_noise",
        "bootstrap_elements",
        "weight_alpha",
        "y_cut_range",
        "x_cut_range",
        "aggregation",
    ]
    x_cut = ps.summarize(panel).attrs["x_cut"]
    assert f"spread cut drawn from {round(0.75 * x_cut, 3):g}" in s.attrs["sources_in_force"]
    again = ps.sensitivity(panel, base_rows=16, resamples=10)
    pd.testing.assert_frame_equal(s, again)  # seeded


def test_runs_follow_their_inputs(panel: ps.Panel) -> None:
    x = np.array([[0.25, 0.5], [0.25, 0.5], [0.75, 0.5]])
    runs = ps.sensitivity_runs(panel, x, rating_noise=0.2, y_cut_range=(2.5, 3.5))
    np.testing.assert_array_equal(runs["score"][0], runs["score"][1])
    assert not np.array_equal(runs["score"][0], runs["score"][2])
    # the score cut at 3.0 (input 0.5) puts a district scoring 3.2 above it
    strong = np.asarray(ps.QUADRANTS)[runs["quadrant"][0]]
    above = runs["score"][0] >= 3.0
    assert all(str(q).startswith("strong") for q in strong[above])


@pytest.mark.parametrize(
    ("inputs", "error", "message"),
    [
        (np.array([[1.0]]), ps.InputError, r"row 0, column 0 \(rating_noise\)"),
        (np.array([[np.nan]]), ps.InputError, "row 0, column 0"),
        (np.array([[-0.1]]), ps.InputError, "from 0 up to"),
        (np.array([[True]]), ps.InputError, "not bool values"),
        (np.array([["a"]]), ps.InputError, "numbers from 0 up to 1"),
        (np.array([0.5]), ps.InputError, "2-dimensional"),
        (np.array([[0.5, 0.5]]), ps.ShapeError, "one per source"),
    ],
)
def test_bad_inputs_are_named(
    panel: ps.Panel, inputs: np.ndarray, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        ps.sensitivity_runs(panel, inputs, rating_noise=0.1)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"rating_noise": 0.1, "base_rows": 1}, "base_rows"),
        ({"rating_noise": 0.1, "resamples": 1}, "resamples"),
        ({"rating_noise": 0.1, "level": 1.0}, "level"),
        ({"rating_noise": 0.1, "base_rows": True}, "base_rows"),
        ({"rating_noise": 0.0}, "no source of uncertainty is switched on"),
        ({"rating_noise": 0.1, "base_rows": 10**15}, "too large|memory"),
        ({"rating_noise": 0.1, "base_rows": 8, "resamples": 10**12}, "resamples too large"),
        ({"rating_noise": float("nan")}, "rating_noise: NaN"),
    ],
)
def test_bad_options_are_named(panel: ps.Panel, kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ps.PortfolioError, match=message):
        ps.sensitivity(panel, **kwargs)


def test_hostile_inputs_found_in_review(panel: ps.Panel) -> None:
    for bad in ([[0.1], [0.1, 0.2]], np.array([[0.1 + 0.9j]]),
                np.ma.masked_array([[0.1]], mask=[[True]])):  # fmt: skip
        with pytest.raises(ps.InputError, match="inputs"):
            ps.sensitivity_runs(panel, bad, rating_noise=0.1)
    # -0.0 and 0.0 are the same input
    a = ps.sensitivity_runs(panel, np.array([[-0.0]]), rating_noise=0.2)
    b = ps.sensitivity_runs(panel, np.array([[0.0]]), rating_noise=0.2)
    np.testing.assert_array_equal(a["score"], b["score"])
    # a range whose width is not a number is refused, not drawn as NaN cuts
    with pytest.raises(ps.InputError, match="y_cut_range"):
        ps.sensitivity_runs(panel, np.array([[0.5]]), y_cut_range=(-1e308, 1e308))


def test_the_report_set_on_a_one_component_rubric() -> None:
    import json

    spec = {
        "id": "tiny", "version": "1", "title": "one component",
        "scale": json.loads(ps.Rubric.crpe_2016().to_json())["scale"],
        "components": [{"id": "1", "name": "All", "elements": [
            {"id": "a", "text": "a"}, {"id": "b", "text": "b"}]}],
    }  # fmt: skip
    rubric = ps.Rubric.from_json(json.dumps(spec))
    rows = [(f"D{d}", f"201{t}-01", e, float(1 + (d + t + i) % 5))
            for d in range(6) for t in range(3) for i, e in enumerate("ab")]  # fmt: skip
    tiny = ps.Panel.from_long(pd.DataFrame(rows, columns=["district", "date", "element", "rating"]),
                              rubric)  # fmt: skip
    s = ps.sensitivity(tiny, base_rows=16, resamples=10)
    assert "weight_alpha" not in list(s.attrs["sources"])
