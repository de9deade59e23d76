"""Boundary behaviour: dtypes, layouts, coercion, round trips, no mutation."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import portfolio_snapshot as ps
import pytest
from conftest import reference_scores


def test_score_array_accepts_layouts_and_coerces(demo):
    x = demo.ratings
    ref = ps.score_array(np.ascontiguousarray(x))
    fortran = ps.score_array(np.asfortranarray(x))
    np.testing.assert_array_equal(ref["overall"], fortran["overall"])
    # a strided view: every other row of a wider buffer
    wide = np.full((x.shape[0] * 2, 40), 9.0)
    wide[::2, 2:38] = x
    strided = wide[::2, 2:38]
    assert not strided.flags.c_contiguous
    np.testing.assert_array_equal(ps.score_array(strided)["spread"], ref["spread"])
    # ints and lists are converted
    ints = np.full((3, 36), 2, dtype=np.int64)
    assert ps.score_array(ints)["overall"].tolist() == [2.0, 2.0, 2.0]
    assert ps.score_array([[4] * 36])["overall"].tolist() == [4.0]
    assert ref["components"].shape == (x.shape[0], 7)
    assert ref["overall"].dtype == np.float64


def test_inputs_are_never_modified(demo):
    x = np.array(demo.ratings)
    before = x.copy()
    ps.score_array(x)
    np.testing.assert_array_equal(x, before)
    long = demo.to_long()
    copy = long.copy()
    ps.Panel.from_long(long)
    pd.testing.assert_frame_equal(long, copy)


def test_ratings_are_read_only(demo):
    with pytest.raises(ValueError):
        demo.ratings[0, 0] = 5.0


def test_long_and_wide_round_trips(demo):
    again = ps.Panel.from_long(demo.to_long())
    np.testing.assert_array_equal(again.ratings, demo.ratings)
    assert list(again.index) == list(demo.index)
    wide = demo.to_wide()
    from_wide = ps.Panel.from_wide(wide)  # district and date as index levels
    np.testing.assert_array_equal(from_wide.ratings, demo.ratings)
    shuffled = wide.reset_index().sample(frac=1.0, random_state=1)
    shuffled = shuffled[["date", *reversed(demo.rubric.element_ids), "district"]]
    np.testing.assert_array_equal(ps.Panel.from_wide(shuffled).ratings, demo.ratings)
    # NaN cells survive a long round trip with dropna=False
    full = demo.to_long(dropna=False)
    assert len(full) == demo.n_snapshots * 36
    np.testing.assert_array_equal(ps.Panel.from_long(full).ratings, demo.ratings)


def test_dates_as_text_datetimes_and_periods(demo):
    long = demo.to_long()
    as_text = long.assign(date=long["date"].astype(str))
    as_timestamp = long.assign(date=long["date"].dt.to_timestamp())
    as_python = long.assign(date=[dt.date(p.year, p.month, 15) for p in long["date"]])
    for frame in (as_text, as_timestamp, as_python):
        np.testing.assert_array_equal(ps.Panel.from_long(frame).ratings, demo.ratings)


def test_other_column_names_and_int_ratings():
    df = pd.DataFrame(
        {
            "city": ["X"] * 36,
            "when": ["2016-01"] * 36,
            "item": ps.Rubric.crpe_2016().element_ids,
            "value": np.arange(36) % 5 + 1,
        }
    )
    panel = ps.Panel.from_long(df, district="city", date="when", element="item", rating="value")
    ref = reference_scores(panel.ratings)
    assert ps.score(panel)["overall"].iloc[0] == pytest.approx(ref["overall"][0])


def test_numeric_element_ids_from_csv(tmp_path, demo):
    path = tmp_path / "wide.csv"
    demo.to_wide().reset_index().to_csv(path, index=False)
    # pandas reads "1.1" headers as text; a long file read with numeric ids works too
    np.testing.assert_array_equal(ps.Panel.read_csv(path).ratings, demo.ratings)
    long_path = tmp_path / "long.csv"
    demo.to_long().to_csv(long_path, index=False)
    numeric = pd.read_csv(long_path)
    assert numeric["element"].dtype == np.float64
    np.testing.assert_array_equal(ps.Panel.from_long(numeric).ratings, demo.ratings)


def test_2012_rubric_panels():
    r = ps.Rubric.crpe_2012()
    df = pd.DataFrame({"district": "A", "date": "2012-07", "element": r.element_ids, "rating": 3})
    panel = ps.Panel.from_long(df, r)
    assert ps.score(panel)["overall"].iloc[0] == 3.0
    assert ps.Panel.from_long(df, "crpe-2012").rubric == r
