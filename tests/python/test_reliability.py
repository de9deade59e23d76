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


def _without(panel, element_ids):
    """The demo rebuilt from scratch without some elements (and any
    component left empty): the reference for leave_one_out."""
    spec = json.loads(panel.rubric.to_json())
    for comp in spec["components"]:
        comp["elements"] = [e for e in comp["elements"] if e["id"] not in element_ids]
    spec["components"] = [c for c in spec["components"] if c["elements"]]
    long = panel.to_long()
    long = long[~long["element"].isin(element_ids)]
    return ps.Panel.from_long(long, ps.Rubric.from_json(json.dumps(spec)))


def test_leave_one_out_against_rebuilt_panels():
    panel = ps.datasets.demo_panel()
    loo = ps.leave_one_out(panel)
    full = ps.summarize(panel)
    rubric = panel.rubric.to_frame()
    assert len(loo) == (7 + 36) * 25

    def of(cid):
        return list(rubric.loc[rubric["component_id"] == cid, "element_id"])

    cases = [("element", "3.1", ["3.1"]), ("element", "6.5", ["6.5"]),
             ("component", "3", of("3")), ("component", "6", of("6"))]  # fmt: skip
    for kind, item, elements in cases:
        ref = ps.summarize(_without(panel, elements))
        got = loo.xs((kind, item), level=("kind", "item_id"))
        rank = ref["score"].rank(method="min", ascending=False)
        assert np.array_equal(got["rank_without"].to_numpy(), rank.reindex(got.index).to_numpy())
        assert (
            got["quadrant_without"].astype(str) == ref["quadrant"].reindex(got.index).astype(str)
        ).all()
        assert (got["advanced_without"] == ref["advanced"].reindex(got.index)).all()
        base = full["score"].rank(method="min", ascending=False).reindex(got.index)
        assert np.array_equal(got["rank"].to_numpy(), base.to_numpy())
        assert np.array_equal(got["rank_change"], got["rank_without"] - got["rank"])
    changed = loo["class_changed"]
    assert (changed == ((loo["quadrant"] != loo["quadrant_without"])
                        | (loo["advanced"] != loo["advanced_without"]))).all()  # fmt: skip
