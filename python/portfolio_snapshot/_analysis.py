"""The report's analyses as DataFrames."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from . import _core
from ._dates import to_year_month
from ._errors import boundary
from ._panel import Panel
from ._rubric import Rubric

QUADRANTS = [
    "strong and consistent",
    "strong but piecemeal",
    "weaker and consistent",
    "weaker and piecemeal",
]

Missing = str | float


def _check_panel(panel: object) -> Panel:
    if not isinstance(panel, Panel):
        raise _core.InputError(f"expected a portfolio_snapshot.Panel, not {type(panel).__name__}")
    return panel


def _tag(frame: pd.DataFrame, panel: Panel, **attrs: object) -> pd.DataFrame:
    frame.attrs.update(
        rubric=panel.rubric.id, synthetic=panel.synthetic, label=panel.label, **attrs
    )
    return frame


@boundary
def score(
    panel: Panel,
    *,
    missing: Missing = "skip",
    aggregation: str = "mean_of_means",
    weights: Sequence[float] | None = None,
    advanced_level: float = 4.0,
    advanced_share: float = 0.5,
) -> pd.DataFrame:
    """Per-snapshot scores.

    Parameters
    ----------
    panel : Panel
    missing : {"skip", "strict"} or float
        ``"skip"``: means over what is rated; ``"strict"``: any missing rating
        raises :class:`RatingError`; a number ``f`` in [0, 1]: a component with
        less than ``f`` of its elements rated scores NaN.
    aggregation : {"mean_of_means", "pooled"}
        Overall score as the mean of component means (the report's rule) or
        the mean of all rated elements.
    weights : sequence of float, optional
        Component weights for ``mean_of_means`` (default: the rubric's, equal).
    advanced_level, advanced_share : float
        A snapshot is advanced when more than ``advanced_share`` of its
        components band at ``advanced_level`` or better.

    Returns
    -------
    DataFrame
        Indexed by (district, date); one column per component short name, then
        ``overall``, ``spread`` (population variance of the rated elements),
        ``coverage`` (share rated) and ``advanced``.
    """
    panel = _check_panel(panel)
    d = panel._core.score(
        missing,
        aggregation,
        None if weights is None else list(weights),
        advanced_level,
        advanced_share,
    )
    frame = pd.DataFrame(d["components"], index=panel.index, columns=panel.rubric.component_names)
    frame["overall"] = d["overall"]
    frame["spread"] = d["spread"]
    frame["coverage"] = d["coverage"]
    frame["advanced"] = d["advanced"]
    return _tag(frame, panel, missing=missing, aggregation=aggregation)


@boundary
def summarize(
    panel: Panel,
    *,
    basis: str = "average",
    y_cut: float | str | None = None,
    x_cut: float | str = "mean",
    missing: Missing = "skip",
    aggregation: str = "mean_of_means",
    weights: Sequence[float] | None = None,
    advanced_level: float = 4.0,
    advanced_share: float = 0.5,
) -> pd.DataFrame:
    """District summaries: the report's Figures 3-5 as one table.

    Parameters
    ----------
    basis : {"average", "recent"}
        ``"average"``: each element's mean over the district's snapshots (the
        report's "over time"); ``"recent"``: the most recent snapshot.
    y_cut : float, {"mean", "median", "midpoint"} or None
        Score cut between strong and weaker; None is the scale midpoint (3.0).
    x_cut : float or {"mean", "median", "midpoint"}
        Spread cut between consistent and piecemeal (default: the mean spread
        of the districts analysed). A value equal to a cut goes to the upper
        side.
    missing, aggregation, weights, advanced_level, advanced_share
        As in :func:`score`.

    Returns
    -------
    DataFrame
        Indexed by district: ``score``, ``spread``, ``recent_progress``,
        ``advanced``, ``quadrant`` (ordered categorical), ``n_snapshots``,
        ``first_date``, ``last_date``, ``coverage`` and one column per
        component. ``frame.attrs`` holds ``basis``, ``y_cut`` and ``x_cut``
        as used.
    """
    panel = _check_panel(panel)
    d = panel._core.summarize(
        basis,
        missing,
        aggregation,
        None if weights is None else list(weights),
        y_cut,
        x_cut,
        advanced_level,
        advanced_share,
    )
    index = pd.Index(d["district"], name="district")
    frame = pd.DataFrame(
        {
            "score": d["score"],
            "spread": d["spread"],
            "recent_progress": d["recent_progress"],
            "advanced": d["advanced"],
            "quadrant": pd.Categorical(d["quadrant"], categories=QUADRANTS, ordered=True),
            "n_snapshots": np.asarray(d["n_snapshots"], dtype=np.int64),
            "first_date": pd.PeriodIndex(d["first_date"], freq="M"),
            "last_date": pd.PeriodIndex(d["last_date"], freq="M"),
            "coverage": d["coverage"],
        },
        index=index,
    )
    components = pd.DataFrame(d["components"], index=index, columns=d["component_names"])
    frame = pd.concat([frame, components], axis=1)
    return _tag(
        frame,
        panel,
        basis=d["basis"],
        y_cut=d["y_cut"],
        x_cut=d["x_cut"],
        missing=missing,
        aggregation=aggregation,
    )


def _ranking_frame(d: dict[str, object], id_name: str, name_name: str) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            id_name: d["id"],
            name_name: d["name"],
            "component": d["component"],
            "mean_score": d["mean_score"],
            "n_districts": np.asarray(d["n_districts"], dtype=np.int64),
        },
        index=pd.Index(d["position"], name="rank"),
    )
    return frame


@boundary
def rank_components(
    panel: Panel,
    *,
    basis: str = "average",
    missing: Missing = "skip",
    aggregation: str = "mean_of_means",
    weights: Sequence[float] | None = None,
) -> pd.DataFrame:
    """Components ranked by their mean score across districts (Figure 6),
    highest first; ties keep rubric order.

    Returns
    -------
    DataFrame
        Indexed by ``rank`` (1 = highest): ``component_id``, ``component``
        (short name), ``mean_score``, ``n_districts``.
    """
    panel = _check_panel(panel)
    d = panel._core.rank_components(
        basis, missing, aggregation, None if weights is None else list(weights)
    )
    frame = _ranking_frame(d, "component_id", "name").drop(columns=["name"])
    return _tag(frame, panel, basis=basis)


@boundary
def rank_elements(panel: Panel, *, basis: str = "average") -> pd.DataFrame:
    """Elements ranked by their mean rating across districts, highest first.

    Returns
    -------
    DataFrame
        Indexed by ``rank``: ``element_id``, ``element`` (text), ``component``
        (short name), ``mean_score``, ``n_districts``.
    """
    panel = _check_panel(panel)
    frame = _ranking_frame(panel._core.rank_elements(basis), "element_id", "element")
    return _tag(frame, panel, basis=basis)


@boundary
def sticking_points(panel: Panel, n: int = 5, *, basis: str = "average") -> pd.DataFrame:
    """The ``n`` lowest-ranked elements, lowest first (elements nobody rated are skipped)."""
    ranked = rank_elements(panel, basis=basis)
    return ranked[ranked["mean_score"].notna()].iloc[::-1].head(n)


@boundary
def score_array(
    ratings: object,
    rubric: Rubric | str | None = None,
    *,
    missing: Missing = "skip",
    aggregation: str = "mean_of_means",
    weights: Sequence[float] | None = None,
) -> dict[str, np.ndarray]:
    """The fast path: score a (snapshots x elements) matrix in rubric column order.

    A float64 array of any order or strides is read in place (no copy); int
    arrays and nested lists are converted first. The interpreter is released
    while the scores are computed.

    Returns
    -------
    dict
        ``components`` (rows x components), ``overall``, ``spread``,
        ``coverage`` (each one value per row).
    """
    r = Rubric._coerce(rubric)
    if not (isinstance(ratings, np.ndarray) and ratings.dtype == np.float64):
        try:  # ints, lists: converted here; a float64 array goes through uncopied
            ratings = np.asarray(ratings, dtype=np.float64)
        except (TypeError, ValueError) as e:
            raise _core.InputError(f"ratings cannot be read as float64 numbers: {e}") from None
    return _core.score_array(
        ratings, r._core, missing, aggregation, None if weights is None else list(weights)
    )


@boundary
def eligible(
    roster: pd.DataFrame,
    *,
    min_snapshots: int = 3,
    since: str = "2014-01",
    district: str = "district",
    last: str = "most_recent_snapshot",
    n_snapshots: str = "n_snapshots",
) -> pd.DataFrame:
    """The rows of a roster that have enough snapshot data to analyse: at
    least ``min_snapshots`` snapshots, the last in ``since`` or later (the
    report's rule, which keeps 25 of the 52 Figure 2 districts)."""
    from ._panel import _require_columns

    roster = _require_columns(
        roster, {"district": district, "last": last, "n_snapshots": n_snapshots}
    )
    names = [str(v) for v in roster[district]]
    lasts = to_year_month(roster[last], names, allow_missing=True)
    counts = pd.to_numeric(roster[n_snapshots], errors="coerce")
    if counts.isna().any():
        i = int(np.flatnonzero(counts.isna().to_numpy())[0])
        raise _core.InputError(
            f"n_snapshots {roster[n_snapshots].iloc[i]!r} is not a number (district {names[i]!r})"
        )
    since_text = to_year_month([since])[0]
    mask = _core.eligible_mask(
        names, [int(c) for c in counts], lasts, int(min_snapshots), since_text
    )
    return roster[np.asarray(mask, dtype=bool)]
