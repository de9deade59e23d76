"""One district and change over time: ps.profile against numpy.percentile,
ps.path_to_advanced against brute force over every combination of moves,
ps.compare against a pandas merge_asof of the snapshots, and the trajectory
classes against numpy.polyfit with the stated thresholds."""

import itertools
import json

import numpy as np
import pandas as pd
import portfolio_snapshot as ps
import pytest

# numpy warns on the all-NaN components of the brute force; NaN is the answer
pytestmark = pytest.mark.filterwarnings("ignore:Mean of empty slice:RuntimeWarning")


# ---------------------------------------------------------------- profile
@pytest.mark.parametrize("basis", ["average", "recent"])
@pytest.mark.parametrize("district", ["Spring Branch", "Albuquerque", "Denver"])
def test_profile_against_numpy_percentile(basis, district):
    panel = ps.datasets.demo_panel()
    long = panel.to_long()
    if basis == "recent":
        last = long.groupby("district")["date"].transform("max")
        long = long[long["date"] == last]
    values = long.pivot_table(index="district", columns="element", values="rating", aggfunc="mean")
    p = ps.profile(panel, district, basis=basis)
    assert list(p.index) == ps.Rubric.crpe_2016().element_ids
    for e in p.index:
        col = values[e].dropna().to_numpy()
        q1, med, q3 = np.percentile(col, [25, 50, 75])
        row = p.loc[e]
        assert row["network_median"] == pytest.approx(med, abs=1e-12)
        assert row["network_q1"] == pytest.approx(q1, abs=1e-12)
        assert row["network_q3"] == pytest.approx(q3, abs=1e-12)
        assert row["n_districts"] == len(col)
        assert row["value"] == pytest.approx(values.loc[district, e], abs=1e-12, nan_ok=True)
        assert row["gap"] == pytest.approx(values.loc[district, e] - med, abs=1e-12, nan_ok=True)
    # shortfall ranks: competition ranks of the negative gaps (pandas "min";
    # the gaps themselves were checked against numpy above)
    gaps = p["gap"]
    behind = gaps[gaps < 0].rank(method="min").astype(int)
    got = p["shortfall_rank"].dropna().astype(int)
    assert got.sort_index().to_dict() == behind.sort_index().to_dict()
    assert set(p.index[p["weakest"]]) == set(behind.index[behind <= 5])
    assert p.attrs["district"] == district and p.attrs["basis"] == basis


def test_profile_errors_name_the_district_and_parameter():
    panel = ps.datasets.demo_panel()
    with pytest.raises(ps.InputError, match="Atlantis"):
        ps.profile(panel, "Atlantis")
    with pytest.raises(ps.InputError, match="district"):
        ps.profile(panel, True)  # type: ignore[arg-type]
    with pytest.raises(ps.InputError, match="n"):
        ps.profile(panel, "Denver", n_weakest=-1)
    assert ps.profile(panel, "Denver", n_weakest=0)["weakest"].sum() == 0


# ----------------------------------------------------- path to advanced
# a small rubric: 3 components of 2, 3 and 2 elements on a 1-4 scale; the
# default rule is "more than half of 3 components (2) banded 3 or better"
SMALL = {
    "id": "small",
    "scale": [1, 2, 3, 4],
    "components": [
        {"id": str(c + 1), "name": f"C{c + 1}",
         "elements": [{"id": f"{c + 1}.{e + 1}", "text": f"e{c + 1}.{e + 1}"} for e in range(n)]}
        for c, n in enumerate([2, 3, 2])
    ],
}  # fmt: skip
SIZES = [2, 3, 2]
LEVELS = np.array([1.0, 2.0, 3.0, 4.0])


def _advanced(values: np.ndarray) -> np.ndarray:
    """Independent rule on rows of element values (NaN = unrated): component
    mean of rated elements, banded half up to the nearest level, at least 2
    of 3 components at 3 or better."""
    count = np.zeros(len(values), dtype=int)
    start = 0
    for n in SIZES:
        block = values[:, start : start + n]
        start += n
        with np.errstate(invalid="ignore"):
            mean = np.nanmean(block, axis=1) if block.size else np.full(len(values), np.nan)
        band = np.floor(mean + 0.5)  # integer levels: x.5 goes up
        count += np.nan_to_num(band, nan=0) >= 3
    return count >= 2


def _brute(history: np.ndarray, basis: str) -> tuple[bool, int | None]:
    """The fewest one-level moves of the last row that flip "advanced"."""
    latest = history[-1]
    rows = history if basis == "average" else history[-1:]
    rated = ~np.isnan(latest)

    def value(new_latest: np.ndarray) -> np.ndarray:
        h = np.broadcast_to(rows, (len(new_latest), *rows.shape)).copy()
        h[:, -1, :] = new_latest
        with np.errstate(invalid="ignore"):
            return np.nanmean(h, axis=1)

    now = bool(_advanced(value(latest[None, :]))[0])
    options = []
    for j, r in enumerate(latest):
        if not rated[j]:
            options.append([np.nan])
        elif now:
            options.append([x for x in LEVELS if x <= r])
        else:
            options.append([x for x in LEVELS if x >= r])
    grid = np.array(list(itertools.product(*options)))
    steps = np.nansum(np.abs(grid - latest), axis=1)
    flipped = _advanced(value(grid)) != now
    return now, (int(steps[flipped].min()) if flipped.any() else None)


def _panel(history: np.ndarray) -> ps.Panel:
    rubric = ps.Rubric.from_json(json.dumps(SMALL))
    rows = []
    for t, ratings in enumerate(history):
        for e, r in zip(rubric.element_ids, ratings, strict=True):
            if not np.isnan(r):
                rows.append(("X", f"{2014 + t}-01", e, r))
    rows.append(("Y", "2014-01", "1.1", 2.0))
    return ps.Panel.from_long(pd.DataFrame(rows, columns=["district", "date", "element", "rating"]),
                              rubric)  # fmt: skip


@pytest.mark.parametrize("basis", ["recent", "average"])
def test_path_to_advanced_equals_brute_force(basis):
    rng = np.random.default_rng(7)
    seen = {"raise": 0, "lower": 0, "unreachable": 0}
    nan = np.nan
    # two components unrated in the latest snapshot: no raise can help
    fixed = [np.array([[nan, nan, 1, 2, 1, nan, nan]]),
             np.array([[4, 4, 4, 4, 4, 1, 1]]), np.array([[1, 1, 1, 1, 1, 1, 1]])]  # fmt: skip
    cases = fixed + [None] * 60
    for case in cases:
        n_rows = 1 if basis == "recent" else int(rng.integers(1, 4))
        if case is None:
            history = rng.integers(1, 5, size=(n_rows, 7)).astype(float)
            history[rng.random(history.shape) < 0.15] = np.nan
        else:
            history = np.vstack([np.full((n_rows - 1, 7), 2.0), case.astype(float)])
        if np.isnan(history[-1]).all():
            history[-1, 0] = 2.0
        now, fewest = _brute(history, basis)
        path = ps.path_to_advanced(_panel(history), "X", basis=basis)
        assert path.attrs["advanced"] == now
        assert path.attrs["direction"] == ("lower" if now else "raise")
        assert path.attrs["total_steps"] == fewest, (history, basis)
        if fewest is None:
            seen["unreachable"] += 1
            assert path.empty and path.attrs["reason"]
            continue
        seen[path.attrs["direction"]] += 1
        assert int(path["steps"].sum()) == fewest
        # applying the listed moves flips the status, checked independently
        latest = history[-1].copy()
        ids = ps.Rubric.from_json(json.dumps(SMALL)).element_ids
        for e, row in path.iterrows():
            j = ids.index(e)
            assert latest[j] == row["from_rating"]
            assert abs(row["to_rating"] - row["from_rating"]) == row["steps"]
            latest[j] = row["to_rating"]
        moved = history.copy()
        moved[-1] = latest
        rows = moved if basis == "average" else moved[-1:]
        with np.errstate(invalid="ignore"):
            assert bool(_advanced(np.nanmean(rows, axis=0)[None, :])[0]) != now
    assert min(seen.values()) > 0, seen


def test_path_to_advanced_on_the_demo_agrees_with_summarize():
    panel = ps.datasets.demo_panel()
    s = ps.summarize(panel, basis="recent")
    for d in s.index:
        path = ps.path_to_advanced(panel, d)
        assert path.attrs["advanced"] == s.loc[d, "advanced"]
        assert path.attrs["basis"] == "recent"
        assert path.attrs["summary"].startswith(d)
    with pytest.raises(ps.InputError, match="Atlantis"):
        ps.path_to_advanced(panel, "Atlantis")
    with pytest.raises(ps.InputError, match="advanced_level"):
        ps.path_to_advanced(panel, "Denver", advanced_level=4.5)


# ---------------------------------------------------------------- compare
def test_compare_against_a_pandas_merge_asof():
    panel = ps.datasets.demo_panel()
    start, end = pd.Period("2014-06", "M"), pd.Period("2015-07", "M")
    c = ps.compare(panel, "June 2014", "2015-07")
    scores = ps.score(panel).reset_index()
    scores["t"] = scores["date"].dt.to_timestamp()
    wide = panel.to_wide().reset_index()
    ids = ps.Rubric.crpe_2016().element_ids
    assert len(c) == 25 * (1 + 7 + 36)
    for at, side in [(start, "start"), (end, "end")]:
        probe = pd.DataFrame({"district": panel.district_names, "t": at.to_timestamp()})
        hit = pd.merge_asof(probe.sort_values("t"), scores.sort_values("t"), on="t",
                            by="district", direction="backward").set_index("district")  # fmt: skip
        for d in panel.district_names:
            row = c.loc[(d, "overall", "overall")]
            if pd.isna(hit.loc[d, "date"]):
                assert pd.isna(row[f"{side}_date"]) and np.isnan(row[f"{side}_value"])
                assert "no snapshot on or before" in row["reason"]
                continue
            assert row[f"{side}_date"] == hit.loc[d, "date"]
            assert row[f"{side}_value"] == pytest.approx(hit.loc[d, "overall"], abs=1e-12)
            snap = wide[(wide["district"] == d) & (wide["date"] == hit.loc[d, "date"])].iloc[0]
            for e in ids[:36:7]:
                got = c.loc[(d, "element", e), f"{side}_value"]
                assert (np.isnan(got) and np.isnan(snap[e])) or got == snap[e]
            assert c.loc[(d, "component", "4"), f"{side}_value"] == pytest.approx(
                hit.loc[d, "Talent"], abs=1e-12)  # fmt: skip
    both = c.dropna(subset=["start_value", "end_value"])
    assert np.allclose(both["change"], both["end_value"] - both["start_value"])
    assert c["reason"].isna().sum() == len(both)


def test_compare_rejects_reversed_or_bad_dates():
    panel = ps.datasets.demo_panel()
    with pytest.raises(ps.InputError, match="start"):
        ps.compare(panel, "2016-01", "2014-01")
    with pytest.raises(ps.InputError, match="end"):
        ps.compare(panel, "2014-01", "Spring 2016")
    with pytest.raises(ps.InputError, match="start"):
        ps.compare(panel, True, "2016-01")
    same = ps.compare(panel, "2016-01", "2016-01")
    ok = same.dropna(subset=["change"])
    assert (ok["change"] == 0).all() and (ok["start_date"] == ok["end_date"]).all()


# ------------------------------------------------------------ trajectory
def test_trajectory_classes_follow_the_stated_thresholds():
    panel = ps.datasets.demo_panel()
    for band, least in [(None, None), (0.3, 4), (0.0, 2)]:
        t = ps.trends(panel, stall_band=band, min_snapshots=least)
        band_ = 0.1 if band is None else band
        least_ = 3 if least is None else least
        assert t.attrs["stall_band"] == band_ and t.attrs["min_snapshots"] == least_
        s = ps.score(panel).reset_index()
        for d, rows in s.groupby("district"):
            p = pd.PeriodIndex(rows["date"], freq="M")
            x = np.asarray(p.year + (p.month - 1) / 12.0)
            y = rows["overall"].to_numpy()
            ok = ~np.isnan(y)
            if ok.sum() < least_:
                expected = "too few snapshots"
            else:
                slope = np.polyfit(x[ok], y[ok], 1)[0]
                expected = ("rising" if slope >= band_ else
                            "declining" if slope <= -band_ else "stalled")  # fmt: skip
            assert t.loc[d, "trajectory"] == expected, (d, band, least)
    with pytest.raises(ps.InputError, match="min_snapshots"):
        ps.trends(panel, min_snapshots=1)
    with pytest.raises(ps.InputError, match="stall_band"):
        ps.trends(panel, stall_band=float("nan"))
    with pytest.raises(ps.InputError, match="stall_band"):
        ps.trends(panel, stall_band=True)  # type: ignore[arg-type]


# ------------------------------------------------- honest summaries (item 4)
def test_cell_coverage_counts_rated_cells():
    panel = ps.datasets.demo_panel()
    wide = panel.to_wide()
    rated = wide.notna().sum(axis=1).groupby(level="district").sum()
    cells = wide.groupby(level="district").size() * wide.shape[1]
    s = ps.summarize(panel)
    expected = (rated / cells).reindex(s.index)
    assert np.allclose(s["cell_coverage"], expected, atol=1e-12)
    ever = wide.notna().groupby(level="district").any().mean(axis=1).reindex(s.index)
    assert np.allclose(s["coverage"], ever, atol=1e-12)
    recent = ps.summarize(panel, basis="recent")
    assert np.allclose(recent["cell_coverage"], recent["coverage"], atol=1e-12)


def _two_elements(rows):
    elements = [{"id": "A", "text": "a"}, {"id": "B", "text": "b"}]
    spec = {"id": "two", "scale": [1, 2, 3, 4, 5],
            "components": [{"id": "1", "name": "Only", "elements": elements}]}  # fmt: skip
    df = pd.DataFrame(rows, columns=["district", "date", "element", "rating"])
    return ps.Panel.from_long(df, ps.Rubric.from_json(json.dumps(spec)))


def test_recent_progress_worked_example_of_the_docstring():
    nan = np.nan
    panel = _two_elements([("X", "2015-01", "A", 2), ("X", "2015-01", "B", 5),
                           ("X", "2016-01", "A", 4), ("X", "2016-01", "B", nan)])  # fmt: skip
    s = ps.summarize(panel)
    # snapshots score 3.5 and 4: progress 4 - 3.75; the average basis is A 3, B 5
    assert s.loc["X", "recent_progress"] == pytest.approx(0.25, abs=1e-12)
    assert s.loc["X", "score"] == pytest.approx(4.0, abs=1e-12)


def test_districts_without_a_score_are_reported_not_dropped():
    nan = np.nan
    panel = _two_elements([("X", "2015-01", "A", 2), ("X", "2016-01", "A", nan),
                           ("Y", "2015-01", "A", 3), ("Y", "2016-01", "B", 4)])  # fmt: skip
    with pytest.warns(ps.PortfolioWarning, match=r"1 district has no score on the recent basis.*X"):
        s = ps.summarize(panel, basis="recent")
    assert s.loc["X", "unscored_reason"] == "nothing is rated in its latest snapshot (2016-01)"
    assert pd.isna(s.loc["Y", "unscored_reason"]) and np.isnan(s.loc["X", "score"])
    assert pd.isna(s.loc["X", "quadrant"]) and len(s) == 2
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error", ps.PortfolioWarning)
        assert ps.summarize(panel)["unscored_reason"].isna().all()


def test_spread_mean_of_snapshots_against_pandas():
    panel = ps.datasets.demo_panel()
    wide = panel.to_wide()
    per_snapshot = wide.var(axis=1, ddof=0)  # population variance of the rated elements
    expected = per_snapshot.groupby(level="district").mean()
    s = ps.summarize(panel, spread="mean_of_snapshots")
    assert np.allclose(s["spread"], expected.reindex(s.index), atol=1e-12)
    assert s.attrs["spread_rule"] == "mean_of_snapshots"
    assert s.attrs["x_cut"] == pytest.approx(expected.mean(), abs=1e-12)
    assert "mean over" in s.attrs["labels"]["spread"]
    # the report's rule: the variance of the element means, smaller over time
    report = ps.summarize(panel)
    basis = wide.groupby(level="district").mean().var(axis=1, ddof=0)
    assert np.allclose(report["spread"], basis.reindex(report.index), atol=1e-12)
    assert (report["spread"] <= s["spread"] + 1e-12).mean() > 0.5
    # on the recent basis the two rules agree
    r1 = ps.summarize(panel, basis="recent")
    r2 = ps.summarize(panel, basis="recent", spread="mean_of_snapshots")
    assert np.allclose(r1["spread"], r2["spread"], atol=1e-12)
    assert (r1["quadrant"] == r2["quadrant"]).all()
    with pytest.raises(ps.InputError, match="spread"):
        ps.summarize(panel, spread="per_snapshot")


def test_spread_mean_of_snapshots_decides_a_cut_exactly():
    # snapshot spreads: (2, 3) -> 0.25 and (2, 5) -> 2.25, mean 1.25
    panel = _two_elements([("X", "2015-01", "A", 2), ("X", "2015-01", "B", 3),
                           ("X", "2016-01", "A", 2.0), ("X", "2016-01", "B", 5)])  # fmt: skip
    s = ps.summarize(panel, spread="mean_of_snapshots", x_cut=0.625)
    assert s.loc["X", "spread"] == pytest.approx(1.25)
    on_cut = ps.summarize(panel, spread="mean_of_snapshots", x_cut=1.25)
    assert "piecemeal" in str(on_cut.loc["X", "quadrant"])


# ------------------------------------------------------------- crosswalk
def test_crosswalk_names_every_element_of_both_rubrics_once():
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "data" / "crosswalk-2012-2016.csv"
    cw = pd.read_csv(path, dtype=str)
    assert list(cw.columns) == ["from_rubric", "from_element", "to_rubric", "to_element",
                                "relation", "reason"]  # fmt: skip
    old, new = ps.Rubric.crpe_2012().element_ids, ps.Rubric.crpe_2016().element_ids
    assert len(old) == 31 and len(new) == 36
    assert sorted(cw["from_element"].dropna(), key=old.index) == old
    assert sorted(cw["to_element"].dropna(), key=new.index) == new
    assert set(cw["relation"]) <= {"same", "narrower", "broader", "unmapped"}
    mapped = cw.dropna(subset=["from_element", "to_element"])
    assert (mapped["relation"] != "unmapped").all()
    assert (cw.loc[cw[["from_element", "to_element"]].isna().any(axis=1), "relation"]
            == "unmapped").all()  # fmt: skip
    assert cw["reason"].str.len().min() > 20


def test_hostile_inputs_of_one_district_and_time():
    panel = ps.datasets.demo_panel()
    with pytest.raises(ps.InputError, match="n_weakest"):
        ps.profile(panel, "Denver", n_weakest=-1)
    path = ps.path_to_advanced(panel, "Denver", basis="average")
    if path.attrs["total_steps"] is None:
        assert "earlier snapshots hold" in path.attrs["reason"]
    low = ps.path_to_advanced(panel, "NOLA RSD")
    assert low.attrs["summary"].endswith("and no fewer would.")
    c = ps.compare(panel, "2014-01", "2016-01")
    assert not c["reason"].dropna().str.contains("neither").any()
    # a tie in the gaps shares its rank; the weakest flag keeps a tie whole
    p = ps.profile(panel, "Baltimore", basis="recent")
    ranks = p["shortfall_rank"].dropna()
    ranked = p.dropna(subset=["shortfall_rank"])
    spread_in_rank = ranked.groupby("shortfall_rank")["gap"].agg(lambda g: g.max() - g.min())
    assert (spread_in_rank == 0).all()
    assert (
        ranked["gap"].rank(method="min").astype(int).tolist() == ranked["shortfall_rank"].tolist()
    )
    assert p["weakest"].sum() >= min(5, len(ranks))


def test_translate_carries_mapped_ratings_through_the_crosswalk():
    from pathlib import Path

    cw = pd.read_csv(Path(__file__).resolve().parents[2] / "data" / "crosswalk-2012-2016.csv",
                     dtype=str)  # fmt: skip
    old = ps.Rubric.crpe_2012()
    rng = np.random.default_rng(5)
    ratings = rng.integers(1, 6, size=(4, len(old.element_ids))).astype(float)
    ratings[rng.random(ratings.shape) < 0.2] = np.nan
    rows = [(d, m, e, r) for (d, m), row in zip([("A", "2012-01"), ("A", "2013-01"),
                                                ("B", "2012-07"), ("C", "2013-01")], ratings,
                                               strict=True)
            for e, r in zip(old.element_ids, row, strict=True) if not np.isnan(r)]  # fmt: skip
    df = pd.DataFrame(rows, columns=["district", "date", "element", "rating"])
    panel = ps.Panel.from_long(df, old).with_label("my 2012 ratings")
    new = panel.translate()
    assert new.rubric.id == "crpe-2016" and "translated from crpe-2012" in new.label
    assert new.label.startswith("my 2012 ratings")
    src = panel.to_wide()
    dst = new.to_wide()
    mapped = cw.dropna(subset=["from_element", "to_element"])
    for _, m in mapped.iterrows():
        assert np.array_equal(dst[m["to_element"]].to_numpy(), src[m["from_element"]].to_numpy(),
                              equal_nan=True)  # fmt: skip
    unmapped = cw.loc[cw["from_element"].isna(), "to_element"]
    assert dst[list(unmapped)].isna().all().all()
    assert len(mapped) == 27 and len(unmapped) == 9
    table = ps.datasets.crosswalk()
    assert table.attrs == {"from_rubric": "crpe-2012", "to_rubric": "crpe-2016"}
    assert table["relation"].value_counts().to_dict() == cw["relation"].value_counts().to_dict()
    with pytest.raises(ps.InputError, match=r"crosswalk.*the panel is on rubric crpe-2016"):
        ps.datasets.demo_panel().translate()
