"""Shared fixtures and an independent numpy reference of the scoring rules."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import portfolio_snapshot as ps
import pytest

# Component sizes of crpe-2016, from the report's Appendix 1 (written out here,
# not read from the library).
SIZES_2016 = [6, 6, 4, 6, 3, 5, 6]
SHORT_NAMES = ["Choice", "Autonomy", "Funding", "Talent", "Support", "Accountability", "Engagement"]


def reference_scores(ratings: np.ndarray, sizes: list[int] = SIZES_2016) -> dict[str, np.ndarray]:
    """Scores by the report's rules, written independently with numpy:
    component = nan-mean of its elements; overall = mean of the component
    means that exist; spread = population variance of the rated elements."""
    x = np.asarray(ratings, dtype=float)
    bounds = np.cumsum([0, *sizes])
    with np.errstate(invalid="ignore", divide="ignore"):
        comps = np.stack(
            [
                np.nansum(x[:, a:b], axis=1) / np.sum(~np.isnan(x[:, a:b]), axis=1)
                for a, b in itertools.pairwise(bounds)
            ],
            axis=1,
        )
        n = np.sum(~np.isnan(x), axis=1)
        mean = np.nansum(x, axis=1) / n
        spread = np.nansum((x - mean[:, None]) ** 2, axis=1) / n
        overall = np.nansum(comps, axis=1) / np.sum(~np.isnan(comps), axis=1)
    spread[n == 0] = np.nan
    return {"components": comps, "overall": overall, "spread": spread, "coverage": n / x.shape[1]}


@pytest.fixture
def demo() -> ps.Panel:
    return ps.datasets.demo_panel()


def long_frame(rows: list[tuple[str, str, list[float]]]) -> pd.DataFrame:
    """A long table from (district, date, 36 ratings) rows, element ids 1.1 .. 7.6."""
    ids = [f"{c + 1}.{e + 1}" for c, n in enumerate(SIZES_2016) for e in range(n)]
    records = [
        {"district": d, "date": t, "element": eid, "rating": v}
        for d, t, values in rows
        for eid, v in zip(ids, values, strict=True)
    ]
    return pd.DataFrame(records)


def by_component(values: list[float]) -> list[float]:
    return [float(v) for v, n in zip(values, SIZES_2016, strict=True) for _ in range(n)]
