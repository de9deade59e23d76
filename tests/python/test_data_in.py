"""Data in as researchers have it: the same ratings read from every messy
form give the same panel and the same results as the clean form.

The messy forms are written here by hand (csv, openpyxl, pyarrow, polars),
with dates and headers spelled the way the report and spreadsheets spell
them; nothing is written by the library under test.
"""

from __future__ import annotations

import csv
import datetime as dt
import subprocess
import sys

import numpy as np
import openpyxl
import pandas as pd
import polars as pl
import portfolio_snapshot as ps
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

# The report's own way of writing months (Figure 2: "Jan. 2016", "July 2014").
REPORT_MONTHS = [
    "Jan.", "Feb.", "March", "April", "May", "June",
    "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.",
]  # fmt: skip
IDS = [f"{c}.{e}" for c, n in enumerate([6, 6, 4, 6, 3, 5, 6], start=1) for e in range(1, n + 1)]
# The labels the report gives levels 1, 4 and 5 (Figure 1 and the text).
LABELS = {1: "Nothing in place yet", 4: "in progress", 5: "national exemplar"}


@pytest.fixture(scope="module")
def clean() -> pd.DataFrame:
    """Clean long ratings: eight districts of the synthetic demo panel, with
    every 7th rating blanked so that "not rated" cells are in every form."""
    demo = ps.datasets.demo_panel()
    keep = demo.district_names[:8]
    long = demo.to_long(dropna=False)
    long = long[long["district"].isin(keep)].reset_index(drop=True)
    long.loc[long.index % 7 == 3, "rating"] = np.nan
    long["date"] = long["date"].astype(str)  # "2016-01"
    return long


@pytest.fixture(scope="module")
def expected(clean: pd.DataFrame) -> ps.Panel:
    return ps.Panel.from_long(clean)


def _report_date(period: str) -> str:
    year, month = period.split("-")
    return f"{REPORT_MONTHS[int(month) - 1]} {year}"


def _same(panel: ps.Panel, expected: ps.Panel) -> None:
    assert panel == expected
    pd.testing.assert_frame_equal(ps.summarize(panel), ps.summarize(expected))
    pd.testing.assert_frame_equal(ps.rank_components(panel), ps.rank_components(expected))


def test_the_clean_form_holds_what_was_written(clean, expected):
    # an independent check of the fixture itself: rated cells as written
    wide = expected.to_wide()
    for row in clean.sample(50, random_state=1).itertuples():
        got = wide.loc[(row.district, pd.Period(row.date, "M")), row.element]
        assert (np.isnan(got) and np.isnan(row.rating)) or got == row.rating


def test_wide_csv_with_report_dates_capitalised_headers_and_na_cells(tmp_path, clean, expected):
    wide = clean.pivot(index=["district", "date"], columns="element", values="rating")
    path = tmp_path / "snapshots.csv"
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["District", "Snapshot", *IDS])
        for (district, date), row in wide.iterrows():
            cells = ["N/A" if np.isnan(row[i]) else f"{row[i]:g}" for i in IDS]
            w.writerow([district, _report_date(date), *cells])
    panel = ps.Panel.read_csv(path)
    _same(panel, expected)
    assert panel.columns_read == 'district from "District", date from "Snapshot"'


def test_long_file_with_float_element_ids_and_text_ratings(tmp_path, clean, expected):
    path = tmp_path / "long.csv"
    text = clean.copy()
    # ISO dates as pandas writes datetimes, ratings as text: level labels
    # where the scale has them, "NA" for not rated
    text["date"] = pd.to_datetime(text["date"]).dt.strftime("%Y-%m-%d")
    text["rating"] = ["NA" if np.isnan(r) else LABELS.get(int(r), f"{r:g}") for r in text["rating"]]
    text.rename(columns={"element": "Element_ID", "rating": "Rating"}).to_csv(path, index=False)
    raw = pd.read_csv(path, keep_default_na=False)
    assert raw["Element_ID"].dtype == np.float64  # pandas read "1.1" as a number
    assert not pd.api.types.is_numeric_dtype(raw["Rating"])  # text
    panel = ps.Panel.from_long(raw)
    _same(panel, expected)
    assert 'element from "Element_ID"' in panel.columns_read
    # and read_csv reads the same file the same way
    _same(ps.Panel.read_csv(path), expected)


def test_xlsx_wide_sheet_with_date_cells_and_numeric_headers(tmp_path, clean, expected):
    wide = clean.pivot(index=["district", "date"], columns="element", values="rating")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "ratings"
    sheet.append(["District", "Date", *[float(i) for i in IDS]])
    for (district, date), row in wide.iterrows():
        year, month = map(int, date.split("-"))
        cells = ["n/a" if np.isnan(row[i]) else int(row[i]) for i in IDS]
        sheet.append([district, dt.datetime(year, month, 1), *cells])
    path = tmp_path / "ratings.xlsx"
    book.save(path)
    _same(ps.Panel.read_excel(path), expected)
    _same(ps.Panel.read_excel(path, sheet_name="ratings"), expected)


def test_parquet_long_with_date_column(tmp_path, clean, expected):
    table = pa.table(
        {
            "district": clean["district"].tolist(),
            "date": pa.array(
                [dt.date(int(d[:4]), int(d[5:]), 1) for d in clean["date"]], pa.date32()
            ),
            "element": clean["element"].tolist(),
            "rating": pa.array(clean["rating"].tolist(), pa.float64(), from_pandas=True),
        }
    )
    path = tmp_path / "ratings.parquet"
    pq.write_table(table, path)
    _same(ps.Panel.read_parquet(path), expected)


def test_polars_and_pyarrow_tables_wherever_a_dataframe_is(clean, expected):
    frame = pl.DataFrame(
        {
            "District": clean["district"].tolist(),
            "Snapshot": [dt.date(int(d[:4]), int(d[5:]), 15) for d in clean["date"]],
            "Element": clean["element"].tolist(),
            "Score": [None if np.isnan(r) else r for r in clean["rating"]],
        }
    )
    _same(ps.Panel.from_long(frame), expected)
    _same(ps.Panel.from_long(frame.to_arrow()), expected)
    wide = expected.to_wide().reset_index()
    wide["date"] = wide["date"].astype(str)
    _same(ps.Panel.from_wide(pl.from_pandas(wide)), expected)
    # score_array reads a polars table by its labels, in any order
    reversed_cols = pl.from_pandas(expected.to_wide()[IDS[::-1]].reset_index(drop=True))
    got = ps.score_array(reversed_cols)["overall"]
    np.testing.assert_array_equal(got, ps.score_array(expected.ratings)["overall"])
    # a roster as a polars table
    roster = pl.DataFrame({"district": ["A", "B"], "last": ["Jan. 2016", "July 2013"],
                           "snapshots": [3, 5]})  # fmt: skip
    got = ps.eligible(roster, last="last", n_snapshots="snapshots")
    assert got["district"].tolist() == ["A"]
    with pytest.raises(ps.InputError, match="collect"):
        ps.Panel.from_long(frame.lazy())


def test_dates_as_they_are_written():
    one = [3.0] * 36
    written = {
        "July 2014": "2014-07",
        "Jan. 2016": "2016-01",
        "January 2016": "2016-01",
        "Sept. 2015": "2015-09",
        "sep 2015": "2015-09",
        "2015-07-01": "2015-07",
        "2015-07-01T12:30:00": "2015-07",
        "2016-01": "2016-01",
    }
    for text, month in written.items():
        df = pd.DataFrame({"district": ["A"] * 36, "date": [text] * 36, "element": IDS,
                           "rating": one})  # fmt: skip
        assert str(ps.Panel.from_long(df).dates[0]) == month, text
    for value in (dt.date(2015, 7, 31), dt.datetime(2015, 7, 1, 23), pd.Timestamp("2015-07-09"),
                  np.datetime64("2015-07-02"), pd.Period("2015-07", "M")):  # fmt: skip
        df = pd.DataFrame({"district": ["A"] * 36, "date": [value] * 36, "element": IDS,
                           "rating": one})  # fmt: skip
        assert str(ps.Panel.from_long(df).dates[0]) == "2015-07", value
    quarter = pd.DataFrame({"district": ["A"] * 36, "date": [pd.Period("2016Q1", "Q")] * 36,
                            "element": IDS, "rating": one})  # fmt: skip
    with pytest.raises(ps.InputError, match=r"Q-DEC.*only monthly"):
        ps.Panel.from_long(quarter)
    bad = pd.DataFrame({"district": ["Denver"] * 36, "date": ["Spring 2016"] * 36,
                        "element": IDS, "rating": one})  # fmt: skip
    with pytest.raises(ps.InputError, match=r"Spring 2016.*Denver|Denver.*Spring 2016"):
        ps.Panel.from_long(bad)


def test_not_rated_markers_and_other_text():
    for marker in ["", "NA", "N/A", "n/a", "-", "."]:
        df = pd.DataFrame({"district": ["A"] * 36, "date": ["2016-01"] * 36, "element": IDS,
                           "rating": [marker] + ["3"] * 35})  # fmt: skip
        assert np.isnan(ps.Panel.from_long(df).ratings[0, 0]), marker
    df = pd.DataFrame({"district": ["Tulsa"] * 36, "date": ["2016-01"] * 36, "element": IDS,
                       "rating": ["missing"] + ["3"] * 35})  # fmt: skip
    with pytest.raises(ps.RatingError, match=r"Tulsa.*2016-01.*1\.1.*missing"):
        ps.Panel.from_long(df)
    assert np.isnan(ps.Panel.from_long(df, na_values=["missing"]).ratings[0, 0])
    # a custom list replaces the default: "NA" is then an error
    df.loc[0, "rating"] = "NA"
    with pytest.raises(ps.RatingError, match="NA"):
        ps.Panel.from_long(df, na_values=["missing"])


def test_float_element_ids_that_collide_say_how_to_fix_it():
    spec = {
        "id": "ten",
        "scale": [1, 2, 3],
        "components": [{"id": "1", "name": "One",
                        "elements": [{"id": f"1.{e}", "text": f"e{e}"} for e in range(1, 11)]}],
    }  # fmt: skip
    import json

    rubric = ps.Rubric.from_json(json.dumps(spec))
    df = pd.DataFrame({"district": ["A"], "date": ["2016-01"], "element": [1.1], "rating": [2]})
    with pytest.raises(ps.ShapeError, match=r"1\.1, 1\.10.*as text"):
        ps.Panel.from_long(df, rubric)


def test_column_names_case_aliases_and_explicit(clean, expected):
    df = clean.rename(columns={"district": "DISTRICT", "date": "Date", "element": "element_id",
                               "rating": "Rating"})  # fmt: skip
    panel = ps.Panel.from_long(df)
    _same(panel, expected)
    assert panel.columns_read == (
        'district from "DISTRICT", date from "Date", element from "element_id", '
        'rating from "Rating"'
    )
    odd = clean.rename(columns={"district": "City", "date": "When", "element": "Q",
                                "rating": "Mark"})  # fmt: skip
    with pytest.raises(ps.ShapeError, match=r"no district column.*district="):
        ps.Panel.from_long(odd)
    _same(ps.Panel.from_long(odd, district="City", date="When", element="Q", rating="Mark"),
          expected)  # fmt: skip
    # named index levels are columns too
    _same(ps.Panel.from_long(df.set_index(["DISTRICT", "Date"])), expected)
    # two columns that could be the date: named, not guessed
    with pytest.raises(ps.ShapeError, match=r"Snapshot.*Month|date="):
        ps.Panel.from_long(df.rename(columns={"Date": "Snapshot"}).assign(Month="x"))


def test_cli_reads_messy_files_with_named_columns(tmp_path, clean):
    odd = clean.rename(columns={"district": "City", "date": "When", "element": "Q",
                                "rating": "Mark"})  # fmt: skip
    odd.to_csv(tmp_path / "odd.csv", index=False)
    run = [sys.executable, "-m", "portfolio_snapshot", "figures", "odd.csv", "--out", "figs"]
    done = subprocess.run(run, cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 2
    assert "--district" in done.stderr and "no district column" in done.stderr
    done = subprocess.run(
        [*run, "--district", "City", "--date", "When", "--element", "Q", "--rating", "Mark"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert 'district from "City"' in done.stdout


def test_score_array_reads_a_dataframe_by_its_labels(expected):
    wide = expected.to_wide()
    straight = ps.score_array(wide)
    backwards = ps.score_array(wide[IDS[::-1]])
    for key in ("components", "overall", "spread", "coverage"):
        np.testing.assert_array_equal(straight[key], backwards[key])
    # and by position a reversed matrix would give other scores: the labels matter
    assert not np.allclose(
        ps.score_array(wide[IDS[::-1]].to_numpy())["components"],
        straight["components"],
        equal_nan=True,
    )
    with pytest.raises(ps.ShapeError, match=r"\"district\".*not an element"):
        ps.score_array(wide.reset_index())
    with pytest.raises(ps.ShapeError, match=r"missing.*7\.6"):
        ps.score_array(wide.drop(columns=["7.6"]))


def test_subsets_in_one_line(expected):
    long = expected.to_long()
    cohort = expected.select(expected.district_names[:2], start="July 2014")
    keep = long[long["district"].isin(expected.district_names[:2])
                & (long["date"] >= pd.Period("2014-07", "M"))]  # fmt: skip
    assert sorted(set(zip(keep["district"], keep["date"].astype(str), strict=True))) == sorted(
        (d, str(t)) for d, t in cohort.index
    )
    then = expected.as_of("Jan. 2016")
    assert then.dates.max() <= pd.Period("2016-01", "M")
    assert then.n_snapshots == (expected.dates <= pd.Period("2016-01", "M")).sum()
    # eligibility on the panel's own history, counted by hand with pandas
    counts = then.to_wide().reset_index().groupby("district")["date"].agg(["count", "max"])
    want = counts[(counts["count"] >= 3) & (counts["max"] >= pd.Period("2014-01", "M"))]
    assert ps.eligible(then).district_names == sorted(want.index)
    with pytest.raises(ps.InputError, match="Atlantis"):
        expected.select("Atlantis")
    with pytest.raises(ps.PortfolioError, match="start"):
        expected.select(start="2016-01", end="2015-01")
    with pytest.raises(ps.InputError, match=r"not_a_date|invalid parameter date"):
        expected.as_of("not_a_date")
