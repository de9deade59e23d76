"""Several raters: ps.rater_agreement against the krippendorff package, and
ps.consensus against pandas."""

import krippendorff
import numpy as np
import pandas as pd
import portfolio_snapshot as ps
import pytest


@pytest.fixture(scope="module")
def rated():
    """Three raters of the (synthetic) demo: each moves 30% of the ratings
    one level and leaves 20% unrated."""
    long = ps.datasets.demo_panel().to_long()
    rng = np.random.default_rng(11)
    parts = []
    for name in ["Ana", "Ben", "Cy"]:
        x = long.copy()
        move = rng.random(len(x)) < 0.3
        x.loc[move, "rating"] = np.clip(
            x.loc[move, "rating"] + rng.choice([-1, 1], move.sum()), 1, 5
        )
        parts.append(x[rng.random(len(x)) < 0.8].assign(rater=name))
    return pd.concat(parts, ignore_index=True)


def _reference(data, elements=None):
    sub = data if elements is None else data[data["element"].isin(elements)]
    wide = sub.pivot_table(index="rater", columns=["district", "date", "element"], values="rating")
    return krippendorff.alpha(reliability_data=wide.to_numpy(), level_of_measurement="ordinal")


def test_alpha_equals_the_krippendorff_package(rated):
    a = ps.rater_agreement(rated, draws=50)
    rubric = ps.Rubric.crpe_2016().to_frame()
    for e in ["1.1", "3.2", "7.6"]:
        assert a.loc[("element", e), "alpha"] == pytest.approx(_reference(rated, [e]), abs=1e-10)
    for c in ["1", "5"]:
        elements = list(rubric.loc[rubric["component_id"] == c, "element_id"])
        assert a.loc[("component", c), "alpha"] == pytest.approx(
            _reference(rated, elements), abs=1e-10
        )
    assert a.loc[("overall", "overall"), "alpha"] == pytest.approx(_reference(rated), abs=1e-10)
    assert len(a) == 36 + 7 + 1
    # cells rated by two or more raters, counted independently
    per_cell = rated.groupby(["district", "date", "element"])["rater"].nunique()
    assert a.loc[("overall", "overall"), "n_units"] == (per_cell >= 2).sum()
    assert a.loc[("overall", "overall"), "n_values"] == per_cell[per_cell >= 2].sum()


def test_bootstrap_interval_is_seeded_and_brackets_alpha(rated):
    a = ps.rater_agreement(rated, draws=200, seed=3)
    b = ps.rater_agreement(rated, draws=200, seed=3)
    c = ps.rater_agreement(rated, draws=200, seed=4)
    pd.testing.assert_frame_equal(a, b)
    assert not np.array_equal(a["low"], c["low"])
    ok = a.dropna(subset=["alpha"])
    assert ((ok["low"] <= ok["alpha"]) & (ok["alpha"] <= ok["high"])).mean() > 0.9
    assert a.attrs["draws"] == 200 and "ordinal" in a.attrs["metric"]
    assert a.attrs["raters"] == ["Ana", "Ben", "Cy"]
    assert np.isnan(ps.rater_agreement(rated, draws=0)["low"]).all()


def test_agreement_edge_cases_and_errors(rated):
    one = rated[rated["rater"] == "Ana"]
    with pytest.raises(ps.InputError, match="at least 2"):
        ps.rater_agreement(one)
    with pytest.raises(ps.ShapeError, match=r"who rated.*rater="):
        ps.rater_agreement(rated.drop(columns="rater"))
    renamed = rated.rename(columns={"rater": "Interviewer"})
    assert len(ps.rater_agreement(renamed, draws=0)) == 44
    assert (
        len(ps.rater_agreement(rated.rename(columns={"rater": "who"}), rater="who", draws=0)) == 44
    )
    bad = rated.copy()
    bad.loc[5, "rater"] = None
    with pytest.raises(ps.InputError, match="row 6"):
        ps.rater_agreement(bad)
    # two raters who never rate the same cell: no units, NaN with a reason
    ana, ben = rated["rater"] == "Ana", rated["rater"] == "Ben"
    disjoint = pd.concat([rated[ana & (rated["district"] == "Denver")],
                          rated[ben & (rated["district"] == "Tulsa")]])  # fmt: skip
    d = ps.rater_agreement(disjoint, draws=10)
    assert d["alpha"].isna().all() and d["reason"].str.contains("two raters").all()
    with pytest.raises(ps.RatingError, match="7"):
        ps.rater_agreement(rated.assign(rating=rated["rating"].where(rated.index != 0, 7)))


def test_consensus_rules_against_pandas(rated):
    cell = ["district", "date", "element"]
    for rule, agg in [("median", "median"), ("mean", "mean")]:
        panel = ps.consensus(rated, rule=rule)
        got = panel.to_long().set_index(cell)["rating"]
        expected = rated.groupby(cell)["rating"].agg(agg)
        expected.index = expected.index.set_levels(
            pd.PeriodIndex(expected.index.levels[1], freq="M"), level=1
        )
        joined = expected.to_frame("e").join(got.rename("g"), how="outer")
        assert np.allclose(joined["e"], joined["g"])
        assert panel.consensus.startswith(f"consensus ({rule}) of 3 raters: Ana, Ben, Cy")
        assert panel.label == panel.consensus
    median = ps.consensus(rated)
    assert median.consensus.startswith("consensus (median)")
    assert median.half_steps  # two raters of a cell can disagree by one level: 2.5
    ben = ps.consensus(rated, rule="rater", by="Ben")
    mine = rated[rated["rater"] == "Ben"].drop(columns="rater")
    assert len(ben.to_long()) == len(mine)
    assert ben.n_snapshots == mine.groupby(["district", "date"]).ngroups
    with pytest.raises(ps.InputError, match="Zoe"):
        ps.consensus(rated, rule="rater", by="Zoe")
    with pytest.raises(ps.InputError, match="rule"):
        ps.consensus(rated, rule="mode")
    # the consensus panel keeps its provenance through relabelling
    assert ps.consensus(rated).with_label("x").consensus.startswith("consensus")


def test_hostile_rater_inputs(rated):
    with pytest.raises(ps.PortfolioError, match="draws"):
        ps.rater_agreement(rated, draws=2**70)
    with pytest.raises(ps.PortfolioError, match="too large"):
        ps.rater_agreement(rated, draws=2**40)
    mixed = rated.copy()
    mixed["rater"] = mixed["rater"].astype(object)
    mixed.loc[mixed["rater"] == "Ana", "rater"] = 1
    mixed.loc[mixed["rater"] == "Ben", "rater"] = "1"
    with pytest.raises(ps.InputError, match="same name"):
        ps.rater_agreement(mixed, draws=0)
    dup = pd.concat([rated, rated[rated["rater"] == "Ben"].head(1)])
    with pytest.raises(ps.DuplicateError, match="rater 'Ben'"):
        ps.rater_agreement(dup, draws=0)
    both = rated.assign(reviewer=rated["rater"])
    with pytest.raises(ps.ShapeError, match="several columns"):
        ps.rater_agreement(both, draws=0)
    assert len(ps.rater_agreement(both, rater="reviewer", draws=0)) == 44
    assert len(ps.rater_agreement(rated.set_index("rater"), draws=0)) == 44
    with pytest.raises(ps.InputError, match="invalid parameter by"):
        ps.consensus(rated, rule="rater", by="Zed")
    with pytest.raises(ps.InputError, match="by="):
        ps.consensus(rated, rule="rater")
    with pytest.raises(ps.InputError, match="rule"):
        ps.consensus(rated, rule=1)  # type: ignore[arg-type]
    only_ana = pd.concat([rated, rated.head(0)])
    only_ana = only_ana[~((only_ana["rater"] == "Ana") & (only_ana["district"] == "Tulsa"))]
    with pytest.warns(ps.PortfolioWarning, match="not in rater 'Ana'"):
        panel = ps.consensus(only_ana, rule="rater", by="Ana")
    assert "Tulsa" not in panel.district_names


def test_a_callbacks_own_type_error_is_its_own():
    panel = ps.datasets.demo_panel()

    def buggy(done, total):
        raise TypeError("my own bug")

    with pytest.raises(TypeError, match="my own bug") as caught:
        ps.uncertainty(panel, draws=50, progress=buggy)
    assert not isinstance(caught.value, ps.PortfolioError)
    with pytest.raises(TypeError):
        ps.uncertainty(panel, draws=50, progress=lambda done: None)  # wrong arity: theirs
