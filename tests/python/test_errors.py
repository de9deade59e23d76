"""Every bad input of DESIGN.md raises the package's own exception with a
message naming what is wrong; nothing is modified; nothing panics."""

from __future__ import annotations

import numpy as np
import pandas as pd
import portfolio_snapshot as ps
import pytest
from conftest import by_component, long_frame


def test_hierarchy_is_value_error_based():
    for cls in (ps.RubricError, ps.RatingError, ps.ShapeError, ps.DuplicateError, ps.InputError):
        assert issubclass(cls, ps.PortfolioError)
    assert issubclass(ps.PortfolioError, ValueError)


def test_out_of_scale_rating_names_district_date_element_value():
    df = long_frame([("Tulsa", "2016-01", by_component([3] * 7))])
    df.loc[df["element"] == "4.6", "rating"] = 6
    with pytest.raises(ps.RatingError) as e:
        ps.Panel.from_long(df)
    msg = str(e.value)
    for part in ['"Tulsa"', "2016-01", '"4.6"', "6"]:
        assert part in msg


def test_half_step_is_not_allowed_unless_opted_in():
    df = long_frame([("A", "2016-01", by_component([3] * 7))])
    df.loc[0, "rating"] = 2.5
    with pytest.raises(ps.RatingError, match=r"not allowed.*\"1\.1\": 2\.5"):
        ps.Panel.from_long(df)
    panel = ps.Panel.from_long(df, half_steps=True)
    assert panel.ratings[0, 0] == 2.5


def test_infinite_rating_is_an_error_not_missing():
    df = long_frame([("A", "2016-01", by_component([3] * 7))])
    df.loc[35, "rating"] = -np.inf
    with pytest.raises(ps.RatingError, match=r"infinite.*\"7\.6\""):
        ps.Panel.from_long(df)


def test_text_rating_is_a_rating_error():
    df = long_frame([("A", "2016-01", by_component([3] * 7))]).astype({"rating": object})
    df.loc[3, "rating"] = "three"
    with pytest.raises(
        ps.RatingError, match=r"district \"A\", date 2016-01, element \"1\.4\": 'three'"
    ):
        ps.Panel.from_long(df)


def test_unknown_element_lists_expected_ids():
    df = long_frame([("A", "2016-01", by_component([3] * 7))])
    df.loc[0, "element"] = "9.9"
    with pytest.raises(ps.ShapeError, match=r"unknown element id \"9\.9\".*1\.1, 1\.2"):
        ps.Panel.from_long(df)


def test_missing_and_unknown_columns_in_wide_input():
    wide = ps.datasets.demo_panel().to_wide().reset_index()
    with pytest.raises(ps.ShapeError, match=r"missing element columns.*4\.6"):
        ps.Panel.from_wide(wide.drop(columns=["4.6"]))
    with pytest.raises(ps.ShapeError, match=r"column \"extra\".*not an element"):
        ps.Panel.from_wide(wide.assign(extra=1.0))
    with pytest.raises(
        ps.ShapeError, match=r"needs an element and a rating column.*Panel.from_wide"
    ):
        ps.Panel.from_long(wide)


def test_wrong_width_matrix():
    with pytest.raises(ps.ShapeError, match='35 columns but rubric "crpe-2016" has 36'):
        ps.score_array(np.ones((3, 35)))


def test_duplicates_are_named():
    wide = ps.datasets.demo_panel().to_wide().reset_index()
    doubled = pd.concat([wide, wide.iloc[[4]]])
    with pytest.raises(ps.DuplicateError, match="duplicate snapshot for district"):
        ps.Panel.from_wide(doubled)
    df = long_frame([("A", "2016-01", by_component([3] * 7))])
    df = pd.concat([df, df.iloc[[7]].assign(rating=4.0)])
    with pytest.raises(ps.DuplicateError, match=r"\"A\", date 2016-01, element \"2\.2\": 3 and 4"):
        ps.Panel.from_long(df)


def test_empty_panel():
    with pytest.raises(ps.ShapeError, match="empty panel"):
        ps.Panel.from_long(pd.DataFrame(columns=["district", "date", "element", "rating"]))


def test_bad_and_missing_dates():
    df = long_frame([("A", "2016-13", by_component([3] * 7))])
    with pytest.raises(ps.InputError, match=r"invalid date \"2016-13\" for district \"A\".*month"):
        ps.Panel.from_long(df)
    df = long_frame([("A", "2016-01", by_component([3] * 7))])
    df.loc[2, "date"] = None
    with pytest.raises(ps.InputError, match='missing date for district "A"'):
        ps.Panel.from_long(df)


def test_invalid_rubric_file_names_path_and_field(tmp_path):
    spec = ps.Rubric.crpe_2016().to_json().replace('"id": "4.6"', '"id": "4.5"')
    path = tmp_path / "broken.json"
    path.write_text(spec)
    with pytest.raises(ps.RubricError) as e:
        ps.Rubric.from_json(path)
    assert "broken.json" in str(e.value) and "components[3].elements[5].id" in str(e.value)
    with pytest.raises(ps.RubricError, match="TOML"):
        ps.Rubric.from_toml("id = \n")
    with pytest.raises(ps.RubricError, match=r"nope\.toml.*no such file"):
        ps.Rubric.from_toml(tmp_path / "nope.toml")


def test_strict_policy_names_the_missing_rating(demo):
    with pytest.raises(
        ps.RatingError, match=r"missing rating for district .* \(missing = strict\)"
    ):
        ps.score(demo, missing="strict")


def test_bad_options_are_input_errors(demo):
    with pytest.raises(ps.InputError, match="basis"):
        ps.summarize(demo, basis="latest")
    with pytest.raises(ps.InputError, match="aggregation"):
        ps.score(demo, aggregation="median")
    with pytest.raises(ps.InputError, match=r"missing: 1\.5"):
        ps.score(demo, missing=1.5)
    with pytest.raises(ps.InputError, match=r"cut"):
        ps.summarize(demo, x_cut="middle")
    with pytest.raises(ps.ShapeError, match="component weights"):
        ps.score(demo, weights=[1.0, 2.0])


def test_nothing_panics_on_hostile_arrays():
    for bad in [np.full((2, 36), np.inf), np.full((2, 36), 1e308), -np.ones((1, 36))]:
        with pytest.raises(ps.RatingError):
            ps.score_array(bad)
    out = ps.score_array(np.full((0, 36), np.nan))
    assert out["overall"].shape == (0,)


def test_wrong_types_stay_in_the_hierarchy(demo):
    with pytest.raises(ps.InputError):
        ps.Panel.from_long([1, 2, 3])
    with pytest.raises(ps.InputError):
        ps.score(demo, weights="heavy")
    with pytest.raises(ps.RatingError, match="'a'"):
        ps.score_array([["a"] * 36])
    with pytest.raises(ps.InputError):
        ps.summarize("not a panel")
    with pytest.raises(ps.InputError):
        ps.Panel.from_long(ps.datasets.demo_panel().to_long(), rubric=3.5)
    with pytest.raises(ps.InputError):
        ps.eligible(ps.datasets.network_roster(), min_snapshots=-1)
