"""The command-line report: tables as CSV, the four figures as PNG and one
self-contained ``report.html`` (figures embedded)."""

from __future__ import annotations

import base64
import html
import io
import os
from pathlib import Path

import pandas as pd

from ._analysis import rank_components, rank_elements, score, sticking_points, summarize
from ._panel import Panel
from ._uncertainty import uncertainty

_CSS = """
body { font-family: system-ui, sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em;
       color: #222; line-height: 1.45; }
h1 { font-size: 1.6em; } h2 { margin-top: 2em; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; font-size: 0.85em; margin: 0.5em 0 1em; }
th, td { padding: 0.25em 0.6em; border-bottom: 1px solid #eee; text-align: right; }
th { background: #f5f5f5; } td:first-child, th:first-child { text-align: left; }
img { max-width: 100%; border: 1px solid #eee; }
.synthetic { background: #fde0dd; border-left: 6px solid #b2182b; padding: 0.6em 1em; }
.note { color: #555; font-size: 0.9em; }
"""


def _png(fig: object) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110)  # type: ignore[attr-defined]
    return buf.getvalue()


def write_report(
    panel: Panel,
    out: str | os.PathLike[str],
    *,
    basis: str = "average",
    title: str | None = None,
    draws: int = 1000,
    rating_noise: float = 0.1,
    bootstrap_elements: bool = True,
    seed: int = 0,
) -> Path:
    """Write the report's tables, figures and ``report.html`` into ``out``.

    The uncertainty section runs :func:`portfolio_snapshot.uncertainty` with
    ``draws`` draws, ``rating_noise`` and ``bootstrap_elements`` (``draws=0``
    leaves it out). Returns the path of ``report.html``.
    """
    from . import plot  # matplotlib: only needed here

    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    summary = summarize(panel, basis=basis)
    tables = {
        "snapshot_scores": score(panel),
        "district_summary": summary.sort_values("score", ascending=False),
        "component_ranking": rank_components(panel, basis=basis),
        "element_ranking": rank_elements(panel, basis=basis),
    }
    for name, frame in tables.items():
        frame.to_csv(out_dir / f"{name}.csv")
    figures = {
        "heatmap": plot.heatmap(panel, basis=basis),
        "quadrants": plot.quadrants(summary),
        "recent_progress": plot.recent_progress(summary),
        "component_ranking": plot.component_ranking(panel, basis=basis),
    }
    robustness = None
    if draws > 0:
        robustness = uncertainty(
            panel,
            draws=draws,
            seed=seed,
            rating_noise=rating_noise,
            bootstrap_elements=bootstrap_elements,
            basis=basis,
        )
        robustness.to_csv(out_dir / "uncertainty.csv")
        tables["uncertainty"] = robustness
        figures["rank_intervals"] = plot.rank_intervals(robustness)
        figures["classification_probability"] = plot.classification_probability(robustness)
    images = {}
    for name, fig in figures.items():
        data = _png(fig)
        (out_dir / f"{name}.png").write_bytes(data)
        images[name] = base64.b64encode(data).decode("ascii")

    synthetic = panel.synthetic
    heading = title or (
        "Sticking Points analyses" + (" — synthetic demo data" if synthetic else "")
    )

    def img(name: str, alt: str) -> str:
        return f'<img alt="{html.escape(alt)}" src="data:image/png;base64,{images[name]}">'

    def table(frame: pd.DataFrame) -> str:
        return frame.to_html(float_format=lambda x: f"{x:.2f}", na_rep="n/a", border=0)

    n_adv = int(summary["advanced"].sum())
    counts = summary["quadrant"].value_counts().reindex(summary["quadrant"].cat.categories)
    shown = summary.sort_values("score", ascending=False)[
        [
            "score",
            "spread",
            "quadrant",
            "advanced",
            "recent_progress",
            "n_snapshots",
            "first_date",
            "last_date",
        ]
    ]
    banner = (
        f'<p class="synthetic"><b>Synthetic data.</b> {html.escape(panel.label or "")}: the '
        "districts and their snapshot counts follow the report's Figure 2, but every rating is "
        "invented by a seeded generator. Nothing here describes a real district.</p>"
        if synthetic
        else ""
    )
    uncertainty_section = ""
    if robustness is not None:
        sticking = robustness.attrs["p_sticking_point"]
        sticking_text = ", ".join(
            f"{html.escape(k)} {v:.0%}" for k, v in sorted(sticking.items(), key=lambda kv: -kv[1])
        )
        uncertainty_section = f"""
<h2>How sure are these conclusions?</h2>
<p class="note">{draws} Monte Carlo draws (seed {seed}): each rating moves one level with
probability {rating_noise:g} (half up, half down, clamped to the scale){
            ", and each district's elements are resampled within their components"
            if bootstrap_elements
            else ""
        }; the summaries are recomputed in every draw.</p>
{img("rank_intervals", "rank with 90% interval")}
{img("classification_probability", "quadrant probabilities")}
<p>Probability of being among the three lowest components: {sticking_text}.</p>
{table(robustness.round(3))}
"""
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(heading)}</title>
<style>{_CSS}</style></head><body>
<h1>{html.escape(heading)}</h1>
{banner}
<p>{panel.n_districts} districts, {panel.n_snapshots} snapshots from {panel.dates.min()} to
{panel.dates.max()}, rubric <code>{html.escape(panel.rubric.id)}</code>. Basis: <b>{basis}</b>.
{n_adv} districts are <i>advanced</i> (more than half of the components banded 4, "in progress", or
better). Cuts: score {summary.attrs["y_cut"]:.2f} (scale midpoint), spread
{summary.attrs["x_cut"]:.3f} (mean of the districts).</p>
<p>{", ".join(f"{html.escape(str(k))}: {int(v)}" for k, v in counts.items())}.</p>

<h2>Figure 3. Implementation by element</h2>
{img("heatmap", "heatmap of districts by elements")}
<h2>Figure 4. Strong or weaker, consistent or piecemeal</h2>
{img("quadrants", "score against spread")}
{table(shown)}
<h2>Figure 5. Recent progress</h2>
<p class="note">Most recent overall score minus the district's average overall score over all its
snapshots.</p>
{img("recent_progress", "recent progress by district")}
<h2>Figure 6. Components by average rating</h2>
{img("component_ranking", "components ranked")}
{table(tables["component_ranking"])}
<h2>Sticking points: the five lowest elements</h2>
{table(sticking_points(panel, 5, basis=basis))}
{uncertainty_section}
<h2>Method</h2>
<p class="note">Component score: mean of the component's rated elements. Overall score: mean of the
component scores (not the mean of all elements). Spread: population variance of the element
ratings. Missing ratings are skipped. Tables are also written as CSV beside this page:
{", ".join(f"<code>{n}.csv</code>" for n in tables)}.</p>
</body></html>
"""
    path = out_dir / "report.html"
    path.write_text(page, encoding="utf-8")
    return path
