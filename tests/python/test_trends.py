"""ps.trends: slopes per year against numpy.polyfit on the same snapshots."""

import numpy as np
import pandas as pd
import portfolio_snapshot as ps
import pytest


def _years(dates: pd.Series) -> np.ndarray:
    p = pd.PeriodIndex(dates.astype(str), freq="M")
    return np.asarray(p.year + (p.month - 1) / 12.0, dtype=float)


def test_slopes_equal_numpy_polyfit_on_the_demo():
    panel = ps.datasets.demo_panel()
    t = ps.trends(panel)
    s = ps.score(panel).reset_index()
    components = list(ps.rank_components(panel)["component"])
    assert len(t) == 25
    for district, rows in s.groupby("district", sort=False):
        x = _years(rows["date"])
        row = t.loc[district]
        assert row["n_snapshots"] == len(rows)
        for column, slope in [("overall", "overall_slope")] + [(c, c) for c in components]:
            y = rows[column].to_numpy(dtype=float)
            ok = ~np.isnan(y)
            if ok.sum() < 2:
                assert np.isnan(row[slope])
                continue
            expected = np.polyfit(x[ok], y[ok], 1)[0]
            assert row[slope] == pytest.approx(expected, abs=1e-10), (district, column)
    assert t.attrs["unit"] == "score points per year"


def test_a_hand_computed_slope_and_the_reasons_for_nan():
    ids = ps.Rubric.crpe_2016().element_ids
    # A: 2.0 in Jan 2014, 3.0 in Jan 2015, 5.0 in Jan 2016 -> slope 1.5 per year
    # B: one snapshot; C: two snapshots, the second with nothing rated
    rows = []
    for district, date, value in [
        ("A", "2014-01", 2.0),
        ("A", "2015-01", 3.0),
        ("A", "2016-01", 5.0),
        ("B", "2016-01", 4.0),
        ("C", "2015-07", 3.0),
        ("C", "2016-01", np.nan),
    ]:
        rows.append({"district": district, "date": date, **dict.fromkeys(ids, value)})
    panel = ps.Panel.from_wide(pd.DataFrame(rows))
    t = ps.trends(panel)
    assert t.loc["A", "overall_slope"] == pytest.approx(1.5, abs=1e-12)
    assert t.loc["A", "Choice"] == pytest.approx(1.5, abs=1e-12)
    assert t.loc["A", "reason"] is None or pd.isna(t.loc["A", "reason"])
    assert np.isnan(t.loc["B", "overall_slope"])
    assert t.loc["B", "reason"] == "fewer than two snapshots"
    assert np.isnan(t.loc["C", "overall_slope"])
    assert "fewer than two snapshots with an overall score (1 of 2)" in t.loc["C", "reason"]
    # half a year apart: July 2015 is 2015.5
    assert str(t.loc["C", "first_date"]).startswith("2015-07")


def test_bad_input_is_an_error_of_the_hierarchy():
    with pytest.raises(ps.InputError):
        ps.trends("not a panel")  # type: ignore[arg-type]
    with pytest.raises(ps.PortfolioError, match="missing"):
        ps.trends(ps.datasets.demo_panel(), missing="sometimes")
