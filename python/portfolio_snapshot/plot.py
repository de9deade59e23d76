"""The report's figures as matplotlib Figures (matplotlib and adjustText are
the optional extra ``plot``, imported only by this module).

- :func:`heatmap` - Figure 3: districts x elements, coloured by the scale.
- :func:`quadrants` - Figure 4: score against spread, with the cuts.
- :func:`recent_progress` - Figure 5: latest score minus the average.
- :func:`component_ranking` - Figure 6: components by mean score.
- :func:`rank_intervals`, :func:`classification_probability` - the
  uncertainty of :func:`portfolio_snapshot.uncertainty`.
- :func:`trajectories` - each district's overall score over time, with its
  trend and trajectory class (:func:`portfolio_snapshot.trends`).
- :func:`profile` - one district's elements against the network's median
  and quartiles (:func:`portfolio_snapshot.profile`).
- :func:`reliability`, :func:`rater_agreement`, :func:`leave_one_out` -
  how far the ratings and the rules can be trusted.

Every function returns the Figure (or draws on ``ax`` when given) and accepts
what a user would pass: a Panel, or the result of the matching analysis.
Labels, colours and the words for every rule come from the core and the
rubric in use; names from the data are drawn literally (a ``$`` is a dollar
sign, not mathematics); figures of synthetic data say so in their titles.
Figures with a row per district stay readable and bounded in size: beyond
:data:`MAX_ROWS` districts they show the highest and lowest and say how many
are left out.
"""

from __future__ import annotations

import textwrap
from typing import Any

import numpy as np
import pandas as pd

from . import _core
from ._analysis import _core_panel, rank_components, score, summarize
from ._district import profile as _profile
from ._errors import boundary
from ._mixed import MixedPanel
from ._panel import Panel
from ._trends import trends

try:
    from adjustText import adjust_text
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.colors import BoundaryNorm, ListedColormap
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from matplotlib.ticker import MaxNLocator
except ImportError as e:  # pragma: no cover - depends on the environment
    raise ImportError(
        "portfolio_snapshot.plot needs matplotlib and adjustText: "
        "pip install 'portfolio-snapshot[plot]'"
    ) from e

__all__ = [
    "MAX_FACETS",
    "MAX_LABELS",
    "MAX_ROWS",
    "classification_probability",
    "component_ranking",
    "heatmap",
    "leave_one_out",
    "profile",
    "quadrants",
    "rank_intervals",
    "rater_agreement",
    "recent_progress",
    "reliability",
    "sensitivity",
    "trajectories",
]

#: Most districts a figure with one row per district shows; beyond, the
#: highest and lowest half each, with the number left out said in the figure.
MAX_ROWS = 60
#: Most districts the quadrant plot names; beyond, the points are unnamed.
MAX_LABELS = 40
#: The markers :func:`trajectories` tells rubric versions apart by (the
#: target's first, filled; the others open).
_VERSION_MARKERS = "os^Dv<>ph*"
#: Most districts :func:`trajectories` draws one small panel each for;
#: beyond, the first in class order, with the number left out said.
MAX_FACETS = 36


def _literal(text: object) -> str:
    """Text from the data, drawn as it is: ``$`` never starts mathematics,
    and control characters (a tab, a line break) show as their escapes."""
    shown = "".join(
        ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in str(text)
    )
    return shown.replace("$", r"\$")


def _wrapped(text: object, width: int = 80) -> str:
    """Literal text broken into lines of at most ``width`` characters."""
    return "\n".join(textwrap.wrap(_literal(text), width)) if text else ""


def _title(text: str, synthetic: bool) -> str:
    return f"{text}\n(synthetic data)" if synthetic else text


def _figure(ax: Any, size: tuple[float, float]) -> tuple[Figure, Any]:
    if ax is not None:
        if not hasattr(ax, "figure") or not hasattr(ax, "plot"):
            raise _core.InputError(f"ax must be a matplotlib Axes, not {type(ax).__name__}")
        return ax.figure, ax
    fig = Figure(figsize=size, layout="constrained")
    FigureCanvasAgg(fig)  # a canvas, so that text can be measured (label placement)
    return fig, fig.add_subplot()


def _panel(obj: object, what: str) -> Panel:
    """The panel a figure of a panel is given (the error says what is needed)."""
    if isinstance(obj, Panel):
        panel = obj
    elif isinstance(obj, _core.Panel):
        panel = Panel(obj)
    else:
        raise _core.InputError(
            f"{what} draws a Panel (ps.Panel or ps.datasets.demo_panel()), "
            f"not a {type(obj).__name__}"
        )
    if not np.any(~np.isnan(panel.ratings)):
        raise _core.InputError(f"{what}: the panel has nothing rated, so there is nothing to draw")
    return panel


_SUMMARY_COLUMNS = ("score", "spread", "recent_progress", "advanced", "quadrant")


def _summary(obj: object, what: str, **options: Any) -> pd.DataFrame:
    """A district summary: the one given, or that of a panel."""
    if isinstance(obj, (Panel, _core.Panel)):
        return summarize(_panel(obj, what), **options)
    if isinstance(obj, pd.DataFrame) and all(c in obj.columns for c in _SUMMARY_COLUMNS):
        for col in ("score", "spread", "recent_progress"):
            if not pd.api.types.is_float_dtype(obj[col]):
                raise _core.InputError(
                    f"{what}: column {col!r} holds {obj[col].dtype} values, not the numbers "
                    "ps.summarize gives"
                )
        if obj["score"].notna().sum() == 0:
            raise _core.InputError(f"{what}: no district has a score, so there is nothing to draw")
        return obj
    raise _core.InputError(
        f"{what} draws a Panel or the DataFrame of ps.summarize(...), "
        f"not a {type(obj).__name__}"
        + (f" with columns {list(obj.columns)[:6]!r}" if isinstance(obj, pd.DataFrame) else "")
    )


def _uncertainty(obj: object, what: str) -> pd.DataFrame:
    if isinstance(obj, pd.DataFrame) and {"rank_median", "rank_p5", "rank_p95"} <= set(obj.columns):
        ranks = obj["rank_median"]
        if not pd.api.types.is_float_dtype(ranks) or ranks.notna().sum() == 0:
            raise _core.InputError(
                f"{what}: no district has a rank in these draws (nothing rated?), so there is "
                "nothing to draw"
            )
        return obj
    raise _core.InputError(
        f"{what} draws the DataFrame of ps.uncertainty(...), not a {type(obj).__name__}"
    )


def _checked(
    frame: pd.DataFrame,
    what: str,
    made_by: str,
    columns: tuple[str, ...],
    levels: tuple[str, ...] = (),
    numeric: tuple[str, ...] = (),
) -> pd.DataFrame:
    """The result a figure draws, checked: the columns, index levels and
    number columns that ``made_by`` gives, and at least one row."""
    missing = [c for c in columns if c not in frame.columns]
    missing += [f"index level {n}" for n in levels if n not in (frame.index.names or [])]
    if missing:
        raise _core.InputError(
            f"{what}: the DataFrame has no {', '.join(map(str, missing))}; "
            f"pass the result of {made_by} as it is"
        )
    for c in numeric:
        if not pd.api.types.is_numeric_dtype(frame[c]):
            raise _core.InputError(
                f"{what}: column {c!r} holds {frame[c].dtype} values, not the numbers "
                f"{made_by} gives"
            )
    if frame.empty:
        raise _core.InputError(f"{what}: the DataFrame has no rows, so there is nothing to draw")
    return frame


def _labels_of(frame: pd.DataFrame) -> dict[str, Any]:
    """The labels the core put in a result's attributes (the rubric's words
    and colours)."""
    labels = frame.attrs.get("labels")
    if not isinstance(labels, dict):
        raise _core.InputError(
            "this DataFrame has lost the attributes ps.summarize/ps.uncertainty gave it "
            "(frame.attrs['labels']); pass the result itself, or the Panel"
        )
    return labels


def _band_colors(labels: dict[str, Any], values: np.ndarray) -> list[str]:
    """The colour of the scale level nearest to each value (NaN: not rated),
    banded by the core."""
    levels = list(labels["level_values"].values())
    colors = labels["level_colors"]
    out = []
    for band in _core.band_values(levels, values.tolist()):
        out.append(labels["not_rated_color"] if band is None else colors[levels.index(band)])
    return out


def _legend(labels: dict[str, Any]) -> list[Patch]:
    return [
        Patch(color=c, label=_literal(name))
        for name, c in zip(labels["level_values"], labels["level_colors"], strict=True)
    ]


def _bounded(order: list[object]) -> tuple[list[object], int]:
    """The rows a figure shows: all of them up to :data:`MAX_ROWS`, else the
    first and last halves with ``None`` where the rest would be; and how
    many are left out."""
    if len(order) <= MAX_ROWS:
        return list(order), 0
    half = MAX_ROWS // 2
    return [*order[:half], None, *order[-half:]], len(order) - 2 * half


def _omitted_note(n_left_out: int, total: int) -> str:
    return (
        f"\n(the {MAX_ROWS // 2} highest and {MAX_ROWS // 2} lowest of {total}; "
        f"{n_left_out} not shown)"
        if n_left_out
        else ""
    )


@boundary
def heatmap(panel: Panel, *, basis: str | None = None, ax: Any = None) -> Figure:
    """Figure 3: one row per district (highest overall score on top), one
    column per element, each cell coloured by the scale level nearest to the
    district's rating on ``basis`` (grey: not rated). Beyond :data:`MAX_ROWS`
    districts, the highest and lowest are shown."""
    panel = _panel(panel, "heatmap")
    rubric = panel.rubric
    summary = summarize(panel, basis=basis)
    labels = summary.attrs["labels"]
    basis_name = summary.attrs["basis"]
    order = list(summary["score"].sort_values(ascending=False, kind="stable").index)
    shown, left_out = _bounded(order)
    values = pd.DataFrame(
        _core.basis_ratings(_core_panel(panel), basis=basis_name),
        index=panel.district_names,
        columns=rubric.element_ids,
    )
    gap = pd.DataFrame([[np.nan] * values.shape[1]], columns=values.columns, index=["…"])
    rows = [values.loc[[d]] if d is not None else gap for d in shown]
    grid = pd.concat(rows) if rows else values.iloc[:0]
    levels = np.asarray(list(labels["level_values"].values()))
    bounds = np.concatenate([[-np.inf], (levels[:-1] + levels[1:]) / 2, [np.inf]])
    cmap = ListedColormap(labels["level_colors"]).with_extremes(bad=labels["not_rated_color"])
    norm = BoundaryNorm(bounds, cmap.N)
    n_rows, n_e = grid.shape
    fig, ax = _figure(ax, (max(8.0, 0.28 * n_e + 3.5), max(4.0, 0.3 * n_rows + 2.8)))
    ax.imshow(
        np.ma.masked_invalid(grid.to_numpy()),
        cmap=cmap,
        norm=norm,
        aspect="auto",
        interpolation="nearest",
    )
    names = [f"… {left_out} districts not shown …" if d is None else _literal(d) for d in shown]
    ax.set_yticks(range(n_rows), labels=names, fontsize=8)
    ax.set_xticks(range(n_e), labels=[_literal(e) for e in grid.columns], fontsize=7, rotation=90)
    top = ax.secondary_xaxis("top")
    centres, component_names, widths = [], [], []
    start = 0
    for _, comp in rubric.components.iterrows():
        end = start + int(comp["n_elements"])
        if end < n_e:
            ax.axvline(end - 0.5, color="white", linewidth=2)
        centres.append((start + end - 1) / 2)
        component_names.append(_literal(comp["short_name"]))
        widths.append(end - start)
        start = end
    # names fit flat above their columns unless a name is wider than its
    # component (about 0.07 inch per character at 8 points, 0.28 per column)
    crowded = any(0.07 * len(n) > 0.28 * w for n, w in zip(component_names, widths, strict=True))
    if crowded:
        top.set_xticks(centres, labels=component_names, fontsize=8, rotation=35, ha="left")
    else:
        top.set_xticks(centres, labels=component_names, fontsize=8)
    top.tick_params(length=0)
    ax.set_xlabel("element")
    ax.legend(
        handles=_legend(labels),
        loc="upper left",
        bbox_to_anchor=(1.01, 1),
        fontsize=8,
        title="level",
        frameon=False,
    )
    ax.set_title(
        _title(
            f"Implementation by element ({basis_name} basis)" + _omitted_note(left_out, len(order)),
            panel.synthetic,
        ),
        pad=12,
    )
    return fig


@boundary
def quadrants(summary: pd.DataFrame | Panel, *, ax: Any = None, annotate: bool = True) -> Figure:
    """Figure 4: overall score (y, on the scale's whole range) against spread
    (x, from 0) for each district, the two cuts as lines labelled with their
    value and rule, and the four quadrants named. District names are placed
    so that they do not overlap (adjustText), up to :data:`MAX_LABELS`
    districts. Accepts a Panel or the result of ``ps.summarize``."""
    summary = _summary(summary, "quadrants")
    labels = _labels_of(summary)
    levels = list(labels["level_values"].values())
    fig, ax = _figure(ax, (10.0, 7.0))
    data = summary[np.isfinite(summary["score"]) & np.isfinite(summary["spread"])]
    x, y = data["spread"].to_numpy(), data["score"].to_numpy()
    colors = np.where(data["advanced"], labels["advanced_color"], labels["neutral_color"])
    # many districts: smaller, translucent markers, advanced ones drawn on top
    many = len(data) > MAX_LABELS
    size = 36.0 if not many else max(4.0, 36.0 * (MAX_LABELS / len(data)) ** 0.5)
    order = np.argsort(data["advanced"].to_numpy(), kind="stable")
    ax.scatter(x[order], y[order], c=colors[order], s=size, alpha=0.6 if many else 1.0,
               linewidths=0, zorder=3)  # fmt: skip
    x_cut, y_cut = summary.attrs.get("x_cut"), summary.attrs.get("y_cut")
    lo, hi = min(levels), max(levels)
    pad = 0.04 * (hi - lo)
    ax.set_ylim(lo - pad, hi + pad)
    right = max([float(np.max(x)) if len(x) else 0.0] + ([x_cut] if x_cut else []))
    ax.set_xlim(0.0, right * 1.15 if right > 0 else 1.0)
    description = summary.attrs.get("description", {})
    if isinstance(x_cut, float) and isinstance(y_cut, float):
        ax.axvline(x_cut, color="#999999", linestyle="--", linewidth=1, zorder=1)
        ax.axhline(y_cut, color="#999999", linestyle="--", linewidth=1, zorder=1)
        box = {"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 1.0}
        cut_labels = [
            ax.text(0.995, y_cut, _literal(description.get("y_cut", "")), ha="right",
                    va="bottom", fontsize=7, color="#555555", transform=ax.get_yaxis_transform(),
                    zorder=4, bbox=box),
            ax.text(x_cut, 0.03, " " + _literal(description.get("x_cut", "")), ha="right",
                    va="bottom", fontsize=7, color="#555555", rotation=90,
                    transform=ax.get_xaxis_transform(), zorder=4, bbox=box),
        ]  # fmt: skip
        corners = [(0.01, 0.99, "left", "top"), (0.99, 0.99, "right", "top"),
                   (0.01, 0.01, "left", "bottom"), (0.99, 0.01, "right", "bottom")]  # fmt: skip
        for name, (cx, cy, ha, va) in zip(labels["quadrants"], corners, strict=True):
            ax.text(cx, cy, name, transform=ax.transAxes, ha=ha, va=va, fontsize=9,
                    color="#666666", style="italic")  # fmt: skip
    else:
        cut_labels = []
    shown_names = annotate and len(data) <= MAX_LABELS
    if shown_names and len(data):
        texts = [
            ax.text(xi, yi, _literal(name), fontsize=7, zorder=6)
            for name, xi, yi in zip(data.index, x, y, strict=True)
        ]
        adjust_text(
            texts,
            x=x,
            y=y,
            objects=cut_labels or None,
            ax=ax,
            expand=(1.3, 1.7),
            force_text=(0.3, 0.6),
            force_static=(0.2, 0.4),
            arrowprops={"arrowstyle": "-", "color": "#888888", "lw": 0.5},
            time_lim=5,
        )
    ax.set_xlabel(labels["spread"])
    ax.set_ylabel(labels["score"])
    ax.legend(
        handles=[
            Patch(color=labels["advanced_color"], label=labels["advanced"]),
            Patch(color=labels["neutral_color"], label=f"not {labels['advanced']}"),
        ],
        loc="upper left",
        bbox_to_anchor=(1.01, 1),
        fontsize=8,
        frameon=False,
    )
    note = "" if shown_names or not annotate else f"\n({len(data)} districts: names not drawn)"
    basis = summary.attrs.get("basis", "")
    ax.set_title(
        _title(
            f"Strength and consistency of implementation ({basis} basis){note}",
            bool(summary.attrs.get("synthetic")),
        )
    )
    return fig


@boundary
def recent_progress(summary: pd.DataFrame | Panel, *, ax: Any = None) -> Figure:
    """Figure 5: each district's most recent overall score minus its average
    overall score, largest gain on top, gains in the top level's colour and
    losses in the bottom level's. Accepts a Panel or the result of
    ``ps.summarize``."""
    summary = _summary(summary, "recent_progress")
    labels = _labels_of(summary)
    s = summary["recent_progress"].dropna().sort_values(ascending=False, kind="stable")
    shown, left_out = _bounded(list(s.index))
    by_district = s.to_dict()
    values = np.array([np.nan if d is None else by_district[d] for d in shown])
    names = [f"… {left_out} not shown …" if d is None else _literal(d) for d in shown]
    fig, ax = _figure(ax, (8.0, max(4.0, 0.28 * len(shown) + 1.8)))
    y = np.arange(len(shown))[::-1]
    colors = np.where(values >= 0, labels["gain_color"], labels["loss_color"])
    ax.barh(y, np.nan_to_num(values), color=colors)
    ax.set_yticks(y, labels=names, fontsize=8)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_xlabel(labels["recent_progress"])
    ax.set_title(
        _title(
            "Recent progress" + _omitted_note(left_out, len(s)),
            bool(summary.attrs.get("synthetic")),
        )
    )
    return fig


@boundary
def component_ranking(
    panel: Panel | pd.DataFrame, *, basis: str | None = None, ax: Any = None
) -> Figure:
    """Figure 6: components sorted by their mean score across districts,
    bars coloured by the nearest scale level. Accepts a Panel or the result
    of ``ps.rank_components``."""
    if isinstance(panel, pd.DataFrame) and {"component", "mean_score"} <= set(panel.columns):
        r = panel
        synthetic = bool(r.attrs.get("synthetic"))
    else:
        p = _panel(panel, "component_ranking")
        r = rank_components(p, basis=basis)
        synthetic = p.synthetic
    labels = _labels_of(r)
    levels = list(labels["level_values"].values())
    fig, ax = _figure(ax, (8.0, 0.45 * len(r) + 1.5))
    y = np.arange(len(r))[::-1]
    means = r["mean_score"].to_numpy(dtype=float)
    ax.barh(y, np.nan_to_num(means), color=_band_colors(labels, means), edgecolor="#333333")
    ax.set_yticks(y, labels=[_literal(c) for c in r["component"]])
    for yi, v in zip(y, means, strict=True):
        if np.isfinite(v):
            ax.text(v + 0.03, yi, f"{v:.2f}", va="center", fontsize=8)
    ax.set_xlim(min(0.0, min(levels)), max(levels) * 1.08)
    ax.set_xlabel(f"mean score across districts ({r.attrs.get('basis', '')} basis)")
    ax.set_title(_title("Components by average rating", synthetic))
    return fig


@boundary
def rank_intervals(result: pd.DataFrame, *, ax: Any = None) -> Figure:
    """Each district's median rank (1 = highest score) with its 90% interval
    (5th to 95th percentile over the draws), best first."""
    result = _uncertainty(result, "rank_intervals")
    labels = _labels_of(result)
    r = result.dropna(subset=["rank_median"]).sort_values(["rank_median", "rank_p5"])
    shown, left_out = _bounded(list(r.index))
    fig, ax = _figure(ax, (8.0, max(4.0, 0.28 * len(shown) + 1.8)))
    y = np.arange(len(shown))[::-1]
    rows = [d for d in shown]
    lo = np.array([np.nan if d is None else r.loc[d, "rank_p5"] for d in rows])
    hi = np.array([np.nan if d is None else r.loc[d, "rank_p95"] for d in rows])
    mid = np.array([np.nan if d is None else r.loc[d, "rank_median"] for d in rows])
    ax.hlines(y, lo, hi, color=labels["neutral_color"], linewidth=2)
    ax.plot(mid, y, "o", color=labels["advanced_color"], zorder=3)
    names = [f"… {left_out} not shown …" if d is None else _literal(d) for d in rows]
    ax.set_yticks(y, labels=names, fontsize=8)
    ax.set_xlabel("rank (1 = highest score): median and 90% interval")
    ax.set_xlim(0.5, max(float(np.nanmax(r["rank_p95"])), 1.0) + 0.5)
    ax.set_title(
        _title(
            f"How sure is each rank?\n{_wrapped(result.attrs.get('sources', ''))}"
            + _omitted_note(left_out, len(r)),
            bool(result.attrs.get("synthetic")),
        ),
        fontsize=10,
    )
    return fig


@boundary
def classification_probability(result: pd.DataFrame, *, ax: Any = None) -> Figure:
    """Stacked probabilities of the four quadrants per district, most likely
    "strong and consistent" on top."""
    result = _uncertainty(result, "classification_probability")
    labels = _labels_of(result)
    columns = [c for c in result.columns if c.startswith("p_") and c != "p_advanced"]
    probs = result[columns]
    # grouped by the most likely quadrant (in the quadrants' order), most
    # certain first within each group
    likely = probs.to_numpy().argmax(axis=1)
    certainty = probs.to_numpy().max(axis=1)
    p = probs.iloc[np.lexsort((-certainty, likely))]
    shown, left_out = _bounded(list(p.index))
    fig, ax = _figure(ax, (9.0, max(4.0, 0.28 * len(shown) + 1.8)))
    y = np.arange(len(shown))[::-1]
    left = np.zeros(len(shown))
    for col, label, color in zip(
        columns, labels["quadrants"], labels["quadrant_colors"], strict=True
    ):
        width = np.array([0.0 if d is None else p.loc[d, col] for d in shown])
        ax.barh(y, width, left=left, color=color, label=label, edgecolor="white", linewidth=0.5)
        left += width
    names = [f"… {left_out} not shown …" if d is None else _literal(d) for d in shown]
    ax.set_yticks(y, labels=names, fontsize=8)
    ax.set_xlim(0, 1)
    ax.set_xlabel("probability over the draws")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8, frameon=False)
    ax.set_title(
        _title(
            f"How sure is each classification?\n{_wrapped(result.attrs.get('sources', ''))}"
            + _omitted_note(left_out, len(p)),
            bool(result.attrs.get("synthetic")),
        ),
        fontsize=10,
    )
    return fig


@boundary
def trajectories(
    panel: Panel | MixedPanel,
    *,
    districts: list[str] | None = None,
    stall_band: float | None = None,
) -> Figure:
    """Each district's overall score over time, one small panel per district
    (a shared scale), the snapshots as points, the least-squares trend as a
    dashed line, coloured and titled by the trajectory class of
    :func:`portfolio_snapshot.trends`. Districts are grouped by class
    (rising, stalled, declining, too few snapshots), steepest first; beyond
    :data:`MAX_FACETS`, the first are shown and the rest counted. A
    :class:`~portfolio_snapshot.MixedPanel` scores each snapshot on its own
    rubric version and marks the versions apart (legend below)."""
    mixed = panel if isinstance(panel, MixedPanel) else None
    if mixed is not None:
        # rated in its own version is rated, mapped to the target or not
        if not any(np.any(~np.isnan(p.ratings)) for p in mixed.parts):
            raise _core.InputError(
                "trajectories: the panel has nothing rated, so there is nothing to draw"
            )
    else:
        panel = _panel(panel, "trajectories")
    t = trends(panel, stall_band=stall_band)
    labels = _labels_of(t)
    if districts is not None:
        if isinstance(districts, str) or not all(isinstance(d, str) for d in districts):
            raise _core.InputError("districts must be a list of district names")
        if len(districts) == 0:
            raise _core.InputError("trajectories: districts is empty, so there is nothing to draw")
        twice = sorted({d for d in districts if list(districts).count(d) > 1})
        if twice:
            raise _core.InputError(f"trajectories: districts lists {twice[0]!r} more than once")
        unknown = [d for d in districts if d not in t.index]
        if unknown:
            raise _core.InputError(
                f"trajectories: no district named {unknown[0]!r} in the panel "
                f"({len(t)} districts: {', '.join(map(str, list(t.index)[:8]))}"
                f"{', ...' if len(t) > 8 else ''})"
            )
        order = list(districts)
    else:
        ranked = t.assign(_c=t["trajectory"].cat.codes, _s=-t["overall_slope"].abs())
        order = list(ranked.sort_values(["_c", "_s"], kind="stable").index)
    left_out = max(0, len(order) - MAX_FACETS)
    order = order[:MAX_FACETS]
    scored = score(panel)
    scores = scored["overall"]
    # a mixed panel: one marker per rubric version, named in a legend
    versions = scored["rubric"] if mixed is not None else None
    versions_in = mixed.rubric_ids if mixed is not None else []
    if len(versions_in) > len(_VERSION_MARKERS):
        raise _core.InputError(
            f"trajectories: {len(versions_in)} rubric versions, more than the "
            f"{len(_VERSION_MARKERS)} markers that tell them apart"
        )
    marks = dict(zip(versions_in, _VERSION_MARKERS, strict=False))
    levels = list(labels["level_values"].values())
    colors = dict(zip(labels["trajectories"], labels["trajectory_colors"], strict=True))
    n = max(1, len(order))
    cols = min(5, n)
    rows = -(-n // cols)
    fig = Figure(figsize=(2.3 * cols + 0.6, 1.9 * rows + 1.3), layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(rows, cols, sharex=True, sharey=True, squeeze=False)
    for ax in axes.flat[n:]:
        ax.set_visible(False)
    for ax, d in zip(axes.flat, order, strict=False):
        s = scores.xs(d, level="district")
        x = np.asarray(s.index.year + (s.index.month - 1) / 12.0, dtype=float)
        y = s.to_numpy(dtype=float)
        cls = str(t.loc[d, "trajectory"])
        slope = float(t["overall_slope"].loc[d])
        color = colors[cls]
        if versions is None:
            ax.plot(x, y, "o-", color=color, markersize=3, linewidth=1.2)
        else:
            ax.plot(x, y, "-", color=color, linewidth=1.2)
            used = versions.xs(d, level="district").to_numpy()
            for v, m in marks.items():
                on = used == v
                ax.plot(x[on], y[on], m, color=color, markersize=3.5,
                        markerfacecolor=color if m == "o" else "white")  # fmt: skip
        ok = ~np.isnan(y)
        if np.isfinite(slope) and ok.sum() >= 2:
            mx, my = x[ok].mean(), y[ok].mean()
            ends = np.array([x[ok].min(), x[ok].max()])
            ax.plot(ends, my + slope * (ends - mx), "--", color=color, linewidth=0.8)
        per_year = f"{slope:+.2f}/yr" if np.isfinite(slope) else "no slope"
        ax.set_title(f"{_literal(d)}\n{cls} ({per_year})", fontsize=8, color=color)
        ax.set_ylim(min(levels) - 0.1, max(levels) + 0.1)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=4))
        ax.tick_params(labelsize=7)
        ax.grid(alpha=0.3, linewidth=0.5)
    fig.supylabel(_literal(labels["score"]), fontsize=9)
    fig.supxlabel("snapshot date (year)", fontsize=9)
    note = f"\n({left_out} more districts not shown; pass districts= to choose)" if left_out else ""
    rule = (
        f"rising: slope >= {t.attrs['stall_band']:g} points a year; declining: <= "
        f"-{t.attrs['stall_band']:g}; too few: under {t.attrs['min_snapshots']} scored snapshots"
    )
    if mixed is not None:
        handles = [
            Line2D([], [], linestyle="", marker=m, color="0.3",
                   markerfacecolor="0.3" if m == "o" else "white", label=f"rated on {v}")
            for v, m in sorted(marks.items())
        ]  # fmt: skip
        fig.legend(handles=handles, loc="outside right upper", fontsize=8)
        rule += "\neach snapshot scored on its own rubric version"
    fig.suptitle(
        _title(f"Overall score over time\n{rule}{note}", panel.synthetic),
        fontsize=10,
    )
    return fig


@boundary
def profile(
    panel: Panel | pd.DataFrame,
    district: str | None = None,
    *,
    basis: str | None = None,
    ax: Any = None,
) -> Figure:
    """One district's element values (dots coloured by the nearest scale
    level) against the network: the interquartile range of every district's
    value as a grey bar and the median as a black tick, one row per element
    grouped by component; the weakest elements (largest shortfalls against
    the median) are named in bold and ringed. Accepts a Panel and a district,
    or the result of :func:`portfolio_snapshot.profile`."""
    if isinstance(panel, pd.DataFrame):
        p = _checked(
            panel,
            "profile",
            "ps.profile(panel, district)",
            ("element", "component", "value", "network_q1", "network_median", "network_q3",
             "weakest"),
            numeric=("value", "network_q1", "network_median", "network_q3"),
        )  # fmt: skip
        shown = p.attrs.get("district")
        if district is not None and district != shown:
            raise _core.InputError(
                f"profile: the DataFrame is the profile of {shown!r}, not of {district!r}"
            )
    else:
        if district is None:
            raise _core.InputError("profile draws one district: pass district=")
        p = _profile(_panel(panel, "profile"), district, basis=basis)
    labels = _labels_of(p)
    fig, ax = _figure(ax, (9.0, 0.24 * len(p) + 2.2))
    y = np.arange(len(p))[::-1]
    q1 = p["network_q1"].to_numpy(dtype=float)
    q3 = p["network_q3"].to_numpy(dtype=float)
    ax.barh(y, q3 - q1, left=q1, height=0.5, color="#d0d0d0", label="network interquartile range")
    ax.scatter(p["network_median"], y, marker="|", s=120, color="black", label="network median",
               zorder=3)  # fmt: skip
    values = p["value"].to_numpy(dtype=float)
    weak = p["weakest"].to_numpy(dtype=bool)
    district_label = _literal(p.attrs.get("district", "district"))
    ax.scatter(values, y, s=42, c=_band_colors(labels, values), edgecolors="#333333",
               linewidths=0.6, zorder=4, label=district_label)  # fmt: skip
    ax.scatter(values[weak], y[weak], s=150, facecolors="none", edgecolors=labels["loss_color"],
               linewidths=1.4, zorder=5, label="weakest against the network")  # fmt: skip
    names = [
        f"{_literal(e)}  {_literal(textwrap.shorten(str(t), 60))}"
        + (" (not rated)" if np.isnan(v) else "")
        for e, t, v in zip(p.index, p["element"], values, strict=True)
    ]
    ax.set_yticks(y, labels=names, fontsize=7)
    for tick, w in zip(ax.get_yticklabels(), weak, strict=True):
        if w:
            tick.set_fontweight("bold")
    # component boundaries
    comps = p["component"].tolist()
    for i in range(1, len(comps)):
        if comps[i] != comps[i - 1]:
            ax.axhline(y[i] + 0.5, color="#888888", linewidth=0.6)
    starts = [i for i in range(len(comps)) if i == 0 or comps[i] != comps[i - 1]]
    levels = list(labels["level_values"].values())
    for i in starts:
        ax.text(max(levels) + 0.15, y[i], _literal(comps[i]), fontsize=8, va="top",
                fontweight="bold", color="#444444")  # fmt: skip
    ax.set_xlim(min(levels) - 0.2, max(levels) + 1.2)
    ax.set_xticks(levels)
    ax.set_ylim(-0.7, len(p) - 0.3)
    ax.set_xlabel(f"rating ({p.attrs.get('basis', '')} basis)")
    handles, texts = ax.get_legend_handles_labels()
    # the district's dot in the legend: no one level's colour
    handles[texts.index(district_label)] = Line2D(
        [],
        [],
        marker="o",
        linestyle="",
        markerfacecolor="#bdbdbd",
        markeredgecolor="#333333",
        markersize=7,
    )
    ax.legend(handles, texts, loc="upper center", bbox_to_anchor=(0.5, -0.06), ncol=2, fontsize=8,
              frameon=False)  # fmt: skip
    ax.set_title(
        _title(
            f"{_literal(p.attrs.get('district', ''))} against the network",
            bool(p.attrs.get("synthetic")),
        ),
        fontsize=10,
    )
    return fig


@boundary
def reliability(result: pd.DataFrame | Panel, *, ax: Any = None) -> Figure:
    """Cronbach's alpha per component (bars; a component without an alpha
    is named with the reason), with the districts each rests on. Accepts a
    Panel or the result of :func:`portfolio_snapshot.cronbach_alpha`."""
    if isinstance(result, pd.DataFrame):
        r = _checked(
            result,
            "reliability",
            "ps.cronbach_alpha(panel)",
            ("component", "alpha", "n_districts", "reason"),
            numeric=("alpha",),
        )
    else:
        from ._reliability import cronbach_alpha

        r = cronbach_alpha(_panel(result, "reliability"))
    labels = _labels_of(r)
    fig, ax = _figure(ax, (8.0, 0.45 * len(r) + 1.8))
    y = np.arange(len(r))[::-1]
    alpha = r["alpha"].to_numpy(dtype=float)
    ax.barh(y, np.nan_to_num(alpha), color=labels["neutral_color"])
    names = [_literal(c) for c in r["component"]]
    ax.set_yticks(y, labels=names)
    for yi, a, n, why in zip(y, alpha, r["n_districts"], r["reason"], strict=True):
        text = f"{a:.2f} ({n} districts)" if np.isfinite(a) else f"no alpha: {why}"
        ax.text(max(0.0, a if np.isfinite(a) else 0.0) + 0.01, yi, text, va="center", fontsize=8)
    ax.axvline(0, color="black", linewidth=0.8)
    low = min(0.0, float(np.nanmin(alpha)) if np.isfinite(alpha).any() else 0.0)
    ax.set_xlim(low - 0.05, 1.35)
    ax.set_xlabel(
        f"Cronbach's alpha of the component's elements ({r.attrs.get('basis', '')} basis)"
    )
    ax.set_title(
        _title("Do a component's elements hang together?", bool(r.attrs.get("synthetic"))),
        fontsize=10,
    )
    return fig


@boundary
def sensitivity(result: pd.DataFrame | Panel) -> Figure:
    """Sobol indices of each source of uncertainty: the total index (pale
    bar, its interval as a line) and the first-order index (dark bar) on the
    districts' scores and ranks (means over districts), the number of
    advanced districts and the districts per quadrant (mean over the four).
    The title is the headline of :func:`portfolio_snapshot.sensitivity`.
    Accepts its result, or a Panel (run with the report's sources)."""
    if isinstance(result, pd.DataFrame):
        s = _checked(
            result,
            "sensitivity",
            "ps.sensitivity(panel)",
            ("first", "total", "total_low", "total_high"),
            levels=("output", "district", "source"),
            numeric=("first", "total", "total_low", "total_high"),
        )
        if "source_labels" not in s.attrs or "headline" not in s.attrs:
            raise _core.InputError(
                "sensitivity: this DataFrame has lost the attributes ps.sensitivity gave it "
                "(frame.attrs['source_labels'], ['headline']); pass the result itself"
            )
    else:
        from ._sensitivity import sensitivity as run

        s = run(_panel(result, "sensitivity"))
    labels = _labels_of(s)
    names = dict(s.attrs["source_labels"])
    sources = [str(x) for x in s.attrs["sources"]]
    outputs = s.index.get_level_values("output").astype(str)
    groups = [
        ("overall score\n(mean over districts)", outputs == "score"),
        ("rank\n(mean over districts)", outputs == "rank"),
        ("number of advanced\ndistricts", outputs == "n_advanced"),
        ("districts per quadrant\n(mean over the four)", outputs.str.startswith("n_")
         & (outputs != "n_advanced")),
    ]  # fmt: skip
    fig = Figure(figsize=(11.0, 0.5 * len(sources) + 2.2), layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(1, len(groups), sharey=True, squeeze=False)[0]
    y = np.arange(len(sources))[::-1]
    for ax, (title, rows) in zip(axes, groups, strict=True):
        part = s[np.asarray(rows)]
        by = part.groupby(level="source", observed=True)[
            ["first", "total", "total_low", "total_high"]
        ].mean()
        by = by.reindex(sources)
        total = by["total"].to_numpy(dtype=float)
        ax.barh(y, np.nan_to_num(total), color=labels["neutral_color"], alpha=0.45,
                label="total")  # fmt: skip
        ax.barh(y, np.nan_to_num(by["first"].to_numpy(dtype=float)), height=0.4,
                color=labels["advanced_color"], label="first order")  # fmt: skip
        ax.hlines(y, by["total_low"].to_numpy(dtype=float), by["total_high"].to_numpy(dtype=float),
                  color="black", linewidth=1.0)  # fmt: skip
        for yi, t in zip(y, total, strict=True):
            if not np.isfinite(t):
                ax.text(0.02, yi, "does not vary", va="center", fontsize=7, color="0.4")
        ax.axvline(0, color="black", linewidth=0.8)
        ax.set_xlim(-0.05, 1.1)
        ax.set_title(title, fontsize=9)
        ax.set_xlabel("Sobol index", fontsize=8)
        ax.tick_params(labelsize=8)
        ax.grid(axis="x", alpha=0.3, linewidth=0.5)
    axes[0].set_yticks(y, labels=[_literal(names.get(x, x)) for x in sources])
    axes[-1].legend(loc="lower right", fontsize=7)
    design = (
        f"{s.attrs.get('runs')} runs ({s.attrs.get('base_rows')} base rows); total-index "
        f"intervals at {float(s.attrs.get('level', 0.9)):.0%}"
    )
    fig.suptitle(
        _title(f"{_wrapped(s.attrs['headline'], 110)}\n{design}", bool(s.attrs.get("synthetic"))),
        fontsize=9,
    )
    return fig


@boundary
def rater_agreement(result: pd.DataFrame, *, ax: Any = None) -> Figure:
    """Krippendorff's alpha per component and overall, with its bootstrap
    interval. Accepts the result of :func:`portfolio_snapshot.rater_agreement`."""
    if not isinstance(result, pd.DataFrame):
        raise _core.InputError(
            "rater_agreement draws the DataFrame of ps.rater_agreement(...), "
            f"not a {type(result).__name__}"
        )
    _checked(
        result,
        "rater_agreement",
        "ps.rater_agreement(data)",
        ("name", "alpha", "low", "high"),
        levels=("scope", "id"),
        numeric=("alpha", "low", "high"),
    )
    if "raters" not in result.attrs:
        raise _core.InputError(
            "rater_agreement: this DataFrame has lost the attributes ps.rater_agreement gave it "
            "(frame.attrs['raters']); pass the result itself"
        )
    shown = result[result.index.get_level_values("scope") != "element"]
    if shown.empty:
        raise _core.InputError("rater_agreement: no component or overall rows to draw")
    fig, ax = _figure(ax, (8.0, 0.45 * len(shown) + 1.8))
    y = np.arange(len(shown))[::-1]
    a = shown["alpha"].to_numpy(dtype=float)
    lo = shown["low"].to_numpy(dtype=float)
    hi = shown["high"].to_numpy(dtype=float)
    err = np.vstack([np.nan_to_num(a - lo), np.nan_to_num(hi - a)])
    ax.errorbar(np.nan_to_num(a), y, xerr=err, fmt="o", color="#333333", capsize=3)
    ax.set_yticks(y, labels=[_literal(n) for n in shown["name"]])
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_xlim(min(-0.1, float(np.nanmin(lo)) - 0.05) if np.isfinite(lo).any() else -0.1, 1.05)
    ax.set_xlabel("Krippendorff's alpha, ordinal (1: full agreement, 0: chance)")
    ax.set_title(
        _title(
            f"Agreement of {len(result.attrs.get('raters', []))} raters\n"
            f"({_literal(result.attrs.get('interval', ''))})",
            bool(result.attrs.get("synthetic")),
        ),
        fontsize=10,
    )
    return fig


@boundary
def leave_one_out(result: pd.DataFrame | Panel, *, ax: Any = None) -> Figure:
    """For each element and component, how far the districts' ranks move
    when it is left out (mean absolute rank change, bars) and how many
    districts change class (quadrant or advanced flag, in the label); the 20
    most consequential, on top. Accepts a Panel or the result of
    :func:`portfolio_snapshot.leave_one_out`."""
    if isinstance(result, pd.DataFrame):
        r = _checked(
            result,
            "leave_one_out",
            "ps.leave_one_out(panel)",
            ("item", "rank_change", "class_changed"),
            levels=("kind", "item_id", "district"),
            numeric=("rank_change",),
        )
    else:
        from ._reliability import leave_one_out as _loo

        r = _loo(_panel(result, "leave_one_out"))
    from ._reliability import item_effects

    order = item_effects(r).sort_values(["changed", "moved"], ascending=False, kind="stable")
    shown = order.head(20)
    labels = _labels_of(r)
    fig, ax = _figure(ax, (8.0, 0.3 * len(shown) + 1.8))
    y = np.arange(len(shown))[::-1]
    colors = [
        labels["loss_color"] if kind == "component" else labels["neutral_color"]
        for kind, _ in shown.index
    ]
    ax.barh(y, shown["moved"].to_numpy(), color=colors)
    names = [
        f"{_literal(i)} {_literal(textwrap.shorten(str(t), 40))}"
        + (f" ({int(c)} change class)" if c else "")
        for (_, i), t, c in zip(shown.index, shown["item"], shown["changed"], strict=True)
    ]
    ax.set_yticks(y, labels=names, fontsize=8)
    ax.set_xlabel(
        "mean absolute change of the districts' ranks when it is left out\n"
        "(components in the bottom level's colour, elements in grey)"
    )
    n_changed = int((order["changed"] > 0).sum())
    ax.set_title(
        _title(
            "Which element or component do the conclusions hang on?\n"
            f"{n_changed} of {len(order)} items change any district's quadrant or advanced flag",
            bool(r.attrs.get("synthetic")),
        ),
        fontsize=10,
    )
    return fig
