"""Hostile and odd inputs, by surface: construction, parameters, rubric
sources, CLI, threads, immutability, pickling, figures.

Every case asserts the exception class (always a subclass of
``ps.PortfolioError``) and that the message names the offending district,
date, element, value or parameter. The reproducers quoted in the "One
boundary" issue are here by name.
"""

from __future__ import annotations

import copy
import datetime as dt
import os
import pickle
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import portfolio_snapshot as ps
import pytest
from conftest import by_component, long_frame

DEMO = ps.datasets.demo_panel()
IDS = ps.Rubric.crpe_2016().element_ids


def raises(fn: Callable[[], object], exc: type[Exception], *fragments: str) -> Exception:
    """Run ``fn``; it must raise ``exc`` (a PortfolioError) naming every fragment."""
    assert issubclass(exc, ps.PortfolioError)
    with pytest.raises(exc) as info:
        fn()
    message = str(info.value)
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in {message!r}"
    return info.value


def one_snapshot(**overrides: object) -> pd.DataFrame:
    """A long table of one snapshot (district A, 2016-01, every element 3)."""
    df = long_frame([("A", "2016-01", by_component([3] * 7))])
    for col, value in overrides.items():
        df[col] = df[col].astype(object)
        df.loc[5, col] = value
    return df


# ---------------------------------------------------------------------------
# construction: tables that are not what they claim
# ---------------------------------------------------------------------------

NOT_FRAMES = [None, [1, 2, 3], {"district": ["A"]}, np.ones((3, 4)), "ratings.csv", 3.5]


@pytest.mark.parametrize("obj", NOT_FRAMES, ids=repr)
@pytest.mark.parametrize("build", [ps.Panel.from_long, ps.Panel.from_wide])
def test_construction_needs_a_table(build, obj):
    raises(lambda: build(obj), ps.InputError, "DataFrame", type(obj).__name__)


BAD_RATINGS = [
    (True, ps.RatingError, "bool"),
    (False, ps.RatingError, "bool"),
    (np.bool_(True), ps.RatingError, "bool"),
    (3 + 0j, ps.RatingError, "complex"),
    (pd.Timedelta(3), ps.RatingError, "Timedelta"),
    (dt.timedelta(days=3), ps.RatingError, "timedelta"),
    (pd.Timestamp("2016-01-01"), ps.RatingError, "Timestamp"),
    (dt.date(2016, 1, 1), ps.RatingError, "2016"),
    ("x", ps.RatingError, "'x'"),
    ("three", ps.RatingError, "'three'"),
    ("3,5", ps.RatingError, "'3,5'"),
    ("3 stars", ps.RatingError, "'3 stars'"),
    (b"3", ps.RatingError, "b'3'"),
    ([3], ps.RatingError, "[3]"),
    (6, ps.RatingError, "6"),
    (0, ps.RatingError, "0"),
    (-1, ps.RatingError, "-1"),
    (2.5, ps.RatingError, "2.5"),
    (1e308, ps.RatingError, "1e308"),
    (np.inf, ps.RatingError, "inf"),
    (-np.inf, ps.RatingError, "inf"),
    ("inf", ps.RatingError, "inf"),
    ("7", ps.RatingError, "7"),
]


@pytest.mark.parametrize(("value", "exc", "fragment"), BAD_RATINGS, ids=repr)
def test_a_rating_that_is_not_one_names_the_cell(value, exc, fragment):
    df = one_snapshot(rating=value)
    raises(lambda: ps.Panel.from_long(df), exc, '"A"', "2016-01", '"1.6"', fragment)


@pytest.mark.parametrize(("value", "exc", "fragment"), BAD_RATINGS[:12], ids=repr)
def test_a_rating_that_is_not_one_names_the_cell_in_wide_tables(value, exc, fragment):
    wide = one_snapshot().pivot_table(
        index=["district", "date"], columns="element", values="rating", aggfunc="first"
    )
    wide = wide.reset_index().astype({"4.6": object})
    wide.loc[0, "4.6"] = value
    raises(lambda: ps.Panel.from_wide(wide), exc, '"A"', "2016-01", '"4.6"', fragment)


def test_text_among_ratings_in_a_pandas_str_column_names_the_cell():
    # pandas 3 reads text columns as dtype "str"
    df = one_snapshot()
    df["rating"] = df["rating"].astype(str)
    df.loc[7, "rating"] = "x"
    raises(lambda: ps.Panel.from_long(df), ps.RatingError, '"2.2"', "'x'", '"A"')


@pytest.mark.parametrize("marker", ["", " ", "NA", "N/A", "n/a", "-", ".", "NaN", "nan"])
def test_not_rated_markers_in_text_columns(marker):
    df = one_snapshot()
    df["rating"] = df["rating"].astype(str)
    df.loc[3, "rating"] = marker
    panel = ps.Panel.from_long(df)
    assert np.isnan(panel.ratings[0, 3])
    assert np.nansum(panel.ratings) == 3 * 35


def test_custom_na_values_replace_the_default():
    df = one_snapshot()
    df["rating"] = df["rating"].astype(str)
    df.loc[3, "rating"] = "missing"
    assert np.isnan(ps.Panel.from_long(df, na_values=["missing"]).ratings[0, 3])
    df.loc[3, "rating"] = "NA"
    raises(lambda: ps.Panel.from_long(df, na_values=["missing"]), ps.RatingError, "'NA'")


BAD_DISTRICTS = [
    (None, "missing"),
    (np.nan, "missing"),
    ("", "not empty"),
    ("   ", "not empty"),
    ("\t", "not empty"),
    (True, "bool"),
    (1.5, "float"),
    ((1, 2), "tuple"),
    (b"A", "bytes"),
]


@pytest.mark.parametrize(("value", "fragment"), BAD_DISTRICTS, ids=repr)
def test_a_district_name_that_cannot_be_a_key(value, fragment):
    df = one_snapshot(district=value)
    raises(lambda: ps.Panel.from_long(df), ps.InputError, fragment, "row 5")


@pytest.mark.parametrize(
    ("first", "second"), [(1, "1"), ("1", 1), (np.int64(7), "7"), (0, "0")], ids=repr
)
def test_two_keys_that_print_the_same_are_named_both(first, second):
    a = long_frame([("X", "2016-01", by_component([3] * 7))])
    b = long_frame([("Y", "2016-01", by_component([4] * 7))])
    df = pd.concat([a, b], ignore_index=True).astype({"district": object})
    df.loc[: len(a) - 1, "district"] = first
    df.loc[len(a) :, "district"] = second
    e = raises(lambda: ps.Panel.from_long(df), ps.InputError, "print the same")
    assert "text" in str(e) and "number" in str(e)


def test_whole_number_keys_of_one_type_are_districts():
    a = long_frame([("X", "2016-01", by_component([3] * 7))]).astype({"district": object})
    a["district"] = 17
    assert ps.Panel.from_long(a).district_names == ["17"]


BAD_DATES = [
    (None, "missing date"),
    (np.nan, "missing date"),
    (pd.NaT, "missing date"),
    ("2016-13", '"2016-13"'),
    ("0000-01", "year"),
    ("2016-00", "month"),
    ("2016-02-30", "day"),
    ("2016Q1", '"2016Q1"'),
    ("Jan-16", '"Jan-16"'),
    ("yesterday", '"yesterday"'),
    ("", '""'),
    (pd.Period("2016Q1"), "Q-DEC"),
    (pd.Period("2016", freq="Y"), "frequency"),
    (2016, "int"),
    (2016.5, "float"),
    (True, "bool"),
    (pd.Timedelta(days=3), "Timedelta"),
]


@pytest.mark.parametrize(("value", "fragment"), BAD_DATES, ids=repr)
def test_a_date_that_cannot_be_read_names_district_and_text(value, fragment):
    df = one_snapshot(date=value)
    raises(lambda: ps.Panel.from_long(df), ps.InputError, fragment, '"A"')


@pytest.mark.parametrize(
    "value",
    ["2016-01", "2016-1", "2016/01", "2016-01-31", "2016-01-01 00:00:00", "Jan. 2016",
     "January 2016", "jan 2016", dt.date(2016, 1, 9), dt.datetime(2016, 1, 9, 8, 30),
     pd.Timestamp("2016-01-20"), pd.Period("2016-01", freq="M"), np.datetime64("2016-01-03")],
    ids=repr,
)  # fmt: skip
def test_dates_as_researchers_write_them(value):
    df = long_frame([("A", "2016-01", by_component([3] * 7))]).astype({"date": object})
    df["date"] = [value] * len(df)
    assert list(ps.Panel.from_long(df).dates.astype(str)) == ["2016-01"]


BAD_ELEMENTS = [
    ("9.9", ps.ShapeError, '"9.9"'),
    ("", ps.ShapeError, '""'),
    (None, ps.InputError, "element id"),
    (True, ps.InputError, "bool"),
    (99, ps.ShapeError, '"99"'),
]


@pytest.mark.parametrize(("value", "exc", "fragment"), BAD_ELEMENTS, ids=repr)
def test_an_element_id_the_rubric_lacks(value, exc, fragment):
    df = one_snapshot(element=value)
    raises(lambda: ps.Panel.from_long(df), exc, fragment)


def test_element_ids_read_as_numbers_that_collide_are_explained():
    # a rubric with ids 3.1 and 3.10: read as floats both are 3.1
    spec = ps.Rubric.crpe_2016().to_json().replace('"id": "3.4"', '"id": "3.10"')
    rubric = ps.Rubric.from_json(spec)
    df = pd.DataFrame({"district": "A", "date": "2016-01", "element": [3.1], "rating": [3.0]})
    raises(lambda: ps.Panel.from_long(df, rubric), ps.ShapeError, "3.1", "3.10", "dtype")


def test_duplicates_are_named():
    df = one_snapshot()
    doubled = pd.concat([df, df.iloc[[7]]], ignore_index=True)
    raises(lambda: ps.Panel.from_long(doubled), ps.DuplicateError, '"A"', "2016-01", '"2.2"')
    wide = DEMO.to_wide().reset_index()
    twice = pd.concat([wide, wide.iloc[[3]]])
    raises(lambda: ps.Panel.from_wide(twice), ps.DuplicateError, "duplicate snapshot")


def test_ids_of_the_other_builtin_rubric_are_recognised():
    r2012 = ps.Rubric.crpe_2012()
    df = pd.DataFrame({"district": "A", "date": "2013-01", "element": r2012.element_ids,
                       "rating": 3.0})  # fmt: skip
    raises(lambda: ps.Panel.from_long(df), ps.ShapeError, '"1.7"', 'rubric="crpe-2012"')
    wide = df.pivot_table(index=["district", "date"], columns="element", values="rating")
    raises(lambda: ps.Panel.from_wide(wide.reset_index()), ps.ShapeError, 'rubric="crpe-2012"')
    later = one_snapshot()
    raises(lambda: ps.Panel.from_long(later, r2012), ps.ShapeError, 'rubric="crpe-2016"')


def test_table_shape_problems_are_named():
    wide = DEMO.to_wide().reset_index()
    raises(
        lambda: ps.Panel.from_wide(wide.assign(notes="x")),
        ps.ShapeError,
        '"notes"',
        "not an element",
    )
    raises(lambda: ps.Panel.from_wide(wide.drop(columns=["4.6"])), ps.ShapeError, "4.6")
    raises(lambda: ps.Panel.from_long(wide), ps.ShapeError, "needs an element", "from_wide")
    dup = wide.copy()
    dup.columns = ["district", "date", *IDS[:-1], "1.1"]
    raises(lambda: ps.Panel.from_wide(dup), ps.ShapeError, "duplicate column", "1.1")
    multi = DEMO.to_long()
    multi.columns = pd.MultiIndex.from_tuples([("a", c) for c in multi.columns])
    raises(lambda: ps.Panel.from_long(multi), ps.ShapeError, "MultiIndex")
    raises(
        lambda: ps.Panel.from_long(pd.DataFrame(columns=["district", "date", "element", "rating"])),
        ps.ShapeError,
        "empty panel",
    )
    raises(
        lambda: ps.Panel.from_long(DEMO.to_long(), district="City"),
        ps.ShapeError,
        'district="City"',
        "district=",
    )


def test_the_same_element_as_text_and_number_is_two_columns_for_one_element():
    wide = DEMO.to_wide().reset_index()
    wide[1.1] = wide["1.1"]
    raises(lambda: ps.Panel.from_wide(wide), ps.ShapeError, '"1.1"', "two columns")


def test_misaligned_and_byte_swapped_arrays_are_read_not_panicked_on():
    x = DEMO.ratings
    buf = np.zeros(x.size * 8 + 1, np.uint8)
    unaligned = np.frombuffer(buf, np.float64, x.size, offset=1).reshape(x.shape)
    unaligned.setflags(write=True) if unaligned.flags.writeable else None
    assert not unaligned.flags.aligned
    expected = ps.score_array(np.nan_to_num(x, nan=3.0))
    filled = np.nan_to_num(x, nan=3.0)
    raw = np.frombuffer(bytearray(b"\0" + filled.tobytes()), np.float64, x.size, offset=1)
    got = ps.score_array(raw.reshape(x.shape))
    np.testing.assert_array_equal(got["overall"], expected["overall"])
    swapped = filled.astype(">f8")
    np.testing.assert_array_equal(ps.score_array(swapped)["overall"], expected["overall"])
    rec = np.zeros(2, dtype=[("f", "u1"), ("r", "f8", (36,))])
    rec["r"] = 3.0
    assert ps.score_array(rec["r"])["overall"].tolist() == [3.0, 3.0]


def test_outputs_too_large_for_the_machine_are_refused_before_allocation():
    # a broadcast input of 288 real bytes would need 80 GB of scores
    huge = np.broadcast_to(np.full(36, 3.0), (10**10, 36))
    raises(lambda: ps.score_array(huge), ps.InputError, "too large", "scores")
    # a raised memory limit does not let an impossible allocation abort
    raises(
        lambda: ps.uncertainty(DEMO, draws=10**12, memory_limit=2**62),
        ps.InputError,
        "too large",
    )
    raises(lambda: ps.uncertainty(DEMO, draws=10**30), ps.InputError, "draws")


def test_tiny_dirichlet_concentrations_give_whole_draws():
    for alpha in [1e-310, 1e-320, 5e-324]:
        u = ps.uncertainty(DEMO, draws=100, seed=1, weight_alpha=alpha)
        assert u["score_mean"].notna().all(), alpha
        quadrants = u[[c for c in u.columns if c.startswith("p_") and c != "p_advanced"]]
        np.testing.assert_allclose(quadrants.sum(axis=1), 1.0)
        assert len(u.attrs["sources"]) < 200


@pytest.mark.parametrize("factor", [2.0**-1070, 1e-322, 2.0**-1000, 2.0**1000, 1e-310])
def test_weights_rescaled_into_subnormal_or_huge_floats(factor):
    # the products are exact here (small multiples of a power of two, or
    # subnormals), so the scores are exactly those of the unscaled weights
    w = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]
    np.testing.assert_array_equal(
        ps.score(DEMO, weights=[x * factor for x in w])["overall"],
        ps.score(DEMO, weights=w)["overall"],
    )


@pytest.mark.parametrize("factor", [1e-300, 3.3, 1 / 7, 1e300, 12345.678])
def test_weights_rescaled_by_any_factor(factor):
    # c * w rounds, so the ratios move by an ulp at most
    w = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]
    np.testing.assert_allclose(
        ps.score(DEMO, weights=[x * factor for x in w])["overall"],
        ps.score(DEMO, weights=w)["overall"],
        rtol=1e-14,
    )


def test_weights_with_the_pooled_mean_are_a_contradiction():
    for fn in (ps.score, ps.summarize, ps.rank_components):
        raises(
            lambda fn=fn: fn(DEMO, aggregation="pooled", weights=[1, 2, 3, 4, 5, 6, 7]),
            ps.InputError,
            "weights",
            "pooled",
        )
    labels = ps.summarize(DEMO, weights=[1, 2, 1, 1, 1, 1, 1]).attrs["labels"]
    assert "weighted" in labels["score"]


def test_with_label_and_column_names_are_checked():
    raises(lambda: DEMO.with_label(5), ps.InputError, "label")
    raises(lambda: DEMO.with_label("x", synthetic=1), ps.InputError, "synthetic")
    raises(
        lambda: ps.Panel.from_long(DEMO.to_long(), district=["district"]),
        ps.InputError,
        "district",
        "list",
    )


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
def test_every_pickle_protocol(protocol):
    for obj in (ps.Rubric.crpe_2016(), DEMO):
        assert pickle.loads(pickle.dumps(obj, protocol=protocol)) == obj


# ---------------------------------------------------------------------------
# construction from files
# ---------------------------------------------------------------------------


def test_files_that_are_not_what_they_claim(tmp_path):
    missing = tmp_path / "nope.csv"
    raises(lambda: ps.Panel.read_csv(missing), ps.InputError, "nope.csv", "no such file")
    raises(lambda: ps.Panel.read_csv(tmp_path), ps.InputError, str(tmp_path))
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    raises(lambda: ps.Panel.read_csv(empty), ps.InputError, "empty.csv", "empty")
    comments = tmp_path / "comments.csv"
    comments.write_text("# only a preamble\n#\n")
    raises(lambda: ps.Panel.read_csv(comments), ps.InputError, "comments.csv")
    binary = tmp_path / "image.csv"
    binary.write_bytes(bytes(range(256)) * 4)
    e = raises(lambda: ps.Panel.read_csv(binary), ps.InputError, "image.csv")
    assert e.__cause__ is not None  # the original exception is chained
    quoted = tmp_path / "quote.csv"
    quoted.write_text('district,date,element,rating\n"A,2016-01,1.1,3\n')
    raises(lambda: ps.Panel.read_csv(quoted), ps.PortfolioError, "quote.csv")
    header_only = tmp_path / "header.csv"
    header_only.write_text("district,date,element,rating\n")
    raises(lambda: ps.Panel.read_csv(header_only), ps.ShapeError, "empty panel")
    dup = tmp_path / "dup.csv"
    dup.write_text("district,date,element,rating,rating\nA,2016-01,1.1,3,4\n")
    raises(lambda: ps.Panel.read_csv(dup), ps.ShapeError, "duplicate column", "rating")
    raises(lambda: ps.Panel.read_csv(missing, dtype=str), ps.InputError, "dtype")


def test_csv_keeps_hash_signs_and_na_like_names(tmp_path):
    rows = ["# a preamble line", "district,date,element,rating"]
    for name in ["Team #1", "NA", "None", "null", "N/A school", "=cmd|' /C calc'!A0"]:
        rows += [f'"{name}",2016-01,{e},3' for e in IDS]
    path = tmp_path / "names.csv"
    path.write_text("\n".join(rows) + "\n")
    panel = ps.Panel.read_csv(path)
    assert panel.district_names == sorted(
        ["Team #1", "NA", "None", "null", "N/A school", "=cmd|' /C calc'!A0"]
    )
    assert not np.isnan(panel.ratings).any()


@pytest.mark.parametrize(
    "options",
    [{"encoding": "latin-11"}, {"encoding_errors": "bogus"}, {"compression": "zip"},
     {"compression": "xz"}, {"chunksize": 10}, {"iterator": True}, {"index_col": 5},
     {"dtype_backend": "pyarrow"}, {"header": -1}, {"header": "first"}, {"names": ["a"]},
     {"sep": 3}],
    ids=repr,
)  # fmt: skip
def test_reader_options_that_fail_stay_in_the_hierarchy(tmp_path, options):
    path = tmp_path / "ok.csv"
    DEMO.to_long().head(40).to_csv(path, index=False)
    e = raises(lambda: ps.Panel.read_csv(path, **options), ps.InputError)
    assert next(iter(options)) in str(e) or "ok.csv" in str(e)


@pytest.mark.parametrize(
    ("text", "options"),
    [
        ("district , date , element , rating , rating\nA , 2016-01 , 1.1 , 3 , 5\n",
         {"sep": r"\s*,\s*", "engine": "python"}),
        ("district\tdate\telement\trating\trating\nA\t2016-01\t1.1\t3\t5\n", {"sep": "\t"}),
        ("a title line\ndistrict,date,element,rating,rating\nA,2016-01,1.1,3,5\n", {"header": 1}),
        ("district,date,element,rating,'rating'\nA,2016-01,1.1,3,5\n", {"quotechar": "'"}),
    ],
    ids=["regex-sep", "tab", "header-1", "quotechar"],
)  # fmt: skip
def test_repeated_column_names_are_caught_whatever_the_dialect(tmp_path, text, options):
    path = tmp_path / "dup.csv"
    path.write_text(text)
    raises(lambda: ps.Panel.read_csv(path, **options), ps.ShapeError, "duplicate", "rating")


def test_a_short_row_is_not_read_as_unrated(tmp_path):
    path = tmp_path / "short.csv"
    path.write_text("district,date,element,rating\nA,2016-01,1.1,3\nA,2016-01,1.2\n")
    raises(lambda: ps.Panel.read_csv(path), ps.InputError, "line 3", "fewer fields")


def test_csv_options_pass_through_and_long_is_told_from_wide(tmp_path):
    long = DEMO.to_long().rename(columns={"element": "Element", "rating": "Score"})
    path = tmp_path / "semi.csv"
    long.to_csv(path, sep=";", index=False)
    panel = ps.Panel.read_csv(path, sep=";", element="Element", rating="Score")
    np.testing.assert_array_equal(panel.ratings, DEMO.ratings)
    raises(
        lambda: ps.Panel.read_csv(path, sep=";", element="Nope"),
        ps.ShapeError,
        'element="Nope"',
    )


# ---------------------------------------------------------------------------
# parameters: each one strict about its type, each error naming it
# ---------------------------------------------------------------------------

INT_BAD = [2.5, 3.0, float("nan"), "3", True, False, 3 + 0j, [3], b"3"]


@pytest.mark.parametrize("value", INT_BAD, ids=repr)
@pytest.mark.parametrize(
    ("param", "call"),
    [
        ("draws", lambda v: ps.uncertainty(DEMO, draws=v)),
        ("draws", lambda v: ps.uncertainty_draws(DEMO, draws=v)),
        ("seed", lambda v: ps.uncertainty(DEMO, draws=5, seed=v)),
        ("n", lambda v: ps.sticking_points(DEMO, v)),
        ("min_snapshots", lambda v: ps.eligible(ps.datasets.network_roster(), min_snapshots=v)),
        ("memory_limit", lambda v: ps.uncertainty(DEMO, draws=5, memory_limit=v)),
    ],
)
def test_integer_parameters_refuse_what_is_not_a_whole_number(param, call, value):
    raises(lambda: call(value), ps.InputError, f"parameter {param}")


@pytest.mark.parametrize(
    ("param", "call", "value"),
    [
        ("draws", lambda v: ps.uncertainty(DEMO, draws=v), 0),
        ("draws", lambda v: ps.uncertainty(DEMO, draws=v), -5),
        ("seed", lambda v: ps.uncertainty(DEMO, draws=5, seed=v), -1),
        ("seed", lambda v: ps.uncertainty(DEMO, draws=5, seed=v), 2**64),
        ("n", lambda v: ps.sticking_points(DEMO, v), -1),
        ("min_snapshots", lambda v: ps.eligible(ps.datasets.network_roster(), min_snapshots=v), -1),
        ("min_snapshots", lambda v: ps.eligible(ps.datasets.network_roster(), min_snapshots=v),
         2**40),
        ("memory_limit", lambda v: ps.uncertainty(DEMO, draws=5, memory_limit=v), 0),
        ("draws", lambda v: ps.uncertainty(DEMO, draws=v), 2**200),
    ],
    ids=lambda x: repr(x) if not callable(x) else "",
)  # fmt: skip
def test_integer_parameters_out_of_range(param, call, value):
    raises(lambda: call(value), ps.InputError, f"parameter {param}", str(value)[:15])


@pytest.mark.parametrize("draws", [10**12, 2**63, 2**63 - 1, 10**9])
def test_huge_simulations_are_refused_before_allocation(draws):
    # the reproducers: 10**12 aborted the interpreter, 2**63 panicked
    raises(lambda: ps.uncertainty(DEMO, draws=draws), ps.InputError, "too large", "exceeds", "GiB")


def test_a_raised_memory_limit_names_itself():
    e = raises(
        lambda: ps.uncertainty(DEMO, draws=10**6, memory_limit=1 << 20),
        ps.InputError,
        "1.0 MiB",
    )
    assert "memory_limit" in str(e)


FLOAT_BAD = [True, "0.1", 1 + 2j, [0.1], b"0.1", None.__class__]


@pytest.mark.parametrize("value", FLOAT_BAD, ids=repr)
@pytest.mark.parametrize(
    ("param", "call"),
    [
        ("rating_noise", lambda v: ps.uncertainty(DEMO, draws=5, rating_noise=v)),
        ("weight_alpha", lambda v: ps.uncertainty(DEMO, draws=5, weight_alpha=v)),
        ("advanced_level", lambda v: ps.summarize(DEMO, advanced_level=v)),
        ("advanced_share", lambda v: ps.summarize(DEMO, advanced_share=v)),
        ("advanced_level", lambda v: ps.score(DEMO, advanced_level=v)),
        ("advanced_share", lambda v: ps.score(DEMO, advanced_share=v)),
    ],
)
def test_number_parameters_refuse_bools_and_text(param, call, value):
    raises(lambda: call(value), ps.InputError, f"parameter {param}")


@pytest.mark.parametrize(
    ("param", "call", "value"),
    [
        ("rating_noise", lambda v: ps.uncertainty(DEMO, draws=5, rating_noise=v), -0.1),
        ("rating_noise", lambda v: ps.uncertainty(DEMO, draws=5, rating_noise=v), 1.5),
        ("rating_noise", lambda v: ps.uncertainty(DEMO, draws=5, rating_noise=v), float("nan")),
        ("weight_alpha", lambda v: ps.uncertainty(DEMO, draws=5, weight_alpha=v), 0.0),
        ("weight_alpha", lambda v: ps.uncertainty(DEMO, draws=5, weight_alpha=v), -1.0),
        ("weight_alpha", lambda v: ps.uncertainty(DEMO, draws=5, weight_alpha=v), float("inf")),
        ("advanced_level", lambda v: ps.summarize(DEMO, advanced_level=v), 4.5),
        ("advanced_level", lambda v: ps.summarize(DEMO, advanced_level=v), float("nan")),
        ("advanced_level", lambda v: ps.score(DEMO, advanced_level=v), 6),
        ("advanced_share", lambda v: ps.summarize(DEMO, advanced_share=v), 1.0),
        ("advanced_share", lambda v: ps.summarize(DEMO, advanced_share=v), -0.5),
        ("advanced_share", lambda v: ps.score(DEMO, advanced_share=v), float("nan")),
        ("missing", lambda v: ps.score(DEMO, missing=v), 1.5),
        ("missing", lambda v: ps.score(DEMO, missing=v), -0.1),
        ("missing", lambda v: ps.score(DEMO, missing=v), float("nan")),
        ("y_cut", lambda v: ps.summarize(DEMO, y_cut=v), float("inf")),
        ("x_cut", lambda v: ps.summarize(DEMO, x_cut=v), float("nan")),
    ],
    ids=lambda x: repr(x) if not callable(x) else "",
)
def test_number_parameters_out_of_range(param, call, value):
    raises(lambda: call(value), ps.InputError, f"parameter {param}")


TEXT_BAD = [3, 3.0, True, b"average", ["average"], "AVERAGE", "", " average"]


@pytest.mark.parametrize("value", TEXT_BAD, ids=repr)
@pytest.mark.parametrize(
    ("param", "call"),
    [
        ("basis", lambda v: ps.summarize(DEMO, basis=v)),
        ("basis", lambda v: ps.rank_elements(DEMO, basis=v)),
        ("basis", lambda v: ps.sticking_points(DEMO, basis=v)),
        ("basis", lambda v: ps.uncertainty(DEMO, draws=5, basis=v)),
        ("aggregation", lambda v: ps.score(DEMO, aggregation=v)),
        ("aggregation", lambda v: ps.rank_components(DEMO, aggregation=v)),
    ],
)
def test_text_parameters_refuse_other_values(param, call, value):
    raises(lambda: call(value), ps.InputError, param)


@pytest.mark.parametrize("value", ["middle", True, [3.0], b"mean", "3.0", 1 + 1j], ids=repr)
@pytest.mark.parametrize("axis", ["y_cut", "x_cut"])
def test_cuts_refuse_what_is_not_a_cut(axis, value):
    raises(lambda: ps.summarize(DEMO, **{axis: value}), ps.InputError, f"parameter {axis}")


def test_the_scale_midpoint_is_not_a_spread_cut():
    raises(lambda: ps.summarize(DEMO, x_cut="midpoint"), ps.InputError, "x_cut", "midpoint")
    assert ps.summarize(DEMO, y_cut="midpoint").attrs["y_cut"] == 3.0


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ([1.0] * 6, "component weights"),
        ([0.0] * 7, "finite and positive"),
        ([-1.0] * 7, "finite and positive"),
        ([float("inf")] * 7, "finite and positive"),
        ([float("nan")] * 7, "finite and positive"),
        (["a"] * 7, "weights"),
        ([True] * 7, "bool"),
        ("heavy", "weights"),
        ({"Nope": 1.0}, '"Nope"'),
        ({"Choice": 2.0}, "missing"),
        ({"Choice": "x"}, "weights"),
        (3.0, "weights"),
    ],
    ids=repr,
)
def test_weights_are_checked(value, fragment):
    raises(lambda: ps.score(DEMO, weights=value), ps.PortfolioError, fragment)


@pytest.mark.parametrize("scale", [1e307, 5e-324, 1e-300, 3.0, 0.1, 1e20])
def test_weights_give_the_same_scores_rescaled(scale):
    base = [1.0, 2.0, 1.0, 3.0, 1.0, 1.0, 2.0]
    expected = ps.score(DEMO, weights=base)["overall"]
    got = ps.score(DEMO, weights=[w * scale for w in base])["overall"]
    np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("weight", [1e308, 5e-324, 1e-300, 3.0, 0.1, np.float32(2.0), 7])
def test_equal_weights_of_any_size_are_equal_weights(weight):
    # the issue: [1e308] * 7 gave NaN and [5e-324] * 7 wrong scores
    same = ps.score(DEMO, weights=[weight] * 7)["overall"]
    np.testing.assert_array_equal(same, ps.score(DEMO)["overall"])


def test_weights_by_component_name_equal_weights_in_order():
    named = {"Choice": 2, "Autonomy": 1, "Funding": 1, "Talent": 1, "Support": 1,
             "Accountability": 1, "Engagement": 1}  # fmt: skip
    np.testing.assert_array_equal(
        ps.score(DEMO, weights=named)["overall"],
        ps.score(DEMO, weights=[2, 1, 1, 1, 1, 1, 1])["overall"],
    )


@pytest.mark.parametrize(
    ("param", "value"),
    [
        ("y_cut_range", (1.0,)),
        ("y_cut_range", (1.0, 2.0, 3.0)),
        ("y_cut_range", "ab"),
        ("y_cut_range", (2.0, 1.0)),
        ("y_cut_range", (float("nan"), 1.0)),
        ("x_cut_range", ("a", 1.0)),
        ("x_cut_range", (True, 1.0)),
        ("x_cut_range", 0.5),
        ("aggregation", {"median": 1.0}),
        ("aggregation", {"mean_of_means": -1.0}),
        ("aggregation", (0.0, 0.0)),
        ("aggregation", ("a", 1.0)),
        ("bootstrap_elements", 1),
        ("bootstrap_elements", "True"),
        ("bootstrap_elements", 0.0),
    ],
    ids=repr,
)
def test_simulation_options_are_checked(param, value):
    raises(lambda: ps.uncertainty(DEMO, draws=5, **{param: value}), ps.InputError, param)


def test_a_small_dirichlet_concentration_never_blames_weights():
    for alpha in [1e-300, 1e-100, 1e-8, 1e-3]:
        u = ps.uncertainty(DEMO, draws=30, seed=2, weight_alpha=alpha)
        assert u["score_mean"].notna().all()
        assert u["p_advanced"].between(0, 1).all()


def test_score_checks_the_advanced_rule_as_summarize_does():
    for kw in ({"advanced_level": 4.5}, {"advanced_share": 1.5}, {"advanced_level": "4"}):
        raises(lambda kw=kw: ps.score(DEMO, **kw), ps.InputError, next(iter(kw)))
        raises(lambda kw=kw: ps.summarize(DEMO, **kw), ps.InputError, next(iter(kw)))


def test_unknown_keyword_arguments_are_named():
    raises(lambda: ps.summarize(DEMO, cut=3.0), ps.InputError, "'cut'")
    raises(lambda: ps.uncertainty_draws(DEMO, noise=0.1), ps.InputError, "'noise'")
    raises(lambda: ps.summarize("not a panel"), ps.InputError, "Panel", "str")
    raises(lambda: ps.score(DEMO.to_long()), ps.InputError, "Panel", "DataFrame")


@pytest.mark.parametrize(
    ("matrix", "exc", "fragment"),
    [
        (np.ones((2, 36), dtype=bool), ps.RatingError, "bool"),
        (np.ones((2, 36), dtype=complex), ps.RatingError, "complex"),
        (np.array([["a"] * 36]), ps.RatingError, "'a'"),
        (np.ones((2, 36, 1)), ps.InputError, "2 dimensions"),
        (np.ones(36), ps.InputError, "2 dimensions"),
        (np.ones((2, 35)), ps.ShapeError, "35 columns"),
        (np.full((2, 36), 6.0), ps.RatingError, "6"),
        (np.full((2, 36), np.inf), ps.RatingError, "inf"),
        ([[True] * 36], ps.RatingError, "bool"),
        (np.array([[np.timedelta64(1, "D")] * 36]), ps.RatingError, "timedelta"),
    ],
    ids=lambda x: str(getattr(x, "dtype", x))[:20],
)
def test_score_array_refuses_what_is_not_a_rating(matrix, exc, fragment):
    raises(lambda: ps.score_array(matrix), exc, fragment)


# ---------------------------------------------------------------------------
# rubric sources: a path and a text are never confused
# ---------------------------------------------------------------------------

RUBRIC_JSON = ps.Rubric.crpe_2012().to_json()
RUBRIC_TOML = ps.Rubric.crpe_2012().to_toml()


@pytest.mark.parametrize(
    "source",
    [RUBRIC_JSON, "\ufeff" + RUBRIC_JSON, RUBRIC_JSON.encode(), ("\ufeff" + RUBRIC_JSON).encode(),
     "  \n" + RUBRIC_JSON],
    ids=["text", "bom", "bytes", "bom-bytes", "leading-space"],
)  # fmt: skip
def test_json_sources_that_work(source):
    assert ps.Rubric.from_json(source) == ps.Rubric.crpe_2012()
    assert ps.Rubric.load(source) == ps.Rubric.crpe_2012()


@pytest.mark.parametrize(
    "source",
    [RUBRIC_TOML, "\ufeff" + RUBRIC_TOML, RUBRIC_TOML.encode()],
    ids=["text", "bom", "bytes"],
)
def test_toml_sources_that_work(source):
    assert ps.Rubric.from_toml(source) == ps.Rubric.crpe_2012()
    assert ps.Rubric.load(source) == ps.Rubric.crpe_2012()


def test_paths_with_odd_names_work(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in ["[draft] rubric.toml", "{weird}.json", "[x].json"]:
        Path(name).write_text(RUBRIC_TOML if name.endswith(".toml") else RUBRIC_JSON)
        assert ps.Rubric.load(name) == ps.Rubric.crpe_2012()
    for name in ["a=b.json", "with space.json", "rubric", "x=1.toml", "ünïcode.json"]:
        path = tmp_path / name
        path.write_text(RUBRIC_TOML if name.endswith(".toml") else RUBRIC_JSON)
        as_json = not name.endswith(".toml")
        read = ps.Rubric.from_json if as_json else ps.Rubric.from_toml
        assert read(path) == ps.Rubric.crpe_2012()
        assert read(str(path)) == ps.Rubric.crpe_2012()
    bom = tmp_path / "bom.json"
    bom.write_bytes(b"\xef\xbb\xbf" + RUBRIC_JSON.encode())
    assert ps.Rubric.load(bom) == ps.Rubric.crpe_2012()


@pytest.mark.parametrize(
    ("source", "fragment"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("\ufeff", "empty"),
        (b"", "empty"),
        (b"\xff\xfe\x00", "UTF-8"),
        ("missing=dir/rubric.json", "no such file"),
        ("nope.toml", "no such file"),
        ("{not json", "JSON"),
        ("id = ", "TOML"),
        (3, "int"),
        (None, "None"),
        (["a"], "list"),
    ],
    ids=repr,
)
def test_rubric_sources_that_fail_name_themselves(source, fragment):
    e = raises(lambda: ps.Rubric.load(source), ps.RubricError, fragment)
    assert isinstance(e, ps.RubricError)


def test_rubric_file_errors_name_path_and_field(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text(RUBRIC_JSON.replace('"id": "7.4"', '"id": "7.3"'))
    raises(lambda: ps.Rubric.load(path), ps.RubricError, "broken.json", "duplicate element id")
    raises(lambda: ps.Rubric.from_json(tmp_path), ps.RubricError, str(tmp_path))
    raises(lambda: ps.Rubric.from_toml(path), ps.RubricError, "broken.json", "TOML")
    bad = tmp_path / "bad.json"
    for change, field in [
        (('"value": 1.0', '"value": 9.0'), "scale.levels[1].value"),
        (('"color": "#d73027"', '"color": "red"'), "color"),
        (('"weight": 1.0', '"weight": -1.0'), "weight"),
    ]:
        bad.write_text(RUBRIC_JSON.replace(*change, 1))
        raises(lambda: ps.Rubric.load(bad), ps.RubricError, "bad.json", field)


# ---------------------------------------------------------------------------
# figures and the report: any name is safe
# ---------------------------------------------------------------------------

ODD_NAMES = [r"$\undefined$", "Cost $6 and $", "50% & <b>bold</b>", "=HYPERLINK(1)", "Tab\there"]


def _odd_panel() -> ps.Panel:
    rows = [(name, "2016-01", by_component([i % 5 + 1] * 7)) for i, name in enumerate(ODD_NAMES)]
    return ps.Panel.from_long(long_frame(rows))


def test_figures_draw_names_literally(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    panel = _odd_panel()
    summary = ps.summarize(panel)
    for name, fig in {
        "heatmap": ps.plot.heatmap(panel),
        "quadrants": ps.plot.quadrants(summary),
        "recent_progress": ps.plot.recent_progress(panel),
    }.items():
        fig.savefig(tmp_path / f"{name}.png")  # mathtext on "$\undefined$" would raise
        texts = [t.get_text() for ax in fig.axes for t in ax.texts + ax.get_yticklabels()]
        assert any(r"\$\undefined\$" in t for t in texts), name


def test_figures_refuse_the_wrong_object():
    empty = ps.Panel.from_long(long_frame([("A", "2016-01", [np.nan] * 36)]))
    for fn in (ps.plot.heatmap, ps.plot.component_ranking):
        raises(lambda fn=fn: fn(DEMO.to_long()), ps.InputError, "Panel", "DataFrame")
        raises(lambda fn=fn: fn(empty), ps.InputError, "nothing rated")
        raises(lambda fn=fn: fn(None), ps.InputError, "NoneType")
    for fn in (ps.plot.quadrants, ps.plot.recent_progress):
        raises(lambda fn=fn: fn(pd.DataFrame({"a": [1]})), ps.InputError, "summarize")
        raises(lambda fn=fn: fn(empty), ps.InputError, "nothing rated")
        raises(lambda fn=fn: fn(3), ps.InputError, "int")
    unrated = ps.uncertainty(empty, draws=3)
    for fn in (ps.plot.rank_intervals, ps.plot.classification_probability):
        raises(lambda fn=fn: fn(ps.summarize(DEMO)), ps.InputError, "uncertainty")
        raises(lambda fn=fn: fn(unrated), ps.InputError, "nothing")
    text_scores = ps.summarize(DEMO)
    text_scores["score"] = text_scores["score"].astype(str)
    raises(lambda: ps.plot.quadrants(text_scores), ps.InputError, "'score'")
    raises(lambda: ps.plot.heatmap(DEMO, ax="axes"), ps.InputError, "Axes")


def test_report_csvs_are_safe_in_a_spreadsheet(tmp_path):
    from portfolio_snapshot.report import spreadsheet_safe, write_report

    evil = ps.Rubric.load(
        ps.Rubric.crpe_2016().to_toml().replace('short_name = "Choice"', 'short_name = "=HACK()"')
    )
    rows = [("A", "2016-01", by_component([3] * 7))]
    write_report(ps.Panel.from_long(long_frame(rows), evil), tmp_path / "e", draws=0)
    for name in ("district_summary.csv", "snapshot_scores.csv", "component_ranking.csv"):
        text = (tmp_path / "e" / name).read_text()
        assert "'=HACK()" in text and ",=HACK()" not in text and not text.startswith("=")
    assert spreadsheet_safe("=1+1") == "'=1+1"
    assert spreadsheet_safe("+1") == "'+1"
    assert spreadsheet_safe("-x") == "'-x"
    assert spreadsheet_safe("@SUM(A1)") == "'@SUM(A1)"
    assert spreadsheet_safe("Denver") == "Denver"
    assert spreadsheet_safe(-0.5) == -0.5
    write_report(_odd_panel(), tmp_path / "r", draws=0)
    text = (tmp_path / "r" / "district_summary.csv").read_text()
    assert "'=HYPERLINK(1)" in text
    assert "\n=HYPERLINK" not in text
    page = (tmp_path / "r" / "report.html").read_text()
    assert "<b>bold</b>" not in page and "&lt;b&gt;bold&lt;/b&gt;" in page


# ---------------------------------------------------------------------------
# the command line
# ---------------------------------------------------------------------------


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MPLBACKEND": "Agg"}
    return subprocess.run(
        [sys.executable, "-m", "portfolio_snapshot", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=300,
    )


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--basis", "latest"], "basis"),
        (["--draws", "-1"], "draws"),
        (["--draws", "1000000000000"], "too large"),
        (["--x-cut", "midpoint"], "x_cut"),
        (["--y-cut", "middle"], "y_cut"),
        (["--missing", "2"], "missing"),
        (["--aggregation", "median"], "aggregation"),
        (["--advanced-level", "4.5"], "advanced_level"),
        (["ratings.csv", "--rubric", "no/such/rubric.json"], "no such file"),
        (["ratings.csv", "--rubric", ""], "empty"),
        (["ratings.csv", "--rubric", "crpe-2012"], 'rubric="crpe-2016"'),
        (["ratings.csv", "--weights", "1,2"], "component weights"),
        (["ratings.csv", "--weights", "Choice=2"], "weights"),
        (["ratings.csv", "--rating-column", "Score"], 'rating="Score"'),
        (["missing.csv"], "missing.csv"),
        (["--rubric", "crpe-2012"], "RATINGS"),
        (["--district-column", "City"], "RATINGS"),
        (["--half-steps"], "RATINGS"),
    ],
    ids=lambda a: " ".join(a) if isinstance(a, list) else a,
)
def test_cli_errors_name_the_option(tmp_path, args, fragment):
    DEMO.to_long().head(80).to_csv(tmp_path / "ratings.csv", index=False)
    done = _cli("report", *args, "--out", str(tmp_path / "o"), "--draws", "0", cwd=tmp_path)
    if "--draws" in args:
        done = _cli("report", *args, "--out", str(tmp_path / "o"), cwd=tmp_path)
    assert done.returncode == 2, done.stdout + done.stderr
    assert fragment in done.stderr, done.stderr
    assert "Traceback" not in done.stderr


def test_cli_reads_a_csv_with_its_own_column_names(tmp_path):
    path = tmp_path / "mine.csv"
    DEMO.to_long().rename(columns={"district": "City", "rating": "Score"}).to_csv(path, index=False)
    done = _cli(
        "report", str(path), "--district-column", "City", "--rating-column", "Score",
        "--out", "o", "--draws", "0", cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "o" / "report.html").read_text()
    assert "mine.csv" in page and "Synthetic data" not in page


def test_cli_refuses_symlinks_in_out(tmp_path):
    target = tmp_path / "precious.txt"
    target.write_text("keep me")
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.html").symlink_to(target)
    done = _cli("report", "--out", str(out), "--draws", "0", cwd=tmp_path)
    assert done.returncode == 2
    assert "symbolic link" in done.stderr
    assert target.read_text() == "keep me"
    linked = tmp_path / "linked"
    linked.symlink_to(out, target_is_directory=True)
    done = _cli("report", "--out", str(linked), "--draws", "0", cwd=tmp_path)
    assert done.returncode == 2 and "symbolic link" in done.stderr
    file_out = tmp_path / "a_file"
    file_out.write_text("")
    done = _cli("report", "--out", str(file_out), "--draws", "0", cwd=tmp_path)
    assert done.returncode == 2 and "not a directory" in done.stderr


# ---------------------------------------------------------------------------
# threads and Ctrl-C
# ---------------------------------------------------------------------------


def test_many_threads_on_one_panel_agree():
    expected = ps.summarize(DEMO)
    sim = ps.uncertainty(DEMO, draws=200, seed=4, rating_noise=0.1)
    results: list[object] = []
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            if i % 2:
                results.append(ps.summarize(DEMO).equals(expected))
            else:
                u = ps.uncertainty(DEMO, draws=200, seed=4, rating_noise=0.1)
                results.append(u.equals(sim))
        except BaseException as e:
            errors.append(e)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors
    assert results == [True] * 8


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_ctrl_c_stops_a_long_simulation_quickly(tmp_path):
    script = textwrap.dedent(
        """
        import sys, time
        import portfolio_snapshot as ps
        panel = ps.datasets.demo_panel()
        print("ready", flush=True)
        start = time.perf_counter()
        try:
            ps.uncertainty(panel, draws=3_000_000, rating_noise=0.1, bootstrap_elements=True,
                           memory_limit=1 << 34)
        except KeyboardInterrupt:
            print(f"interrupted {time.perf_counter() - start:.3f}", flush=True)
            sys.exit(0)
        print("finished", flush=True)
        """
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    time.sleep(1.0)
    sent = time.perf_counter()
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    waited = time.perf_counter() - sent
    assert "interrupted" in out, out + err
    # noticed within a fraction of a second (the poll is every 50 ms; the
    # bound is loose for a loaded machine)
    assert waited < 2.0, waited


# ---------------------------------------------------------------------------
# objects behave as Python objects; nothing shared is mutable
# ---------------------------------------------------------------------------


def test_rubric_and_panel_pickle_and_deepcopy():
    custom = ps.Rubric.from_json(RUBRIC_JSON.replace('"crpe-2012"', '"mine"'))
    for obj in [ps.Rubric.crpe_2016(), ps.Rubric.crpe_2012(), custom]:
        assert pickle.loads(pickle.dumps(obj)) == obj
        assert copy.deepcopy(obj) == obj
        assert hash(copy.deepcopy(obj)) == hash(obj)
    half = ps.Panel.from_long(one_snapshot(rating=2.5), half_steps=True)
    labelled = DEMO.with_label("mine", synthetic=False)
    for panel in [DEMO, half, labelled, _odd_panel()]:
        again = pickle.loads(pickle.dumps(panel))
        assert again == panel
        assert copy.deepcopy(panel) == panel
        assert hash(again) == hash(panel)
        assert again.synthetic == panel.synthetic and again.label == panel.label
        assert again.half_steps == panel.half_steps
        pd.testing.assert_frame_equal(ps.summarize(again), ps.summarize(panel))
    assert DEMO != labelled


def test_panels_ship_to_other_processes():
    import concurrent.futures as cf

    with cf.ProcessPoolExecutor(max_workers=2) as pool:
        got = list(pool.map(ps.summarize, [DEMO, DEMO]))
    for g in got:
        pd.testing.assert_frame_equal(g, ps.summarize(DEMO))


def test_nothing_shared_is_mutable():
    panel = ps.Panel.from_long(DEMO.to_long())
    before = panel.ratings.copy()
    with pytest.raises(ValueError, match="read-only"):
        panel.ratings[0, 0] = 5.0
    wide = panel.to_wide()
    wide.iloc[0, 0] = 1.0
    long = panel.to_long()
    long.loc[0, "rating"] = 1.0
    s = ps.summarize(panel)
    s.loc[s.index[0], "score"] = -1.0
    s.attrs["y_cut"] = 99.0
    np.testing.assert_array_equal(panel.ratings, before)
    assert ps.summarize(panel).attrs["y_cut"] == 3.0
    with pytest.raises(AttributeError):
        setattr(panel, "label", "changed")  # noqa: B010
    source = DEMO.to_long()
    built = ps.Panel.from_long(source)
    source.loc[:, "rating"] = 1.0
    np.testing.assert_array_equal(built.ratings, DEMO.ratings)
    r = ps.Rubric.crpe_2016()
    ids = r.element_ids
    ids.append("9.9")
    assert len(ps.Rubric.crpe_2016().element_ids) == 36


# ---------------------------------------------------------------------------
# data in: other readers, other table libraries, subsets
# ---------------------------------------------------------------------------


@pytest.fixture
def odd_files(tmp_path):
    import openpyxl
    import pyarrow as pa
    import pyarrow.parquet as pq

    (tmp_path / "text.csv").write_text("a,b\n1,2\n")
    (tmp_path / "folder.xlsx").mkdir()
    book = openpyxl.Workbook()
    book.active.append(["district", "date", "1.1", "1.1"])
    book.save(tmp_path / "dup.xlsx")
    openpyxl.Workbook().save(tmp_path / "empty.xlsx")
    pq.write_table(pa.table({"a": [1]}), tmp_path / "a.parquet")
    return tmp_path


def test_excel_and_parquet_files_that_are_not_what_they_claim(odd_files):
    d = odd_files
    raises(lambda: ps.Panel.read_excel(d / "text.csv"), ps.InputError, "text.csv")
    raises(lambda: ps.Panel.read_excel(d / "folder.xlsx"), ps.InputError, "directory")
    raises(lambda: ps.Panel.read_excel(d / "nope.xlsx"), ps.InputError, "no such file")
    raises(lambda: ps.Panel.read_excel(d / "dup.xlsx"), ps.ShapeError, "duplicate", "1.1")
    raises(lambda: ps.Panel.read_excel(d / "empty.xlsx"), ps.InputError, "empty")
    raises(lambda: ps.Panel.read_excel(d / "dup.xlsx", sheet_name="zz"), ps.InputError, "'zz'")
    for sheet in (True, None, [0], 1.5):
        raises(
            lambda s=sheet: ps.Panel.read_excel(d / "dup.xlsx", sheet_name=s),
            ps.InputError,
            "sheet_name",
        )
    for key in ("dtype", "usecols", "header", "na_filter"):
        raises(lambda k=key: ps.Panel.read_excel(d / "dup.xlsx", **{k: None}), ps.InputError, key)
    raises(lambda: ps.Panel.read_excel(3), ps.InputError, "give a path")
    raises(lambda: ps.Panel.read_parquet(d / "a.parquet"), ps.ShapeError, "no district column")
    raises(lambda: ps.Panel.read_parquet(d / "text.csv"), ps.InputError, "text.csv")
    raises(lambda: ps.Panel.read_parquet(d / "a.parquet", foo=1), ps.InputError, "foo")
    raises(lambda: ps.Panel.read_parquet(d / "none.parquet"), ps.InputError, "no such file")


def test_other_table_libraries_at_the_boundary():
    import polars as pl
    import pyarrow as pa

    lazy = pl.from_pandas(DEMO.to_long().astype({"date": str})).lazy()
    raises(lambda: ps.Panel.from_long(lazy), ps.InputError, "LazyFrame", "collect()")
    wide = pl.from_pandas(DEMO.to_wide().reset_index(drop=True)).lazy()
    raises(lambda: ps.score_array(wide), ps.InputError, "collect()")
    twice = pa.table([[1], [2]], names=["a", "a"])
    raises(lambda: ps.Panel.from_long(twice), ps.ShapeError, "'a'")
    raises(lambda: ps.eligible({"district": ["A"]}), ps.InputError, "dict")


def test_column_roles_that_are_ambiguous_or_misnamed():
    long = DEMO.to_long()
    both = long.rename(columns={"date": "Snapshot"}).assign(Month="2016-01")
    raises(lambda: ps.Panel.from_long(both), ps.ShapeError, '"Snapshot", "Month"', "date=")
    raises(lambda: ps.Panel.from_long(long, district=["a"]), ps.InputError, "district")
    raises(lambda: ps.Panel.from_long(long, district=3), ps.ShapeError, 'district="3"')
    raises(lambda: ps.Panel.from_wide(long), ps.ShapeError, "Panel.from_long")


@pytest.mark.parametrize(
    ("call", "exc", "fragment"),
    [
        (lambda: DEMO.select(True), ps.InputError, "districts: True"),
        (lambda: DEMO.select(["Atlantis"]), ps.InputError, "Atlantis"),
        (lambda: DEMO.select([None]), ps.InputError, "missing"),
        (lambda: DEMO.select([]), ps.InputError, "no snapshot"),
        (lambda: DEMO.select(start=float("nan")), ps.InputError, "start"),
        (lambda: DEMO.select(end=True), ps.InputError, "end: True"),
        (lambda: DEMO.select(start="2016-01", end="2014-01"), ps.InputError, "start"),
        (lambda: DEMO.as_of(None), ps.InputError, "date: None"),
        (lambda: DEMO.as_of(2016), ps.InputError, "date: 2016"),
        (lambda: DEMO.as_of(pd.Period("2016Q1", "Q")), ps.InputError, "Q-DEC"),
        (lambda: DEMO.as_of("1999-01"), ps.InputError, "no snapshot"),
        (lambda: ps.eligible(DEMO, district="x"), ps.InputError, "district"),
        (lambda: ps.eligible(DEMO, min_snapshots=10**30), ps.InputError, "min_snapshots"),
        (lambda: ps.eligible(DEMO, min_snapshots=100), ps.InputError, "at least 100"),
        (lambda: ps.eligible(DEMO, since="soon"), ps.InputError, "soon"),
    ],
)
def test_subset_parameters(call, exc, fragment):
    raises(call, exc, fragment)
