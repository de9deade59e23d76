"""The report in a real browser: headless Chromium (Debian's package, which
`make test` and `.ci/run` install when it is missing) loads report.html at
1280 px and a script in the page reports every element wider than the
viewport, every table that has to scroll, and every image that did not load.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import portfolio_snapshot as ps
import pytest
from portfolio_snapshot.report import write_report

ROOT = Path(__file__).resolve().parents[2]

CHECK = """
<script>
window.addEventListener("load", () => {
  const vw = document.documentElement.clientWidth;
  const wide = [];
  for (const el of document.body.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && (r.right > vw + 0.5 || r.left < -0.5)) {
      wide.push(el.tagName + "." + el.className + " right=" + Math.round(r.right));
    }
  }
  for (const box of document.querySelectorAll(".table")) {
    if (box.scrollWidth > box.clientWidth + 1) {
      wide.push("table scrolls: " + box.scrollWidth + " > " + box.clientWidth);
    }
  }
  const images = [...document.images];
  const broken = images.filter((i) => !(i.complete && i.naturalWidth > 0)).map((i) => i.alt);
  const out = document.createElement("pre");
  out.id = "layout-check";
  out.textContent = JSON.stringify({
    viewport: vw, page: document.documentElement.scrollWidth,
    wide: wide.slice(0, 20), images: images.length, broken: broken,
  });
  document.body.appendChild(out);
});
</script>
"""


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    pytest.fail("no Chromium: `make test` installs Debian's chromium (apt-get install chromium)")


def browse(report: Path, out: Path) -> dict[str, object]:
    """Load the report (with the check script) at 1280 px; the check's result."""
    page = out / "checked.html"
    page.write_text(report.read_text().replace("</body>", CHECK + "</body>"))
    args = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
            "--window-size=1280,900", "--virtual-time-budget=10000"]  # fmt: skip
    done = subprocess.run(
        [*args, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=180
    )
    found = re.search(r'<pre id="layout-check">(.*?)</pre>', done.stdout, re.S)
    assert found, done.stderr[-2000:]
    # a screenshot beside it, to look at
    subprocess.run(
        [*args, f"--screenshot={out / 'report.png'}", "--window-size=1280,8000", page.as_uri()],
        capture_output=True,
        timeout=180,
    )
    return json.loads(html.unescape(found.group(1)))


def four_level_panel() -> ps.Panel:
    """Invented ratings (three districts) on the README's four-level rubric."""
    text = (ROOT / "README.md").read_text()
    block = re.search(r"## Rubric files.*?```toml\n(.*?)```", text, re.S)
    assert block
    rubric = ps.Rubric.from_toml(block.group(1))
    ratings = {"Adams": [4, 4, 3, 3, 4], "Baker": [2, 1, 2, 2, 1], "Clark": [3, 2, 2, 1, 1]}
    rows = [
        (district, date, element, max(1, value + shift))
        for district, values in ratings.items()
        for date, shift in (("2015-01", -1), ("2016-01", 0))
        for element, value in zip(rubric.element_ids, values, strict=True)
    ]
    frame = pd.DataFrame(rows, columns=["district", "date", "element", "rating"])
    return ps.Panel.from_long(frame, rubric).with_label("invented ratings", synthetic=True)


def many_long_names() -> ps.Panel:
    """60 districts with long names and every option's text in the report."""
    demo = ps.datasets.demo_panel()
    wide = demo.to_wide().reset_index()
    parts = []
    for copy in range(3):
        part = wide.copy()
        part["district"] = [
            f"{d} Unified School District of the Greater Metropolitan Area no. {copy}"
            for d in part["district"]
        ]
        parts.append(part)
    frame = pd.concat(parts, ignore_index=True)
    frame = frame[frame["district"].isin(sorted(set(frame["district"]))[:60])]
    return ps.Panel.from_wide(frame).with_label("synthetic, names lengthened", synthetic=True)


@pytest.mark.parametrize(
    ("name", "make", "draws"),
    [
        ("demo", ps.datasets.demo_panel, 300),
        ("four-levels", four_level_panel, 200),
        ("long-names", many_long_names, 100),
    ],
)
def test_report_fits_1280px_and_every_image_loads(tmp_path, name, make, draws):
    panel = make()
    report = write_report(panel, tmp_path / name, draws=draws, excel=True)
    result = browse(report, tmp_path / name)
    assert result["viewport"] == 1280 or result["viewport"] > 1200, result
    assert result["page"] <= result["viewport"], result
    assert result["wide"] == [], result
    assert result["images"] >= 6 and result["broken"] == [], result
    text = report.read_text()
    # text left-aligned, numbers right-aligned
    assert '<td class="num">' in text and "td.num, th.num { text-align: right" in text
    assert 'id="contents"' in text or "Contents" in text


def test_a_four_level_rubric_speaks_its_own_words(tmp_path):
    panel = four_level_panel()
    report = write_report(panel, tmp_path, draws=100)
    text = report.read_text()
    assert "Established" in text
    for foreign in ("in progress", "In progress", "National exemplar", "Nothing in place"):
        assert foreign not in text, foreign
    # Adams alone has at least 2 of 3 components at 3 or better: one district
    assert "1 district is advanced" in text
    assert "1 districts" not in text
    assert "not checked" in text  # the report's findings are about crpe-2016
    assert "Synthetic data." in text and "Figure 2" not in text.split("Contents")[0]
    # the heatmap's legend: the README rubric's four levels, in its words
    fig = ps.plot.heatmap(panel)
    legend = [t.get_text() for ax in fig.axes if ax.get_legend() for t in ax.get_legend().texts]
    assert legend == ["1 Not started", "2 Emerging", "3 Established", "4 Exemplary"]
    fig.savefig(tmp_path / "heatmap.png")
