"""The synthetic demo says what the 2016 report says.

Each finding the report publishes about a named district, component or
element is checked here twice: by the library (``ps.report_findings``) and by
an independent reference written with pandas on the raw demo CSV, following
the report's rules (mean of component means, population variance, halfway
bands up, more than half the components at 4 or better, cuts at 3 and at the
mean spread). The README's findings table must list the same findings.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import portfolio_snapshot as ps
import pytest
from conftest import SHORT_NAMES, SIZES_2016

ROOT = Path(__file__).resolve().parents[2]
IDS = [f"{c + 1}.{e + 1}" for c, n in enumerate(SIZES_2016) for e in range(n)]
COMPONENT_OF = {eid: SHORT_NAMES[int(eid.split(".")[0]) - 1] for eid in IDS}


def _reference() -> dict[str, object]:
    long = pd.read_csv(ROOT / "data" / "demo_panel.csv", comment="#", dtype={"element": str})
    long = long.dropna(subset=["rating"])
    # average basis: each element's mean over the district's snapshots
    basis = long.groupby(["district", "element"])["rating"].mean().unstack()[IDS]
    comps = pd.DataFrame(
        {c: basis[[e for e in IDS if COMPONENT_OF[e] == c]].mean(axis=1) for c in SHORT_NAMES}
    )
    score = comps.mean(axis=1)
    spread = basis.var(axis=1, ddof=0)
    bands = np.floor(comps + 0.5).clip(1, 5)
    advanced = (bands >= 4).sum(axis=1) > 3.5
    strong = score >= 3.0
    piecemeal = spread >= spread.mean()
    quadrant = np.select(
        [strong & ~piecemeal, strong & piecemeal, ~strong & ~piecemeal],
        ["strong and consistent", "strong but piecemeal", "weaker and consistent"],
        "weaker and piecemeal",
    )
    quadrant = pd.Series(quadrant, index=score.index)
    # snapshot scores for recent progress
    wide = long.pivot_table(index=["district", "date"], columns="element", values="rating")[IDS]
    snap_comps = pd.DataFrame(
        {c: wide[[e for e in IDS if COMPONENT_OF[e] == c]].mean(axis=1) for c in SHORT_NAMES}
    )
    snap_overall = snap_comps.mean(axis=1)
    by_district = snap_overall.groupby(level="district")
    progress = by_district.last() - by_district.mean()
    return {
        "basis": basis,
        "comps": comps,
        "score": score,
        "spread": spread,
        "bands": bands,
        "advanced": advanced,
        "quadrant": quadrant,
        "progress": progress,
        "component_means": comps.mean().sort_values(ascending=False, kind="stable"),
        "element_means": basis.mean().sort_values(ascending=False, kind="stable"),
    }


REF = _reference()


def _in(q: str) -> set[str]:
    quadrant = REF["quadrant"]
    return set(quadrant[quadrant == q].index)


def _value(district: str, element: str) -> float:
    return float(REF["basis"].loc[district, element])


def _lower_half(names: list[str]) -> bool:
    progress = REF["progress"]
    return all(progress[n] < progress.median() for n in names)


# id -> independent check, one per finding of ps.report_findings
CHECKS = {
    "A1": lambda: (
        set(REF["advanced"][REF["advanced"]].index)
        == {"NOLA RSD", "TN ASD", "Denver", "New York City", "Lawrence"}
    ),
    "A2": lambda: all(
        (np.floor(REF["basis"].loc[d] + 0.5) >= 5).sum() > 18
        for d in ["NOLA RSD", "TN ASD", "Denver"]
    ),
    "A3": lambda: all(
        (REF["bands"].loc[d] <= 2).any()
        for d in ["Sacramento", "Albuquerque", "Detroit", "Nashville", "Indianapolis", "Tulsa"]
    ),
    "A4": lambda: set(REF["score"].nlargest(3).index) == {"NOLA RSD", "TN ASD", "Lawrence"},
    "Q1": lambda: (
        len(_in("strong and consistent")) == 7 and "NOLA RSD" in _in("strong and consistent")
    ),
    "Q2": lambda: _in("strong but piecemeal") == {"Spring Branch"},
    "Q3": lambda: (
        len(_in("weaker and piecemeal")) == 6
        and {"Albuquerque", "Memphis-Shelby County"} <= _in("weaker and piecemeal")
    ),
    "Q4": lambda: len(_in("weaker and consistent")) == 11,
    "Q5": lambda: all(
        REF["spread"][d] < REF["spread"].mean()
        for d in ["TN ASD", "Lawrence", "Oakland", "Indianapolis"]
    ),
    "Q6": lambda: all(
        REF["spread"][d] >= REF["spread"].mean()
        for d in ["Spokane", "Albuquerque", "Memphis-Shelby County"]
    ),
    "Q7": lambda: (
        {"Sacramento", "Chicago", "Nashville", "Detroit", "Tulsa", "Indianapolis"}
        <= _in("weaker and consistent")
    ),
    "Q8": lambda: (
        _value("Spring Branch", "4.2") >= 4
        and _value("Spring Branch", "3.1") <= 2
        and _value("Spring Branch", "3.2") <= 2
        and REF["bands"].loc["Spring Branch", "Choice"] >= 4
    ),
    "P1": lambda: set(REF["progress"].nlargest(3).index) == {"Indianapolis", "Oakland", "Lawrence"},
    "P2": lambda: (
        max(REF["progress"][["NOLA RSD", "Denver"]])
        < min(REF["progress"][["Indianapolis", "Oakland", "Lawrence"]])
    ),
    "P3": lambda: _lower_half(
        ["Sacramento", "Detroit", "Albuquerque", "Baltimore", "New York City"]
    ),
    "P4": lambda: list(REF["score"].sort_values(ascending=False).index).index("Baltimore") < 9,
    "C1": lambda: list(REF["component_means"].index[:3]) == ["Accountability", "Talent", "Choice"],
    "C2": lambda: REF["component_means"].index[3] == "Engagement",
    "C3": lambda: set(REF["component_means"].index[-3:]) == {"Autonomy", "Funding", "Support"},
    "E1": lambda: (
        "4.6" in set(REF["element_means"].index[-5:])
        and REF["element_means"][[e for e in IDS if e.startswith("4.")]].idxmin() == "4.6"
    ),
    "E2": lambda: _value("TN ASD", "2.3") == _value("NOLA RSD", "2.3") == REF["basis"]["2.3"].max(),
    "E3": lambda: _value("Albuquerque", "3.3") == 1 and _value("Albuquerque", "5.2") == 1,
    "E4": lambda: (
        _value("Lawrence", "3.3") >= 4
        and _value("Lawrence", "3.3") == REF["basis"]["3.3"].max()
        and min(_value("Cleveland", "3.3"), _value("Oakland", "3.3")) > _value("Spokane", "3.3")
        and _value("Spokane", "3.3") > _value("Albuquerque", "3.3")
    ),
    "E5": lambda: all(
        _value(d, "5.3") > REF["basis"]["5.3"].median()
        for d in ["Denver", "Lawrence", "NOLA RSD", "TN ASD"]
    ),
    "E6": lambda: _value("Baltimore", "5.2") > _value("Baltimore", "5.3"),
}

FINDINGS = ps.report_findings(ps.datasets.demo_panel())


def test_every_finding_has_an_independent_check():
    assert list(FINDINGS.index) == list(CHECKS)
    assert len(FINDINGS) >= 25


@pytest.mark.parametrize("finding_id", list(CHECKS))
def test_the_demo_reproduces_the_finding(finding_id):
    row = FINDINGS.loc[finding_id]
    assert bool(row["holds"]), f"{finding_id}: {row['finding']} ({row['detail']})"
    assert CHECKS[finding_id](), f"{finding_id} fails the independent reference"
    assert row["source"] and row["finding"]


def test_the_findings_discriminate():
    # the same checks on a panel that contradicts the report: every district
    # equal, so nothing is advanced and no quadrant has seven
    flat = ps.datasets.demo_panel().to_long()
    flat["rating"] = 3.0
    results = ps.report_findings(ps.Panel.from_long(flat))
    assert not results["holds"].all()
    assert not results.loc["A1", "holds"] and not results.loc["Q1", "holds"]


def test_the_demo_still_looks_like_interview_ratings():
    long = pd.read_csv(ROOT / "data" / "demo_panel.csv", comment="#", dtype={"element": str})
    rated = long["rating"].dropna()
    assert set(rated.unique()) <= {1.0, 2.0, 3.0, 4.0, 5.0}  # integers only
    share_missing = long["rating"].isna().mean()
    assert 0.01 < share_missing < 0.08  # some elements unrated
    # every level is used, and districts change over time
    assert rated.value_counts().min() > 100
    per_snapshot = long.groupby(["district", "date"])["rating"].mean()
    changed = per_snapshot.groupby(level="district").agg(lambda s: s.max() - s.min())
    assert (changed > 0.1).sum() >= 15


def test_the_readme_lists_the_same_findings():
    text = (ROOT / "README.md").read_text()
    rows = dict(re.findall(r"^\| (\w\d) \| (.+?) \|", text, re.M))
    for finding_id, statement in FINDINGS["finding"].items():
        assert finding_id in rows, finding_id
        assert rows[finding_id].strip() == statement, finding_id
