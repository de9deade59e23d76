"""Panels mixing rubric versions: each snapshot scored on its own rubric,
elements through the crosswalk, every result naming the versions. The
references are computed here with pandas and numpy from the long table and
the crosswalk file, not by the library."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import numpy as np
import pandas as pd
import portfolio_snapshot as ps
import pytest

ROOT = Path(__file__).resolve().parents[2]
CROSSWALK = ROOT / "data" / "crosswalk-2012-2016.csv"


def _component_of(rubric_id: str) -> dict[str, str]:
    """Element id -> component short name, read from the rubric's JSON."""
    spec = json.loads(ps.Rubric.builtin(rubric_id).to_json())
    return {e["id"]: c["short_name"] for c in spec["components"] for e in c["elements"]}


def _scores_by_hand(long: pd.DataFrame) -> pd.DataFrame:
    """Per snapshot: the mean of each component's rated elements on the
    snapshot's own rubric, and the overall score as the mean of those."""
    rows = []
    for vid, part in long.groupby("rubric"):
        comp = _component_of(str(vid))
        part = part.assign(component=part["element"].map(comp))
        rows.append(part.groupby(["district", "date", "component"])["rating"].mean())
    comps = pd.concat(rows).unstack("component")
    comps["overall"] = comps.mean(axis=1)
    return comps


@pytest.fixture(scope="module")
def mixed() -> ps.MixedPanel:
    return ps.datasets.demo_mixed_panel()


def test_demo_mixed_panel_follows_the_crosswalk(mixed: ps.MixedPanel) -> None:
    demo = ps.datasets.demo_panel().to_wide()
    cw = pd.read_csv(CROSSWALK, dtype=str)
    pairs = cw.dropna(subset=["from_element", "to_element"])
    old = mixed.parts[1]
    assert old.rubric.id == "crpe-2012" and mixed.parts[0].rubric.id == "crpe-2016"
    wide = old.to_wide()
    assert (wide.index.get_level_values("date") < pd.Period("2015-01", "M")).all()
    for f, t in zip(pairs["from_element"], pairs["to_element"], strict=True):
        np.testing.assert_array_equal(wide[f].to_numpy(), demo.loc[wide.index, t].to_numpy())
    # an unmapped 2012 element: the rounded rated mean of its component's 2016 elements
    comp16 = _component_of("crpe-2016")
    comp12 = _component_of("crpe-2012")
    unmapped = cw.loc[cw["to_element"].isna(), "from_element"]
    for f in unmapped:
        cols = [e for e, c in comp16.items() if c == comp12[f]]
        # halves round up (numpy's round would take them to the even level)
        expected = np.floor(demo.loc[wide.index, cols].mean(axis=1) + 0.5).to_numpy()
        np.testing.assert_array_equal(wide[f].to_numpy(), expected)
    assert mixed.synthetic
    assert "synthetic" in (mixed.label or "")


def test_scores_are_on_each_snapshots_own_rubric(mixed: ps.MixedPanel) -> None:
    long = mixed.to_long()
    expected = _scores_by_hand(long)
    got = ps.score(mixed)
    names = ps.Rubric.builtin("crpe-2016").component_names
    np.testing.assert_allclose(
        got[names].to_numpy(), expected.loc[got.index, names].to_numpy(), atol=1e-12
    )
    np.testing.assert_allclose(
        got["overall"].to_numpy(), expected.loc[got.index, "overall"].to_numpy(), atol=1e-12
    )
    versions = long.drop_duplicates(["district", "date"]).set_index(["district", "date"])["rubric"]
    assert (got["rubric"] == versions.loc[got.index]).all()
    assert "own rubric" in got.attrs["versions"]
    # a 2012 snapshot scored through the crosswalk would differ: the mixed
    # panel does not do that
    translated = ps.score(mixed.translated)
    old = got["rubric"] == "crpe-2012"
    assert not np.allclose(got.loc[old, "overall"], translated.loc[old, "overall"])


def test_trends_fit_the_own_rubric_scores(mixed: ps.MixedPanel) -> None:
    expected = _scores_by_hand(mixed.to_long())["overall"]
    t = ps.trends(mixed)
    for district, s in expected.groupby(level="district"):
        dates = s.index.get_level_values("date")
        years = dates.year + (dates.month - 1) / 12.0
        slope = np.polyfit(years, s.to_numpy(), 1)[0]
        assert t.loc[district, "overall_slope"] == pytest.approx(slope, abs=1e-10)
        counts = s.index.to_frame()["date"].map(
            lambda d, district=district: mixed.versions.loc[(district, d)]
        )
        expected_text = ", ".join(
            f"{v} x{n}" for v, n in counts.value_counts(sort=False).sort_index().items()
        )
        assert t.loc[district, "rubrics"] == expected_text


def test_compare_across_versions(mixed: ps.MixedPanel) -> None:
    c = ps.compare(mixed, "2014-01", "2016-01")
    expected = _scores_by_hand(mixed.to_long())
    cw = pd.read_csv(CROSSWALK, dtype=str)
    pairs = cw.dropna(subset=["from_element", "to_element"])
    to_source = dict(zip(pairs["to_element"], pairs["from_element"], strict=True))
    old = mixed.parts[1].to_wide()
    for district in ["Baltimore", "Denver", "Chicago"]:
        row = c.loc[(district, "overall", "overall")]
        assert row["start_rubric"] == "crpe-2012" and row["end_rubric"] == "crpe-2016"
        start = (district, row["start_date"])
        end = (district, row["end_date"])
        assert row["change"] == pytest.approx(
            expected.loc[end, "overall"] - expected.loc[start, "overall"], abs=1e-12
        )
        for t_id in ps.Rubric.builtin("crpe-2016").element_ids:
            e = c.loc[(district, "element", t_id)]
            if t_id in to_source:
                np.testing.assert_equal(e["start_value"], old.loc[start, to_source[t_id]])
            else:
                assert np.isnan(e["start_value"]) and np.isnan(e["change"])
                assert "no counterpart in crpe-2012 in the start snapshot" in e["reason"]


def test_round_trips(mixed: ps.MixedPanel, tmp_path: Path) -> None:
    long = mixed.to_long()
    again = ps.MixedPanel.from_long(long)
    pd.testing.assert_frame_equal(ps.score(again), ps.score(mixed), check_like=True)
    path = tmp_path / "mixed.csv"
    long.rename(columns={"rubric": "Rubric Version"}).to_csv(path, index=False)
    from_csv = ps.MixedPanel.read_csv(path)
    np.testing.assert_array_equal(
        ps.score(from_csv)["overall"].to_numpy(), ps.score(mixed)["overall"].to_numpy()
    )
    unpickled = pickle.loads(pickle.dumps(mixed))
    assert list(unpickled.versions) == list(mixed.versions)
    assert ps.score(unpickled).equals(ps.score(mixed))


def test_bad_mixes_are_named(mixed: ps.MixedPanel) -> None:
    long = mixed.to_long()
    # one snapshot under two versions
    clash = long[(long["district"] == "Denver") & (long["date"] == pd.Period("2015-01", "M"))]
    twice = pd.concat([long, clash.iloc[:1].assign(rubric="crpe-2012", element="1.1")])
    with pytest.raises(ps.DuplicateError, match=r'"Denver", date 2015-01.*crpe-2016.*crpe-2012'):
        ps.MixedPanel.from_long(twice)
    with pytest.raises(ps.InputError, match=r"'crpe-2020' is not the id of a built-in rubric"):
        ps.MixedPanel.from_long(
            long.assign(rubric=long["rubric"].replace("crpe-2012", "crpe-2020"))
        )
    holes = long.astype({"rubric": object})
    holes.loc[5, "rubric"] = None
    with pytest.raises(ps.ShapeError, match="row 5: no rubric version"):
        ps.MixedPanel.from_long(holes)
    with pytest.raises(ps.ShapeError, match="no column says which rubric version"):
        ps.MixedPanel.from_long(long.drop(columns=["rubric"]))
    # an error in one version's ratings names the version, district and value
    bad = long.copy()
    bad.loc[0, "rating"] = 9.0
    with pytest.raises(ps.RatingError, match=r"rubric crpe-2012: .*Albuquerque.*9"):
        ps.MixedPanel.from_long(bad)
    # a version with other components cannot be compared
    spec = ps.Rubric.builtin("crpe-2016").to_json().replace('"Choice"', '"Options"', 1)
    spec = spec.replace('"id": "crpe-2016"', '"id": "mine"', 1)
    other = ps.Rubric.from_json(spec)
    denver = mixed.parts[0].to_long().query("district == 'Denver'")
    mine = ps.Panel.from_long(denver.assign(district="Elsewhere"), other)
    with pytest.raises(ps.InputError, match=r"crosswalk.*mine -> crpe-2016"):
        ps.MixedPanel([mixed.parts[0], mine])
    heavier = ps.Rubric.from_json(
        json.dumps({**json.loads(spec), "components": [
            {**c, "weight": 2.0 if c["id"] == "1" else c["weight"]}
            for c in json.loads(spec)["components"]
        ]})
    )  # fmt: skip
    weighted = ps.Panel.from_long(denver.assign(district="Elsewhere"), heavier)
    with pytest.raises(
        ps.InputError, match=r"rubric: mine \(its components \(ids and weights\) differ"
    ):
        ps.MixedPanel([mixed.parts[0], weighted], crosswalks=[])
    with pytest.raises(ps.InputError, match="panels\\[1\\]: a Panel, not a bool"):
        ps.MixedPanel([mixed.parts[0], True])
    with pytest.raises(ps.InputError, match="a list of Panel objects"):
        ps.MixedPanel(mixed.parts[0])


def test_one_element_list_analyses_refuse_a_mixed_panel(mixed: ps.MixedPanel) -> None:
    for analysis in (ps.summarize, ps.rank_components, ps.cronbach_alpha, ps.uncertainty):
        with pytest.raises(ps.InputError, match=r"panel\.translated"):
            analysis(mixed)
    # on the translated panel they run, and its label says what was done
    assert "through the crosswalk" in (mixed.translated.label or "")
    assert len(ps.summarize(mixed.translated)) == 25


def test_a_panel_never_reads_another_versions_ratings(mixed: ps.MixedPanel) -> None:
    long = mixed.to_long()
    with pytest.raises(ps.ShapeError, match=r"MixedPanel\.from_long"):
        ps.Panel.from_long(long)
    only_old = long[long["rubric"] == "crpe-2012"]
    with pytest.raises(ps.ShapeError, match="pass rubric='crpe-2012'"):
        ps.Panel.from_long(only_old)
    assert ps.Panel.from_long(only_old, "crpe-2012") == mixed.parts[1].with_label(
        None, synthetic=False
    )


def test_cli_report_reads_a_mixed_file(mixed: ps.MixedPanel, tmp_path: Path) -> None:
    from portfolio_snapshot.__main__ import main

    path = tmp_path / "mixed.csv"
    mixed.to_long().to_csv(path, index=False)
    out = tmp_path / "report"
    assert main(["report", str(path), "--out", str(out), "--draws", "0"]) == 0
    page = (out / "report.html").read_text()
    assert "rubric versions: snapshots rated under crpe-2016 and crpe-2012" in page
    trends = pd.read_csv(out / "trends.csv", index_col="district")
    assert trends.loc["Baltimore", "rubrics"] == "crpe-2012 x3, crpe-2016 x3"
    scores = pd.read_csv(out / "snapshot_scores.csv")
    assert set(scores["rubric"]) == {"crpe-2012", "crpe-2016"}
    assert main(["report", str(path), "--out", str(out), "--rubric", "crpe-2016"]) == 2


def test_a_crosswalk_given_is_used_before_the_shipped_one(
    mixed: ps.MixedPanel, tmp_path: Path
) -> None:
    shipped = ps.datasets.crosswalk()
    same = ps.MixedPanel(mixed.parts, crosswalks=[shipped])
    pd.testing.assert_frame_equal(
        ps.compare(same, "2014-01", "2016-01"), ps.compare(mixed, "2014-01", "2016-01")
    )
    # the same file with 2012 1.1 -> 2016 1.4 taken apart into two unmapped rows
    cw = pd.read_csv(CROSSWALK, dtype=str, keep_default_na=False)
    row = cw.index[cw["from_element"] == "1.1"][0]
    assert cw.loc[row, "to_element"] == "1.4"
    cw.loc[row, ["to_element", "relation"]] = ["", "unmapped"]
    extra = cw.loc[[row]].assign(from_element="", to_element="1.4", relation="unmapped")
    path = tmp_path / "cw.csv"
    pd.concat([cw, extra]).to_csv(path, index=False)
    changed = ps.MixedPanel(mixed.parts, crosswalks=[path])
    c = ps.compare(changed, "2014-01", "2016-01")
    e = c.loc[("Baltimore", "element", "1.4")]
    assert np.isnan(e["start_value"])
    assert e["reason"] == "no counterpart in crpe-2012 in the start snapshot"
    # pickling keeps the crosswalk given
    again = pickle.loads(pickle.dumps(changed))
    pd.testing.assert_frame_equal(ps.compare(again, "2014-01", "2016-01"), c)


def test_hostile_tables_found_in_review(mixed: ps.MixedPanel, tmp_path: Path) -> None:
    long = mixed.to_long()
    only_old = long[long["rubric"] == "crpe-2012"]
    # a second version column, or the version as an index level, is read too
    with pytest.raises(ps.ShapeError, match="rubric version"):
        ps.Panel.from_long(
            only_old.assign(**{"rubric version": "crpe-2012"}).drop(columns="rubric")
        )
    with pytest.raises(ps.ShapeError, match="crpe-2012"):
        ps.Panel.from_long(only_old.set_index("rubric"))
    # blank version cells: no version, not a version named ""
    plain = ps.datasets.demo_panel().to_long().assign(rubric="")
    path = tmp_path / "blank.csv"
    plain.to_csv(path, index=False)
    assert ps.Panel.read_csv(path).n_snapshots == 123
    holes = long.astype({"rubric": object})
    holes.loc[7, "rubric"] = "  "
    with pytest.raises(ps.ShapeError, match="row 7: no rubric version"):
        ps.MixedPanel.from_long(holes)
    # an error in one version's rows names the row of the whole table
    bad = long.astype({"date": str})
    row = int(bad.index[(bad["rubric"] == "crpe-2012")][40])
    bad.loc[row, "date"] = "2013-13"
    with pytest.raises(ps.InputError, match=rf"rubric crpe-2012: .*\(row {row}\)"):
        ps.MixedPanel.from_long(bad)
    # rubrics by id; one id for two rubrics is refused
    by_id = ps.MixedPanel.from_long(long, rubrics=["crpe-2012"])
    pd.testing.assert_frame_equal(ps.score(by_id), ps.score(mixed))
    other = ps.Rubric.from_json(ps.Rubric.crpe_2012().to_json().replace("Choice", "Options", 1))
    with pytest.raises(ps.InputError, match="share the id 'crpe-2012'"):
        ps.MixedPanel.from_long(long, rubrics=[ps.Rubric.crpe_2012(), other])
    with pytest.raises(ps.InputError, match="rubrics: a list"):
        ps.MixedPanel.from_long(long, rubrics=5)
    with pytest.raises(ps.InputError, match="table mixing rubric versions"):
        ps.MixedPanel.from_long([1, 2, 3])


def test_hostile_crosswalks_found_in_review(mixed: ps.MixedPanel, tmp_path: Path) -> None:
    # a crosswalk given must be used: a misspelt rubric id is not passed over
    cw = ps.datasets.crosswalk()
    cw.attrs = {"from_rubric": "CRPE-2012", "to_rubric": "crpe-2016"}
    with pytest.raises(ps.InputError, match=r"crosswalk: CRPE-2012 -> crpe-2016 .*carries none"):
        ps.MixedPanel(mixed.parts, crosswalks=cw)
    junk = tmp_path / "junk.csv"
    junk.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(ps.InputError, match="as UTF-8 CSV text"):
        ps.MixedPanel(mixed.parts, crosswalks=junk)
    with pytest.raises(ps.InputError, match="it is a directory"):
        ps.MixedPanel(mixed.parts, crosswalks=tmp_path)
    for odd in (b"abc", {"a": 1}, 3):
        with pytest.raises(ps.InputError, match="crosswalks"):
            ps.MixedPanel(mixed.parts, crosswalks=odd)
    assert ps.MixedPanel(mixed.parts) == mixed


def test_a_snapshot_rated_only_on_unmapped_elements_is_drawn(tmp_path: Path) -> None:
    old = ps.Panel.from_long(
        pd.DataFrame(
            [("B", "2013-01", e, 3.0) for e in ("1.2", "1.5", "3.4", "6.1")]
            + [("B", "2013-07", "1.1", 2.0)],
            columns=["district", "date", "element", "rating"],
        ),
        "crpe-2012",
    )
    m = ps.MixedPanel([old])
    s = ps.score(m)
    assert s.loc[("B", "2013-01"), "overall"] == 3.0  # four components at 3 on its own rubric
    assert np.isnan(m.translated.ratings[0]).all()  # nothing of it maps to 2016
    ps.plot.trajectories(m)
