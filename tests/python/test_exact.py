"""Ties and boundaries against an independent reference in exact rational
arithmetic (Python's ``fractions``): rankings keep rubric order for equal
means, halfway bands up, a value on a cut goes to the upper side."""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
import pandas as pd
import portfolio_snapshot as ps
from conftest import SIZES_2016
from hypothesis import given, settings
from hypothesis import strategies as st

IDS = ps.Rubric.crpe_2016().element_ids


def panel_of(districts: list[list[list[int]]]) -> ps.Panel:
    """Districts as lists of 36-wide integer rows (0 = not rated)."""
    records = []
    for d, rows in enumerate(districts):
        for t, row in enumerate(rows):
            date = f"{2014 + t // 2}-{'01' if t % 2 == 0 else '07'}"
            records += [
                (f"D{d}", date, e, float(v) if v else np.nan) for e, v in zip(IDS, row, strict=True)
            ]
    return ps.Panel.from_long(
        pd.DataFrame(records, columns=["district", "date", "element", "rating"])
    )


def exact_basis(rows: list[list[int]]) -> list[Fraction | None]:
    out = []
    for j in range(36):
        rated = [r[j] for r in rows if r[j]]
        out.append(Fraction(sum(rated), len(rated)) if rated else None)
    return out


def mean(xs: list[Fraction]) -> Fraction | None:
    return sum(xs, Fraction(0)) / len(xs) if xs else None


def components(values: list[Fraction | None]) -> list[Fraction | None]:
    bounds = list(itertools.accumulate([0, *SIZES_2016]))
    return [mean([v for v in values[a:b] if v is not None]) for a, b in itertools.pairwise(bounds)]


def order(means: list[Fraction | None]) -> list[int]:
    """High to low, None last, equal means in index order."""
    present = sorted(
        (i for i, m in enumerate(means) if m is not None), key=lambda i: (-means[i], i)
    )
    return present + [i for i, m in enumerate(means) if m is None]


rows_strategy = st.lists(
    st.lists(
        st.lists(st.sampled_from([0, 1, 2, 3, 4, 5, 1, 2, 3, 4, 5]), min_size=36, max_size=36),
        min_size=1,
        max_size=4,
    ),
    min_size=2,
    max_size=5,
)


@settings(max_examples=150, deadline=None)
@given(rows_strategy)
def test_rankings_and_classifications_are_exact(districts):
    panel = panel_of(districts)
    basis = [exact_basis(rows) for rows in districts]
    element_means = [mean([b[j] for b in basis if b[j] is not None]) for j in range(36)]
    expected = [IDS[j] for j in order(element_means)]
    assert list(ps.rank_elements(panel)["element_id"]) == expected
    lowest = [IDS[j] for j in order(element_means) if element_means[j] is not None][::-1][:5]
    assert list(ps.sticking_points(panel)["element_id"]) == lowest

    comps = [components(b) for b in basis]
    s = ps.summarize(panel)
    for d, cs in enumerate(comps):
        # nearest level, halfway up: floor(c + 1/2), on exact values
        bands = [None if c is None else min(5, max(1, int(c + Fraction(1, 2)))) for c in cs]
        reached = sum(1 for b in bands if b is not None and b >= 4)
        assert bool(s.loc[f"D{d}", "advanced"]) == (reached >= 4)
        score = mean([c for c in cs if c is not None])
        if score is not None:
            strong = score >= 3
            assert str(s.loc[f"D{d}", "quadrant"]).startswith("strong" if strong else "weaker")
    comp_means = [mean([c[k] for c in comps if c[k] is not None]) for k in range(7)]
    expected_c = [str(k + 1) for k in order(comp_means)]
    assert list(ps.rank_components(panel)["component_id"]) == expected_c


def test_a_tie_that_floats_get_wrong():
    # elements 1.1 and 1.2 both average exactly 25/9 over three districts;
    # summed in floats 1.2 comes out above 1.1
    def rows(pairs):
        return [[a, b, *([1] * 34)] for a, b in pairs]

    panel = panel_of(
        [
            rows([(3, 1), (5, 3), (3, 2)]),
            rows([(3, 3), (1, 5), (4, 2)]),
            rows([(1, 3), (1, 4), (4, 2)]),
        ]
    )
    ranked = ps.rank_elements(panel)
    assert list(ranked["element_id"][:2]) == ["1.1", "1.2"]
    assert ranked["mean_score"].iloc[0] < ranked["mean_score"].iloc[1]  # the floats disagree


def test_pooled_ranks_in_the_simulation_are_exact() -> None:
    """Many districts tie exactly on their pooled mean; the simulation (with
    no source on, each draw is the deterministic summary) must rank them as
    exact fractions do, ties sharing the lower rank."""
    rng = np.random.default_rng(7)
    districts = [
        [[int(v) for v in rng.choice([0, 1, 2, 3, 4, 5], size=36, p=[0.05] + [0.19] * 5)]
         for _ in range(3)]
        for _ in range(300)
    ]  # fmt: skip
    panel = panel_of(districts)
    pooled = [mean([v for v in exact_basis(rows) if v is not None]) for rows in districts]
    assert len(set(pooled)) < len(pooled) - 20  # the panel really has ties
    expected = [1 + sum(1 for q in pooled if q > p) for p in pooled]
    draws = ps.uncertainty_draws(panel, draws=2, aggregation=(0.0, 1.0))
    by_name = dict(zip(draws["districts"], range(len(pooled)), strict=True))
    for t in range(2):
        got = [draws["rank"][t][by_name[f"D{d}"]] for d in range(len(pooled))]
        assert got == expected


def test_rankings_over_more_districts_than_one_lcm_bound_covers_are_exact() -> None:
    """Past 88 districts lcm(1..n) overflows, so each mean's own count bounds
    its denominator. Element columns are rotations of one list, so their means
    tie exactly (rubric order decides); every third leaves one rating out."""
    rng = np.random.default_rng(5)
    n = 120
    base = rng.integers(1, 6, size=n)
    cols = []
    for j in range(36):
        col = np.roll(base, 7 * j).astype(int)
        if j % 3 == 1:
            col[(j * 11) % n] = 0  # not rated
        cols.append(col)
    districts = [[[int(cols[j][d]) for j in range(36)]] for d in range(n)]
    panel = panel_of(districts)
    basis = [exact_basis(rows) for rows in districts]
    element_means = [mean([b[j] for b in basis if b[j] is not None]) for j in range(36)]
    assert len(set(element_means)) < 36  # exact ties are there
    assert list(ps.rank_elements(panel)["element_id"]) == [IDS[j] for j in order(element_means)]
    comps = [components(b) for b in basis]
    comp_means = [mean([c[k] for c in comps if c[k] is not None]) for k in range(7)]
    expected_c = [str(k + 1) for k in order(comp_means)]
    assert list(ps.rank_components(panel)["component_id"]) == expected_c
