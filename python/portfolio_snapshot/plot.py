"""The report's figures as matplotlib Figures (matplotlib is an optional extra,
imported only by this module).

- :func:`heatmap` - Figure 3: districts x elements, coloured by the scale.
- :func:`quadrants` - Figure 4: score against spread, with the cuts.
- :func:`recent_progress` - Figure 5: latest score minus the average.
- :func:`component_ranking` - Figure 6: components by mean score.
- :func:`rank_intervals`, :func:`classification_probability` - the
  uncertainty of :func:`portfolio_snapshot.uncertainty`.

Every function returns the Figure (or draws on ``ax`` when given). Figures
of the synthetic demo panel say "synthetic data" in their titles.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ._analysis import rank_components, summarize
from ._panel import Panel

try:
    from matplotlib.colors import BoundaryNorm, ListedColormap
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch
except ImportError as e:  # pragma: no cover - depends on the environment
    raise ImportError(
        "portfolio_snapshot.plot needs matplotlib: pip install 'portfolio-snapshot[plot]'"
    ) from e

__all__ = [
    "classification_probability",
    "component_ranking",
    "heatmap",
    "quadrants",
    "rank_intervals",
    "recent_progress",
]

_QUADRANT_COLORS = ["#1a9850", "#91cf60", "#fc8d59", "#d73027"]

_MISSING = "#d9d9d9"


def _title(text: str, synthetic: bool) -> str:
    return f"{text}\n(synthetic data)" if synthetic else text


def _figure(ax: Any, size: tuple[float, float]) -> tuple[Figure, Any]:
    if ax is not None:
        return ax.figure, ax
    fig = Figure(figsize=size, layout="constrained")
    return fig, fig.add_subplot()


def _scale(panel: Panel) -> pd.DataFrame:
    return panel.rubric.scale


def _band_colors(scale: pd.DataFrame, values: np.ndarray) -> list[str]:
    levels = scale["value"].to_numpy()
    colors = scale["color"].tolist()
    out = []
    for v in values:
        if np.isnan(v):
            out.append(_MISSING)
            continue
        # nearest level, halfway goes up (as the library bands scores)
        i = int(np.searchsorted((levels[:-1] + levels[1:]) / 2, v, side="right"))
        out.append(colors[i])
    return out


def _legend(scale: pd.DataFrame) -> list[Patch]:
    return [
        Patch(color=c, label=f"{v:g}" + (f" {lab}" if isinstance(lab, str) else ""))
        for v, lab, c in zip(scale["value"], scale["label"], scale["color"], strict=True)
    ]


def heatmap(panel: Panel, *, basis: str = "average", ax: Any = None) -> Figure:
    """Figure 3: one row per district (highest overall score on top), one
    column per element, each cell coloured by the scale level nearest to the
    district's rating on ``basis`` (grey: not rated)."""
    rubric = panel.rubric
    scale = _scale(panel)
    summary = summarize(panel, basis=basis)
    order = summary["score"].sort_values(ascending=False, na_position="last").index
    values = pd.DataFrame(
        panel._core.basis_ratings(basis), index=panel.district_names, columns=rubric.element_ids
    ).loc[order]
    levels = scale["value"].to_numpy()
    bounds = np.concatenate([[levels[0] - 1e9], (levels[:-1] + levels[1:]) / 2, [levels[-1] + 1e9]])
    cmap = ListedColormap(scale["color"].tolist()).with_extremes(bad=_MISSING)
    norm = BoundaryNorm(bounds, cmap.N)
    n_d, n_e = values.shape
    fig, ax = _figure(ax, (max(8.0, 0.28 * n_e + 3), max(4.0, 0.3 * n_d + 2)))
    ax.imshow(
        np.ma.masked_invalid(values.to_numpy()),
        cmap=cmap,
        norm=norm,
        aspect="auto",
        interpolation="nearest",
    )
    ax.set_yticks(range(n_d), labels=list(values.index), fontsize=8)
    ax.set_xticks(range(n_e), labels=list(values.columns), fontsize=7, rotation=90)
    start = 0
    for _, comp in rubric.components.iterrows():
        end = start + int(comp["n_elements"])
        if end < n_e:
            ax.axvline(end - 0.5, color="white", linewidth=2)
        ax.text(
            (start + end - 1) / 2, -0.8, comp["short_name"], ha="center", va="bottom", fontsize=8
        )
        start = end
    ax.set_xlabel("element")
    ax.legend(
        handles=_legend(scale),
        loc="upper left",
        bbox_to_anchor=(1.01, 1),
        fontsize=8,
        title="level",
        frameon=False,
    )
    ax.set_title(_title(f"Implementation by element ({basis} basis)", panel.synthetic), pad=22)
    return fig


def quadrants(summary: pd.DataFrame, *, ax: Any = None, annotate: bool = True) -> Figure:
    """Figure 4: overall score (y) against spread (x) for each district, the
    two cuts as lines, and the four quadrants labelled."""
    fig, ax = _figure(ax, (9.0, 6.5))
    x, y = summary["spread"], summary["score"]
    x_cut, y_cut = summary.attrs.get("x_cut"), summary.attrs.get("y_cut")
    colors = np.where(summary["advanced"], "#1a9850", "#4d4d4d")
    ax.scatter(x, y, c=colors, s=36, zorder=3)
    if annotate:
        for name, xi, yi in zip(summary.index, x, y, strict=True):
            ax.annotate(str(name), (xi, yi), xytext=(4, 3), textcoords="offset points", fontsize=7)
    if x_cut is not None and y_cut is not None:
        ax.axvline(x_cut, color="#999999", linestyle="--", linewidth=1)
        ax.axhline(y_cut, color="#999999", linestyle="--", linewidth=1)
        corners = [
            ("strong and consistent", 0.02, 0.98, "left", "top"),
            ("strong but piecemeal", 0.98, 0.98, "right", "top"),
            ("weaker and consistent", 0.02, 0.02, "left", "bottom"),
            ("weaker and piecemeal", 0.98, 0.02, "right", "bottom"),
        ]
        for label, cx, cy, ha, va in corners:
            ax.text(
                cx,
                cy,
                label,
                transform=ax.transAxes,
                ha=ha,
                va=va,
                fontsize=9,
                color="#666666",
                style="italic",
            )
    ax.margins(x=0.1, y=0.14)  # room for the corner labels
    ax.set_xlabel("spread (population variance of element ratings)")
    ax.set_ylabel("overall score (mean of component means)")
    ax.legend(
        handles=[
            Patch(color="#1a9850", label="advanced"),
            Patch(color="#4d4d4d", label="not advanced"),
        ],
        loc="lower center",
        fontsize=8,
        frameon=False,
    )
    basis = summary.attrs.get("basis", "average")
    ax.set_title(
        _title(
            f"Strength and consistency of implementation ({basis} basis)",
            bool(summary.attrs.get("synthetic")),
        )
    )
    return fig


def recent_progress(summary: pd.DataFrame, *, ax: Any = None) -> Figure:
    """Figure 5: each district's most recent overall score minus its average
    overall score, sorted, gains green and losses red."""
    s = summary["recent_progress"].sort_values()
    fig, ax = _figure(ax, (8.0, max(4.0, 0.28 * len(s) + 1.5)))
    ax.barh(range(len(s)), s.to_numpy(), color=np.where(s.to_numpy() >= 0, "#1a9850", "#d73027"))
    ax.set_yticks(range(len(s)), labels=list(s.index), fontsize=8)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_xlabel("most recent score minus average score over time")
    ax.set_title(_title("Recent progress", bool(summary.attrs.get("synthetic"))))
    return fig


def component_ranking(panel: Panel, *, basis: str = "average", ax: Any = None) -> Figure:
    """Figure 6: components sorted by their mean score across districts,
    bars coloured by the nearest scale level."""
    r = rank_components(panel, basis=basis)
    fig, ax = _figure(ax, (8.0, 4.5))
    y = np.arange(len(r))[::-1]
    ax.barh(
        y,
        r["mean_score"],
        color=_band_colors(_scale(panel), r["mean_score"].to_numpy()),
        edgecolor="#333333",
    )
    ax.set_yticks(y, labels=list(r["component"]))
    for yi, v in zip(y, r["mean_score"], strict=True):
        ax.text(v + 0.03, yi, f"{v:.2f}", va="center", fontsize=8)
    scale = _scale(panel)
    ax.set_xlim(0, float(scale["value"].max()) + 0.4)
    ax.set_xlabel(f"mean score across districts ({basis} basis)")
    ax.set_title(_title("Components by average rating", panel.synthetic))
    return fig


def _sources(result: pd.DataFrame) -> str:
    src = result.attrs.get("sources", {})
    on = [k.replace("_", " ") for k, v in src.items() if v not in (None, False, 0, 0.0)]
    return f"{result.attrs.get('draws', '?')} draws; " + (", ".join(on) if on else "no sources")


def rank_intervals(result: pd.DataFrame, *, ax: Any = None) -> Figure:
    """Each district's median rank (1 = highest score) with its 90% interval
    (5th to 95th percentile over the draws), best first."""
    r = result.sort_values(["rank_median", "rank_p5"], ascending=True)
    fig, ax = _figure(ax, (8.0, max(4.0, 0.28 * len(r) + 1.5)))
    y = np.arange(len(r))[::-1]
    ax.hlines(y, r["rank_p5"], r["rank_p95"], color="#4d4d4d", linewidth=2)
    ax.plot(r["rank_median"], y, "o", color="#1a9850", zorder=3)
    ax.set_yticks(y, labels=list(r.index), fontsize=8)
    ax.set_xlabel("rank (1 = highest score): median and 90% interval")
    ax.set_xlim(0.5, max(float(np.nanmax(r["rank_p95"])), 1.0) + 0.5)
    ax.set_title(
        _title(f"How sure is each rank?\n{_sources(result)}", bool(result.attrs.get("synthetic"))),
        fontsize=10,
    )
    return fig


def classification_probability(result: pd.DataFrame, *, ax: Any = None) -> Figure:
    """Stacked probabilities of the four quadrants per district, ordered by
    the probability of "strong and consistent"."""
    from ._analysis import QUADRANTS
    from ._uncertainty import QUADRANT_COLUMNS

    p = result[QUADRANT_COLUMNS].sort_values(QUADRANT_COLUMNS, ascending=True)
    fig, ax = _figure(ax, (9.0, max(4.0, 0.28 * len(p) + 1.5)))
    y = np.arange(len(p))
    left = np.zeros(len(p))
    for col, label, color in zip(QUADRANT_COLUMNS, QUADRANTS, _QUADRANT_COLORS, strict=True):
        ax.barh(y, p[col], left=left, color=color, label=label, edgecolor="white", linewidth=0.5)
        left += p[col].to_numpy()
    ax.set_yticks(y, labels=list(p.index), fontsize=8)
    ax.set_xlim(0, 1)
    ax.set_xlabel("probability over the draws")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8, frameon=False)
    ax.set_title(
        _title(
            f"How sure is each classification?\n{_sources(result)}",
            bool(result.attrs.get("synthetic")),
        ),
        fontsize=10,
    )
    return fig
