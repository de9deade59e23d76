"""The report's figures as matplotlib Figures (matplotlib is an optional extra,
imported only by this module).

- :func:`heatmap` - Figure 3: districts x elements, coloured by the scale.
- :func:`quadrants` - Figure 4: score against spread, with the cuts.
- :func:`recent_progress` - Figure 5: latest score minus the average.
- :func:`component_ranking` - Figure 6: components by mean score.
- :func:`rank_intervals`, :func:`classification_probability` - the
  uncertainty of :func:`portfolio_snapshot.uncertainty`.

Every function returns the Figure (or draws on ``ax`` when given). Labels,
colours and the words for every rule come from the core and the rubric in
use; names from the data are drawn literally (a ``$`` is a dollar sign, not
mathematics). Figures of synthetic data say so in their titles.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from . import _core
from ._analysis import _core_panel, rank_components, summarize
from ._errors import boundary
from ._panel import Panel
from ._rubric import Rubric

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


def _literal(text: object) -> str:
    """Text from the data, drawn as it is: ``$`` never starts mathematics,
    and control characters (a tab, a line break) show as their escapes."""
    shown = "".join(
        ch.encode("unicode_escape").decode("ascii") if ch.isprintable() is False else ch
        for ch in str(text)
    )
    return shown.replace("$", r"\$")


def _title(text: str, synthetic: bool) -> str:
    return f"{text}\n(synthetic data)" if synthetic else text


def _figure(ax: Any, size: tuple[float, float]) -> tuple[Figure, Any]:
    if ax is not None:
        if not hasattr(ax, "figure") or not hasattr(ax, "plot"):
            raise _core.InputError(f"ax must be a matplotlib Axes, not {type(ax).__name__}")
        return ax.figure, ax
    fig = Figure(figsize=size, layout="constrained")
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


def _labels(rubric: Rubric, aggregation: object = None) -> dict[str, Any]:
    return dict(rubric.labels(aggregation if isinstance(aggregation, str) else None))


def _band_colors(rubric: Rubric, values: np.ndarray, missing: str) -> list[str]:
    scale = rubric.scale
    color_of = dict(zip(scale["value"], scale["color"], strict=True))
    return [missing if b is None else color_of[b] for b in rubric._core.bands(values.tolist())]


def _legend(rubric: Rubric) -> list[Patch]:
    scale = rubric.scale
    return [
        Patch(color=c, label=_literal(f"{v:g}" + (f" {lab}" if isinstance(lab, str) else "")))
        for v, lab, c in zip(scale["value"], scale["label"], scale["color"], strict=True)
    ]


@boundary
def heatmap(panel: Panel, *, basis: str | None = None, ax: Any = None) -> Figure:
    """Figure 3: one row per district (highest overall score on top), one
    column per element, each cell coloured by the scale level nearest to the
    district's rating on ``basis`` (grey: not rated)."""
    panel = _panel(panel, "heatmap")
    rubric = panel.rubric
    labels = _labels(rubric)
    summary = summarize(panel, basis=basis)
    basis_name = summary.attrs["basis"]
    order = summary["score"].sort_values(ascending=False, na_position="last", kind="stable").index
    values = pd.DataFrame(
        _core.basis_ratings(_core_panel(panel), basis=basis_name),
        index=panel.district_names,
        columns=rubric.element_ids,
    ).loc[order]
    scale = rubric.scale
    levels = scale["value"].to_numpy()
    bounds = np.concatenate([[-np.inf], (levels[:-1] + levels[1:]) / 2, [np.inf]])
    cmap = ListedColormap(scale["color"].tolist()).with_extremes(bad=labels["not_rated_color"])
    norm = BoundaryNorm(bounds, cmap.N)
    n_d, n_e = values.shape
    fig, ax = _figure(ax, (max(8.0, 0.28 * n_e + 3), max(4.0, 0.3 * n_d + 2.5)))
    ax.imshow(
        np.ma.masked_invalid(values.to_numpy()),
        cmap=cmap,
        norm=norm,
        aspect="auto",
        interpolation="nearest",
    )
    ax.set_yticks(range(n_d), labels=[_literal(d) for d in values.index], fontsize=8)
    ax.set_xticks(range(n_e), labels=[_literal(e) for e in values.columns], fontsize=7, rotation=90)
    components = rubric.components
    top = ax.secondary_xaxis("top")
    centres, names = [], []
    start = 0
    for _, comp in components.iterrows():
        end = start + int(comp["n_elements"])
        if end < n_e:
            ax.axvline(end - 0.5, color="white", linewidth=2)
        centres.append((start + end - 1) / 2)
        names.append(_literal(comp["short_name"]))
        start = end
    top.set_xticks(centres, labels=names, fontsize=8)
    top.tick_params(length=0)
    ax.set_xlabel("element")
    ax.legend(
        handles=_legend(rubric),
        loc="upper left",
        bbox_to_anchor=(1.01, 1),
        fontsize=8,
        title="level",
        frameon=False,
    )
    ax.set_title(_title(f"Implementation by element ({basis_name} basis)", panel.synthetic))
    return fig


@boundary
def quadrants(summary: pd.DataFrame | Panel, *, ax: Any = None, annotate: bool = True) -> Figure:
    """Figure 4: overall score (y) against spread (x) for each district, the
    two cuts as lines labelled with their value and rule, and the four
    quadrants labelled. Accepts a Panel or the result of ``ps.summarize``."""
    summary = _summary(summary, "quadrants")
    labels = _labels_of(summary)
    fig, ax = _figure(ax, (9.0, 6.5))
    x, y = summary["spread"], summary["score"]
    colors = np.where(summary["advanced"], labels["advanced_color"], labels["neutral_color"])
    ax.scatter(x, y, c=colors, s=36, zorder=3)
    if annotate:
        for name, xi, yi in zip(summary.index, x, y, strict=True):
            if np.isfinite(xi) and np.isfinite(yi):
                ax.annotate(
                    _literal(name), (xi, yi), xytext=(4, 3), textcoords="offset points", fontsize=7
                )
    x_cut, y_cut = summary.attrs.get("x_cut"), summary.attrs.get("y_cut")
    description = summary.attrs.get("description", {})
    if isinstance(x_cut, float) and isinstance(y_cut, float):
        ax.axvline(x_cut, color="#999999", linestyle="--", linewidth=1)
        ax.axhline(y_cut, color="#999999", linestyle="--", linewidth=1)
        for key, pos, ha, rot in (
            ("y_cut", (0.995, y_cut), "right", 0),
            ("x_cut", (x_cut, 0.0), "left", 90),
        ):
            text = description.get(key)
            if text:
                trans = ax.get_yaxis_transform() if key == "y_cut" else ax.get_xaxis_transform()
                ax.text(
                    *pos,
                    _literal(text),
                    transform=trans,
                    ha=ha,
                    va="bottom",
                    fontsize=7,
                    color="#555555",
                    rotation=rot,
                )
        corners = [(0.02, 0.98, "left", "top"), (0.98, 0.98, "right", "top"),
                   (0.02, 0.02, "left", "bottom"), (0.98, 0.02, "right", "bottom")]  # fmt: skip
        for label, (cx, cy, ha, va) in zip(labels["quadrants"], corners, strict=True):
            ax.text(
                cx, cy, label, transform=ax.transAxes, ha=ha, va=va, fontsize=9,
                color="#666666", style="italic",
            )  # fmt: skip
    ax.margins(x=0.1, y=0.14)  # room for the corner labels
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
    basis = summary.attrs.get("basis", "")
    ax.set_title(
        _title(
            f"Strength and consistency of implementation ({basis} basis)",
            bool(summary.attrs.get("synthetic")),
        )
    )
    return fig


@boundary
def recent_progress(summary: pd.DataFrame | Panel, *, ax: Any = None) -> Figure:
    """Figure 5: each district's most recent overall score minus its average
    overall score, sorted, gains in the top level's colour and losses in the
    bottom level's. Accepts a Panel or the result of ``ps.summarize``."""
    summary = _summary(summary, "recent_progress")
    labels = _labels_of(summary)
    up, down = labels["gain_color"], labels["loss_color"]
    s = summary["recent_progress"].dropna().sort_values()
    fig, ax = _figure(ax, (8.0, max(4.0, 0.28 * len(s) + 1.5)))
    ax.barh(range(len(s)), s.to_numpy(), color=np.where(s.to_numpy() >= 0, up, down))
    ax.set_yticks(range(len(s)), labels=[_literal(d) for d in s.index], fontsize=8)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_xlabel(labels["recent_progress"])
    ax.set_title(_title("Recent progress", bool(summary.attrs.get("synthetic"))))
    return fig


@boundary
def component_ranking(panel: Panel, *, basis: str | None = None, ax: Any = None) -> Figure:
    """Figure 6: components sorted by their mean score across districts,
    bars coloured by the nearest scale level."""
    panel = _panel(panel, "component_ranking")
    rubric = panel.rubric
    labels = _labels(rubric)
    r = rank_components(panel, basis=basis)
    fig, ax = _figure(ax, (8.0, 4.5))
    y = np.arange(len(r))[::-1]
    means = r["mean_score"].to_numpy()
    ax.barh(
        y,
        np.nan_to_num(means),
        color=_band_colors(rubric, means, labels["not_rated_color"]),
        edgecolor="#333333",
    )
    ax.set_yticks(y, labels=[_literal(c) for c in r["component"]])
    for yi, v in zip(y, means, strict=True):
        if np.isfinite(v):
            ax.text(v + 0.03, yi, f"{v:.2f}", va="center", fontsize=8)
    scale = rubric.scale
    ax.set_xlim(min(0.0, float(scale["value"].min())), float(scale["value"].max()) * 1.08)
    ax.set_xlabel(f"mean score across districts ({r.attrs['basis']} basis)")
    ax.set_title(_title("Components by average rating", panel.synthetic))
    return fig


@boundary
def rank_intervals(result: pd.DataFrame, *, ax: Any = None) -> Figure:
    """Each district's median rank (1 = highest score) with its 90% interval
    (5th to 95th percentile over the draws), best first."""
    result = _uncertainty(result, "rank_intervals")
    labels = _labels_of(result)
    r = result.dropna(subset=["rank_median"]).sort_values(["rank_median", "rank_p5"])
    fig, ax = _figure(ax, (8.0, max(4.0, 0.28 * len(r) + 1.5)))
    y = np.arange(len(r))[::-1]
    ax.hlines(y, r["rank_p5"], r["rank_p95"], color=labels["neutral_color"], linewidth=2)
    ax.plot(r["rank_median"], y, "o", color=labels["advanced_color"], zorder=3)
    ax.set_yticks(y, labels=[_literal(d) for d in r.index], fontsize=8)
    ax.set_xlabel("rank (1 = highest score): median and 90% interval")
    ax.set_xlim(0.5, max(float(np.nanmax(r["rank_p95"])) if len(r) else 1.0, 1.0) + 0.5)
    ax.set_title(
        _title(
            f"How sure is each rank?\n{_literal(result.attrs.get('sources', ''))}",
            bool(result.attrs.get("synthetic")),
        ),
        fontsize=10,
    )
    return fig


@boundary
def classification_probability(result: pd.DataFrame, *, ax: Any = None) -> Figure:
    """Stacked probabilities of the four quadrants per district, ordered by
    the probability of the first quadrant."""
    result = _uncertainty(result, "classification_probability")
    labels = _labels_of(result)
    columns = [c for c in result.columns if c.startswith("p_") and c != "p_advanced"]
    p = result[columns].sort_values(columns, ascending=True)
    fig, ax = _figure(ax, (9.0, max(4.0, 0.28 * len(p) + 1.5)))
    y = np.arange(len(p))
    left = np.zeros(len(p))
    for col, label, color in zip(
        columns, labels["quadrants"], labels["quadrant_colors"], strict=True
    ):
        ax.barh(y, p[col], left=left, color=color, label=label, edgecolor="white", linewidth=0.5)
        left += p[col].to_numpy()
    ax.set_yticks(y, labels=[_literal(d) for d in p.index], fontsize=8)
    ax.set_xlim(0, 1)
    ax.set_xlabel("probability over the draws")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8, frameon=False)
    ax.set_title(
        _title(
            f"How sure is each classification?\n{_literal(result.attrs.get('sources', ''))}",
            bool(result.attrs.get("synthetic")),
        ),
        fontsize=10,
    )
    return fig
