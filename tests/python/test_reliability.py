"""ps.cronbach_alpha against pingouin.cronbach_alpha (listwise) and by hand."""

import json

import numpy as np
import pandas as pd
import pingouin as pg
import portfolio_snapshot as ps
import pytest


@pytest.mark.parametrize("basis", ["average", "recent"])
def test_alpha_equals_pingouin_on_the_demo(basis):
    panel = ps.datasets.demo_panel()
    long = panel.to_long()
    if basis == "recent":
        last = long.groupby("district")["date"].transform("max")
        long = long[long["date"] == last]
    values = long.pivot_table(index="district", columns="element", values="rating", aggfunc="mean")
    a = ps.cronbach_alpha(panel, basis=basis)
    rubric = panel.rubric.to_frame()
    assert a.attrs["basis"] == basis and "listwise" in a.attrs["missing"]
    for cid, row in a.iterrows():
        elements = list(rubric.loc[rubric["component_id"] == cid, "element_id"])
        items = values.reindex(columns=elements)
        complete = items.dropna()
        assert row["n_elements"] == len(elements)
        assert row["n_districts"] == len(complete)
        expected, _ = pg.cronbach_alpha(data=items, nan_policy="listwise")
        assert row["alpha"] == pytest.approx(expected, abs=1e-10), cid


def test_alpha_by_hand_and_its_nan_reasons():
    two = [{"id": "a", "text": "a"}, {"id": "b", "text": "b"}]
    spec = {"id": "small", "scale": [1, 2, 3, 4, 5], "components": [
        {"id": "1", "name": "Two", "elements": two},
        {"id": "2", "name": "One", "elements": [{"id": "c", "text": "c"}]},
    ]}  # fmt: skip
    rows = [("X", "a", 1), ("X", "b", 2), ("Y", "a", 2), ("Y", "b", 3), ("Z", "a", 3),
            ("Z", "b", 5), ("W", "a", 4), ("X", "c", 1), ("Y", "c", 2)]  # fmt: skip
    df = pd.DataFrame([(d, "2016-01", e, r) for d, e, r in rows],
                      columns=["district", "date", "element", "rating"])  # fmt: skip
    panel = ps.Panel.from_long(df, ps.Rubric.from_json(json.dumps(spec)))
    a = ps.cronbach_alpha(panel)
    # X, Y, Z rate both: items var 1 and 7/3, totals 3, 5, 8 var 19/3 -> 18/19
    assert a.loc["1", "alpha"] == pytest.approx(18 / 19, abs=1e-12)
    assert a.loc["1", "n_districts"] == 3  # W rates only a: left out (listwise)
    assert np.isnan(a.loc["2", "alpha"]) and "one element" in a.loc["2", "reason"]
    with pytest.raises(ps.InputError, match="basis"):
        ps.cronbach_alpha(panel, basis="latest")
