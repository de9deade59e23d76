"""The command-line report: tables as CSV (and, optionally, one Excel
workbook), the figures as PNG and one self-contained ``report.html``
(figures embedded, a table of contents, every option in force stated).

Every sentence about a rule comes from the core (``frame.attrs``), in the
words of the rubric in use. Files are written without following symbolic
links, and text cells of the CSV files that a spreadsheet would run as a
formula are escaped (see :func:`spreadsheet_safe`).
"""

from __future__ import annotations

import base64
import errno
import html
import io
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from . import _core
from ._analysis import (
    rank_components,
    rank_elements,
    report_findings,
    score,
    sticking_points,
    summarize,
)
from ._district import path_to_advanced, profile
from ._mixed import MixedPanel
from ._panel import Panel
from ._progress import Progress
from ._reliability import cronbach_alpha, item_effects, leave_one_out
from ._sensitivity import sensitivity
from ._trends import compare, trends
from ._uncertainty import uncertainty

_CSS = """
body { font-family: system-ui, sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em;
       color: #222; line-height: 1.45; }
h1 { font-size: 1.6em; } h2 { margin-top: 2em; border-bottom: 1px solid #ddd; }
.table { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; font-size: 0.85em; margin: 0.5em 0 1em; }
th, td { padding: 0.25em 0.6em; border-bottom: 1px solid #eee; text-align: left;
         vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num { white-space: nowrap; }
th { background: #f5f5f5; }
img { max-width: 100%; height: auto; border: 1px solid #eee; }
.synthetic { background: #fde0dd; border-left: 6px solid #b2182b; padding: 0.6em 1em; }
.note { color: #555; font-size: 0.9em; }
nav ol { columns: 2; }
"""

#: Characters that make a spreadsheet read a text cell as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

#: The analysis options every analysis of the report takes (None: the default).
ANALYSIS_OPTIONS = (
    "missing",
    "aggregation",
    "weights",
    "y_cut",
    "x_cut",
    "advanced_level",
    "advanced_share",
)


def spreadsheet_safe(value: object) -> object:
    """A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
    carriage return gets a leading apostrophe, so that a spreadsheet shows it
    as text instead of running it as a formula. Numbers are left alone."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The table with every text cell, column name and index label escaped."""
    out = frame.copy()
    out.columns = pd.Index([spreadsheet_safe(c) for c in out.columns])
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(spreadsheet_safe)
    if isinstance(out.index, pd.MultiIndex):
        out.index = pd.MultiIndex.from_tuples(
            [tuple(spreadsheet_safe(v) for v in t) for t in out.index],
            names=[spreadsheet_safe(n) for n in out.index.names],
        )
    else:
        out.index = pd.Index(
            [spreadsheet_safe(v) for v in out.index], name=spreadsheet_safe(out.index.name)
        )
    return out


def _write(path: Path, data: bytes) -> None:
    """Write a file, refusing to follow a symbolic link found in its place."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags, 0o644)
    except OSError as e:
        if e.errno == errno.ELOOP or path.is_symlink():
            raise _core.InputError(
                f"refusing to write {path}: it is a symbolic link (remove it, or choose "
                "another --out)"
            ) from e
        raise _core.InputError(f"cannot write {path}: {e.strerror}") from e
    with os.fdopen(fd, "wb") as f:
        f.write(data)


def _out_dir(out: str | os.PathLike[str]) -> Path:
    out_dir = Path(out)
    if out_dir.is_symlink():
        raise _core.InputError(
            f"refusing to write into {out_dir}: it is a symbolic link; give the real directory"
        )
    if out_dir.exists() and not out_dir.is_dir():
        raise _core.InputError(f"cannot write the report into {out_dir}: it is not a directory")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise _core.InputError(f"cannot create {out_dir}: {e.strerror}") from e
    return out_dir


def _png(fig: Any) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110)
    return buf.getvalue()


def _cell(value: object) -> tuple[str, bool]:
    """A table cell as HTML and whether it is a number."""
    if isinstance(value, bool):
        return ("yes" if value else "no"), False
    if isinstance(value, (int, float)):
        if isinstance(value, float) and value != value:
            return "n/a", True
        return (f"{value:.2f}" if isinstance(value, float) else str(value)), True
    if value is None or value is pd.NaT:
        return "n/a", False
    return html.escape(str(value)), False


def _table(frame: pd.DataFrame) -> str:
    """An HTML table: numbers right-aligned, text left-aligned, every text
    escaped; wide tables scroll inside their box instead of the page."""
    names = [n if n is not None else "" for n in frame.index.names]

    def label(name: object) -> str:
        # long snake_case headers may wrap after an underscore
        return html.escape(str(name)).replace("_", "_<wbr>")

    head = "".join(f"<th>{label(n)}</th>" for n in names)
    numeric = [
        pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])
        for c in frame.columns
    ]
    head += "".join(
        f'<th class="num">{label(c)}</th>' if num else f"<th>{label(c)}</th>"
        for c, num in zip(frame.columns, numeric, strict=True)
    )
    body = []
    for idx, row in zip(frame.index, frame.itertuples(index=False), strict=True):
        keys = idx if isinstance(idx, tuple) else (idx,)
        cells = "".join(f"<td>{_cell(k)[0]}</td>" for k in keys)
        for value in row:
            text, is_num = _cell(value.item() if hasattr(value, "item") else value)
            cells += f'<td class="num">{text}</td>' if is_num else f"<td>{text}</td>"
        body.append(f"<tr>{cells}</tr>")
    return (
        f'<div class="table"><table><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


@dataclass
class Analyses:
    """Everything the report shows, computed once."""

    summary: pd.DataFrame
    tables: dict[str, pd.DataFrame]
    figures: dict[str, Any]
    robustness: pd.DataFrame | None
    findings: pd.DataFrame | None
    stated: list[str] = field(default_factory=list)


def _option_groups(
    options: dict[str, Any],
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """The options given (None left out), and of them those of scoring
    (missing, aggregation, weights) and of the advanced rule."""
    given = {k: v for k, v in options.items() if v is not None}
    scoring: dict[str, Any] = {
        k: given[k] for k in ("missing", "aggregation", "weights") if k in given
    }
    rule: dict[str, Any] = {k: given[k] for k in ("advanced_level", "advanced_share") if k in given}
    return given, scoring, rule


def analyses(
    panel: Panel | MixedPanel,
    *,
    basis: str | None = None,
    draws: int | None = None,
    rating_noise: float | None = None,
    bootstrap_elements: bool | None = None,
    seed: int | None = None,
    progress: Progress = None,
    **options: Any,
) -> Analyses:
    """Run every analysis of the report with the options given (``None``:
    the core's default) and draw its figures."""
    from . import plot  # matplotlib: only needed here

    # a panel mixing rubric versions: scores over time on each snapshot's
    # own version, everything that averages elements on the target's
    over_time: Panel | MixedPanel = panel
    if isinstance(panel, MixedPanel):
        panel = panel.translated
    if not isinstance(panel, Panel):
        raise _core.InputError(
            f"the report needs a Panel or a MixedPanel, not {type(panel).__name__}"
        )
    unknown = set(options) - set(ANALYSIS_OPTIONS)
    if unknown:
        raise _core.InputError(f"unknown report options {sorted(unknown)!r}")
    given, scoring, rule = _option_groups(options)
    summary = summarize(panel, basis=basis, **given)
    basis = summary.attrs["basis"]
    tables: dict[str, pd.DataFrame] = {
        "district_summary": summary.sort_values("score", ascending=False, kind="stable"),
        "snapshot_scores": score(over_time, **scoring, **rule),
        "component_ranking": rank_components(panel, basis=basis, **scoring),
        "element_ranking": rank_elements(panel, basis=basis),
        "sticking_points": sticking_points(panel, basis=basis),
        "trends": trends(over_time, **scoring),
        "cronbach_alpha": cronbach_alpha(panel, basis=basis),
        "leave_one_out": leave_one_out(panel, basis=basis, **given),
    }
    figures = {
        "heatmap": plot.heatmap(panel, basis=basis),
        "quadrants": plot.quadrants(summary),
        "recent_progress": plot.recent_progress(summary),
        "component_ranking": plot.component_ranking(tables["component_ranking"]),
        "trajectories": plot.trajectories(over_time),
        "reliability": plot.reliability(tables["cronbach_alpha"]),
        "leave_one_out": plot.leave_one_out(tables["leave_one_out"]),
    }
    defaults = _core.report_uncertainty_defaults()
    n_draws = defaults["draws"] if draws is None else draws
    robustness = None
    if not (isinstance(n_draws, int) and not isinstance(n_draws, bool) and n_draws == 0):
        robustness = uncertainty(
            panel,
            basis=basis,
            missing=given.get("missing"),
            draws=n_draws,
            rating_noise=defaults["rating_noise"] if rating_noise is None else rating_noise,
            bootstrap_elements=(
                defaults["bootstrap_elements"] if bootstrap_elements is None else bootstrap_elements
            ),
            seed=defaults["seed"] if seed is None else seed,
            progress=progress,
        )
        tables["uncertainty"] = robustness
        figures["rank_intervals"] = plot.rank_intervals(robustness)
        figures["classification_probability"] = plot.classification_probability(robustness)
        # which of the simulation's assumptions matters most: every source
        # on, around the report's choices
        sobol = sensitivity(
            panel, basis=basis, missing=given.get("missing"), seed=seed, progress=progress
        )
        tables["sensitivity"] = sobol
        figures["sensitivity"] = plot.sensitivity(sobol)
    findings: pd.DataFrame | None = None
    try:
        checked = report_findings(panel)
    except _core.InputError as e:  # the findings are about another rubric
        not_checked = f"the report's findings: not checked ({e})"
    else:
        not_checked = "the report's findings: not checked (none of the report's districts)"
        if not checked["detail"].str.startswith("no district").all():
            findings = checked
            tables["report_findings"] = checked
    versions = tables["snapshot_scores"].attrs.get("versions")
    stated = [
        f"rubric {panel.rubric.id}: {panel.rubric.title}",
        *(
            [
                f"rubric versions: {versions}; summaries, rankings, reliability and the "
                f"simulation on the elements of {panel.rubric.id}"
            ]
            if versions
            else []
        ),
        *([f"columns read: {panel.columns_read}"] if panel.columns_read else []),
        *summary.attrs["description"].values(),
    ]
    stated.append(
        "uncertainty: " + robustness.attrs["sources"] + f" (seed {robustness.attrs['seed']})"
        if robustness is not None
        else "uncertainty: not run (draws 0)"
    )
    if "sensitivity" in tables:
        sobol = tables["sensitivity"]
        stated.append(
            f"sensitivity: {sobol.attrs['runs']} runs ({sobol.attrs['base_rows']} base rows) of "
            f"{sobol.attrs['sources_in_force']} (seed {sobol.attrs['seed']})"
        )
    else:
        stated.append("sensitivity: not run (draws 0)")
    if findings is None:
        stated.append(not_checked)
    return Analyses(summary, tables, figures, robustness, findings, stated)


def write_figures(
    panel: Panel | MixedPanel, out: str | os.PathLike[str], **options: Any
) -> list[Path]:
    """Write the report's figures of ``panel`` as PNG files into ``out``
    (the options as for :func:`write_report`). Returns the paths."""
    out_dir = _out_dir(out)
    result = analyses(panel, **options)
    paths = []
    for name, fig in result.figures.items():
        path = out_dir / f"{name}.png"
        _write(path, _png(fig))
        paths.append(path)
    return paths


def _excel(tables: dict[str, pd.DataFrame]) -> bytes:
    """One workbook, one sheet per table (text escaped as in the CSVs)."""
    try:
        import openpyxl  # noqa: F401 - the engine pandas uses
    except ImportError as e:
        raise _core.InputError(
            "Excel output needs openpyxl: pip install 'portfolio-snapshot[excel]'"
        ) from e
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        for name, frame in tables.items():
            shown = _safe_frame(frame)
            for col in shown.columns:
                if isinstance(shown[col].dtype, pd.PeriodDtype):
                    shown[col] = shown[col].astype(str)
            if isinstance(shown.index, pd.MultiIndex):
                shown = shown.reset_index()
                shown.columns = [str(c) for c in shown.columns]
                for col in shown.columns:
                    if isinstance(shown[col].dtype, pd.PeriodDtype):
                        shown[col] = shown[col].astype(str)
                shown.to_excel(writer, sheet_name=name[:31], index=False)
            else:
                shown.to_excel(writer, sheet_name=name[:31])
    return buf.getvalue()


def _district_list(panel: Panel, pages: Sequence[str] | str | None) -> list[str]:
    """The districts to write a page for (all of them for ``"all"``)."""
    if pages is None:
        return []
    names = panel.district_names
    if isinstance(pages, str):
        if pages.strip() == "all":
            return list(names)
        # one name as it is, else names separated by commas
        pages = [pages] if pages in names else [p.strip() for p in pages.split(",")]
    chosen = list(pages)
    if not chosen or any(not isinstance(n, str) or not n for n in chosen):
        raise _core.InputError(
            f'district_pages: {pages!r} names no district (give names, or "all")'
        )
    twice = sorted({n for n in chosen if chosen.count(n) > 1})
    if twice:
        raise _core.InputError(f"district_pages: {twice[0]!r} is listed more than once")
    for name in chosen:
        if name not in names:
            more = ", ..." if len(names) > 8 else ""
            raise _core.InputError(
                f"district_pages: no district named {name!r} in the panel "
                f"({len(names)} districts: {', '.join(names[:8])}{more})"
            )
    return chosen


def _slug(name: str, i: int) -> str:
    """A file name part for a district: its position, then its name in
    letters, digits and dashes (names may hold any character)."""
    safe = re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-").lower()[:40]
    return f"{i:03d}-{safe}" if safe else f"{i:03d}"


def _write_district_page(
    panel: Panel,
    name: str,
    out_dir: Path,
    basis: str | None,
    options: dict[str, Any],
    heading: str,
    banner: str,
) -> str:
    """One district's page (profile, path to advanced, change since its
    first snapshot); returns its file name."""
    from . import plot

    _, scoring, rule = _option_groups(options)
    slug = _slug(name, panel.district_names.index(name) + 1)
    prof = profile(panel, name, basis=basis)
    path = path_to_advanced(panel, name, **scoring, **rule)
    dates = panel.dates[panel.districts == name]
    first, last = dates.min(), dates.max()
    change = compare(panel, first, last, **scoring).reset_index()
    mine = (change["district"] == name) & (change["kind"] != "element")
    components = change.loc[mine, ["item", "start_value", "end_value", "change"]].set_index("item")
    figure = _png(plot.profile(prof))
    _write(out_dir / f"profile-{slug}.png", figure)
    _write(out_dir / f"profile-{slug}.csv", _safe_frame(prof).to_csv().encode("utf-8"))
    _write(out_dir / f"path-{slug}.csv", _safe_frame(path).to_csv().encode("utf-8"))
    weakest = prof[prof["weakest"]].sort_values("shortfall_rank")[
        ["element", "component", "value", "network_median", "gap"]
    ]
    comp_steps = pd.DataFrame(path.attrs["components"]).T
    verb = "raise" if path.attrs["direction"] == "raise" else "lower"
    image = base64.b64encode(figure).decode("ascii")
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(name)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>{_CSS}</style></head><body>
<p><a href="report.html">&larr; {html.escape(heading)}</a></p>
<h1>{html.escape(name)}</h1>
{banner}
<h2>Against the network ({html.escape(prof.attrs["basis"])} basis)</h2>
<p class="note">Each element's value next to the median and interquartile range of every
district's value; the ringed elements are the largest shortfalls against the median.</p>
<img alt="{html.escape(name)} against the network" src="data:image/png;base64,{image}">
<p>Weakest against the network:</p>
{_table(weakest.round(3))}
<h2>Path to "advanced" ({html.escape(path.attrs["basis"])} basis)</h2>
<p><b>{html.escape(path.attrs["summary"])}</b></p>
<p class="note">A move {verb}s one element rating of the latest snapshot by one level; the path
is the fewest such moves, found exactly (per component the fewest moves that cross the level,
then the cheapest components).</p>
{_table(path) if len(path) else ""}
{_table(comp_steps)}
<h2>Change from {html.escape(str(first))} to {html.escape(str(last))}</h2>
{_table(components.round(3))}
<p class="note">Also written: <code>profile-{slug}.csv</code>, <code>path-{slug}.csv</code>,
<code>profile-{slug}.png</code>.</p>
</body></html>
"""
    file = f"district-{slug}.html"
    _write(out_dir / file, page.encode("utf-8"))
    return file


def write_report(
    panel: Panel | MixedPanel,
    out: str | os.PathLike[str],
    *,
    basis: str | None = None,
    title: str | None = None,
    draws: int | None = None,
    rating_noise: float | None = None,
    bootstrap_elements: bool | None = None,
    seed: int | None = None,
    excel: bool = False,
    source_note: str | None = None,
    district_pages: Sequence[str] | str | None = None,
    progress: Progress = None,
    **options: Any,
) -> Path:
    """Write the report's tables, figures and ``report.html`` into ``out``.

    ``options`` (``missing``, ``aggregation``, ``weights``, ``y_cut``,
    ``x_cut``, ``advanced_level``, ``advanced_share``) go to every analysis,
    and the report states each one in force. The uncertainty section runs
    :func:`portfolio_snapshot.uncertainty` with ``draws``, ``rating_noise``,
    ``bootstrap_elements`` and ``seed`` (the core's report defaults when not
    given; ``draws=0`` leaves the section out). ``excel=True`` also writes
    ``report.xlsx``, one sheet per table (needs openpyxl). How the panel's
    columns were read (:attr:`Panel.columns_read`) and ``source_note``, if
    given, are stated with the options. ``district_pages`` (a list of
    district names, or ``"all"``) adds one page per district: its profile
    against the network, its shortest path into or out of "advanced", and
    the change of its component scores from its first snapshot to its
    latest. ``progress`` shows the simulation's progress (as
    :func:`portfolio_snapshot.uncertainty` does). Returns the path of
    ``report.html``.
    """
    out_dir = _out_dir(out)
    source = panel
    if isinstance(panel, MixedPanel):
        panel = panel.translated
    pages = _district_list(panel, district_pages)
    result = analyses(
        source,
        basis=basis,
        draws=draws,
        rating_noise=rating_noise,
        bootstrap_elements=bootstrap_elements,
        seed=seed,
        progress=progress,
        **options,
    )
    summary, tables = result.summary, result.tables
    for name, frame in tables.items():
        _write(out_dir / f"{name}.csv", _safe_frame(frame).to_csv().encode("utf-8"))
    if excel:
        _write(out_dir / "report.xlsx", _excel(tables))
    images = {}
    for name, fig in result.figures.items():
        data = _png(fig)
        _write(out_dir / f"{name}.png", data)
        images[name] = base64.b64encode(data).decode("ascii")

    synthetic = panel.synthetic
    demo = panel.label == _core.DEMO_LABEL
    heading = title or (
        "Sticking Points analyses"
        + ((" — synthetic demo data" if demo else " — synthetic data") if synthetic else "")
    )

    def img(name: str, alt: str) -> str:
        return f'<img alt="{html.escape(alt)}" src="data:image/png;base64,{images[name]}">'

    attrs = summary.attrs
    counts = attrs["quadrant_counts"]
    shown = tables["district_summary"][
        ["score", "spread", "quadrant", "advanced", "recent_progress", "n_snapshots",
         "first_date", "last_date"]
    ]  # fmt: skip
    if synthetic and demo:
        banner = (
            f'<p class="synthetic"><b>Synthetic data.</b> {html.escape(panel.label or "")}: the '
            "districts and their snapshot counts follow the report's Figure 2, but every rating "
            "is invented by a seeded generator. Nothing here describes a real district.</p>"
        )
    elif synthetic:
        banner = (
            '<p class="synthetic"><b>Synthetic data.</b> '
            + (f"{html.escape(panel.label)}: " if panel.label else "")
            + "the ratings are invented. Nothing here describes a real district.</p>"
        )
    else:
        banner = f"<p>Ratings: {html.escape(panel.label)}</p>" if panel.label else ""
    stated = [*result.stated, *([source_note] if source_note else [])]
    options_list = "".join(f"<li>{html.escape(text)}</li>" for text in stated)
    sections = [
        ("options", "Options in force"),
        ("figure-3", "Figure 3. Implementation by element"),
        ("figure-4", "Figure 4. Strong or weaker, consistent or piecemeal"),
        ("figure-5", "Figure 5. Recent progress"),
        ("figure-6", "Figure 6. Components by average rating"),
        ("sticking", "Sticking points: the lowest elements"),
    ]
    uncertainty_section = ""
    robustness = result.robustness
    if robustness is not None:
        sticking = robustness.attrs["p_sticking_point"]
        sticking_text = ", ".join(
            f"{html.escape(k)} {v:.0%}" for k, v in sorted(sticking.items(), key=lambda kv: -kv[1])
        )
        sections.append(("uncertainty", "How sure are these conclusions?"))
        seed_text = html.escape(str(robustness.attrs["seed"]))
        uncertainty_section = f"""
<h2 id="uncertainty">How sure are these conclusions?</h2>
<p class="note">{html.escape(robustness.attrs["sources"])} (seed {seed_text});
the summaries are recomputed in every draw.</p>
{img("rank_intervals", "rank with 90% interval")}
{img("classification_probability", "quadrant probabilities")}
<p>Probability of being among the three lowest components: {sticking_text}.</p>
{_table(robustness.round(3))}
"""
    findings_section = ""
    if result.findings is not None:
        findings = result.findings
        sections.append(("findings", "The 2016 report's findings, checked on this panel"))
        findings_section = f"""
<h2 id="findings">The 2016 report's findings, checked on this panel</h2>
<p>{html.escape(findings.attrs["summary"])}. Each is a statement <i>Sticking Points</i> makes
about a named district, component or element, checked under the default options (the report's
words are in <code>report_findings.csv</code>).</p>
{_table(findings[["finding", "holds", "detail"]])}
"""
    t = tables["trends"]
    by_version = ["rubrics"] if "rubrics" in t.columns else []
    t_shown = t[
        ["n_snapshots", "first_date", "last_date", "overall_slope", "trajectory", *by_version]
    ].round({"overall_slope": 3})
    version_note = (
        f" {html.escape(t.attrs['versions'])[0].upper()}{html.escape(t.attrs['versions'])[1:]}."
        if by_version
        else ""
    )
    sections.append(("trajectories", "Trajectories over time"))
    counts_t = t["trajectory"].value_counts(sort=False)
    trajectory_section = f"""
<h2 id="trajectories">Trajectories over time</h2>
<p class="note">Least-squares slope of each district's overall score per year;
{html.escape(", ".join(f"{k}: {int(v)}" for k, v in counts_t.items()))}. Rising means a slope of
{t.attrs["stall_band"]:g} points a year or more, declining -{t.attrs["stall_band"]:g} or less,
stalled in between; fewer than {t.attrs["min_snapshots"]} scored snapshots are too few. The report
names "stalled" districts without defining the word: these thresholds are the library's.
{version_note}</p>
{img("trajectories", "overall score over time per district")}
{_table(t_shown)}
"""
    sections.append(("trust", "How far can the ratings and the rules be trusted?"))
    alpha = tables["cronbach_alpha"]
    loo = tables["leave_one_out"]
    effects = item_effects(loo)
    moved = effects["moved"]
    top = int(moved.to_numpy().argmax())
    top_kind, top_id = (str(x) for x in effects.index[top])
    top_name = str(effects["item"].iloc[top])
    n_class = int((effects["changed"] > 0).sum())
    sensitivity_part = ""
    if "sensitivity" in tables:
        sobol = tables["sensitivity"]
        sensitivity_part = f"""
<p><b>{html.escape(sobol.attrs["headline"])}.</b> Sobol indices of the simulation's sources
({html.escape(sobol.attrs["sources_in_force"])}): the first-order index is the share of an
output's variance a source explains alone, the total index its share alone and together with
the others; a total index near 0 means the choice could be fixed anywhere in its range without
changing that output. The indices describe the ranges chosen here, not the world.</p>
{img("sensitivity", "Sobol indices of the sources of uncertainty")}
"""
    trust_section = f"""
<h2 id="trust">How far can the ratings and the rules be trusted?</h2>
<p class="note">Cronbach's alpha of each component's elements across districts
({html.escape(str(alpha.attrs["missing"]))}); a low alpha can mean a component groups
practices districts adopt separately, not only unreliable ratings.</p>
{img("reliability", "Cronbach's alpha per component")}
{_table(alpha[["component", "alpha", "n_elements", "n_districts", "reason"]].round(3))}
<p>Leaving one item out of the rubric at a time, {html.escape(top_kind)}
{html.escape(str(top_id))} ({html.escape(str(top_name))}) moves the districts' ranks most
(by {moved.max():.2f} places on average); {n_class} of {len(moved)} items change any
district's quadrant or advanced flag.</p>
{img("leave_one_out", "rank change when an item is left out")}
{sensitivity_part}"""
    page_links = ""
    if pages:
        sections.append(("districts", "District pages"))
        links = []
        for name in pages:
            file = _write_district_page(panel, name, out_dir, basis, options, heading, banner)
            links.append(f'<li><a href="{file}">{html.escape(name)}</a></li>')
        page_links = f"""
<h2 id="districts">District pages</h2>
<p>One page per district: its elements against the network, its shortest path into (or out of)
"advanced", and how its component scores changed from its first snapshot to its latest.</p>
<ul>{"".join(links)}</ul>
"""
    toc = "".join(f'<li><a href="#{a}">{html.escape(t)}</a></li>' for a, t in sections)
    files = ", ".join(f"<code>{html.escape(n)}.csv</code>" for n in tables)
    if excel:
        files += ", and all of them in <code>report.xlsx</code>"
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(heading)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>{_CSS}</style></head><body>
<h1>{html.escape(heading)}</h1>
{banner}
<p>{panel.n_districts} districts, {panel.n_snapshots} snapshots from {panel.dates.min()} to
{panel.dates.max()}, rubric <code>{html.escape(panel.rubric.id)}</code>.
{html.escape(attrs["advanced_sentence"])}.</p>
<p>{", ".join(f"{html.escape(str(k))}: {int(v)}" for k, v in counts.items())}.</p>
<nav><h2>Contents</h2><ol>{toc}</ol></nav>

<h2 id="options">Options in force</h2>
<ul class="note">{options_list}</ul>
<h2 id="figure-3">Figure 3. Implementation by element</h2>
{img("heatmap", "heatmap of districts by elements")}
<h2 id="figure-4">Figure 4. Strong or weaker, consistent or piecemeal</h2>
{img("quadrants", "score against spread")}
{_table(shown)}
<h2 id="figure-5">Figure 5. Recent progress</h2>
<p class="note">{html.escape(attrs["labels"]["recent_progress"])}.</p>
{img("recent_progress", "recent progress by district")}
<h2 id="figure-6">Figure 6. Components by average rating</h2>
{img("component_ranking", "components ranked")}
{_table(tables["component_ranking"])}
<h2 id="sticking">Sticking points: the lowest elements</h2>
{_table(tables["sticking_points"])}
{trajectory_section}
{trust_section}
{uncertainty_section}
{findings_section}
{page_links}
<p class="note">Tables are also written beside this page: {files}. Text cells that a spreadsheet
would read as a formula (starting with =, +, - or @) begin with an apostrophe there.</p>
</body></html>
"""
    path = out_dir / "report.html"
    _write(path, page.encode("utf-8"))
    return path
