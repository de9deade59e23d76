"""Command line: ``python -m portfolio_snapshot report [RATINGS] --out DIR [options]``
and ``python -m portfolio_snapshot figures [RATINGS] --out DIR [options]``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any


def _number_or_word(text: str) -> float | str:
    """A cut or a policy: a number, or a word the core knows."""
    try:
        return float(text)
    except ValueError:
        return text


def _weights(text: str) -> list[float] | dict[str, float]:
    """Weights: "1,2,1,1,1,1,1" in rubric order, or "Choice=2,Funding=0.5,..."."""
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if parts and all("=" in p for p in parts):
        named: dict[str, float] = {}
        for p in parts:
            key, value = p.split("=", 1)
            named[key.strip()] = float(value)
        return named
    return [float(p) for p in parts]


def _arguments(sub: Any, name: str, help_text: str) -> argparse.ArgumentParser:
    p = sub.add_parser(
        name,
        help=help_text,
        description=help_text + ". Every option left out takes the library's default, and the "
        "report states each option in force.",
    )
    p.add_argument(
        "ratings",
        nargs="?",
        help="ratings file: CSV, Excel (.xlsx, first sheet) or Parquet; long (district, date, "
        "element, rating) or wide (district, date and one column per element id), columns "
        "found by name in any letter case; default: the synthetic demo panel",
    )
    p.add_argument("--out", required=True, help="output directory")
    p.add_argument("--rubric", help="built-in rubric id (crpe-2016, crpe-2012) or a rubric file")
    p.add_argument("--basis", help="average (default) or recent")
    p.add_argument("--missing", type=_number_or_word, help="skip (default), strict, or a "
                   "minimum coverage from 0 to 1")  # fmt: skip
    p.add_argument("--aggregation", help="mean_of_means (default) or pooled")
    p.add_argument("--weights", type=_weights, help="component weights: 1,2,1,... in rubric "
                   "order, or Choice=2,Funding=1,...")  # fmt: skip
    p.add_argument("--y-cut", type=_number_or_word, help="score cut: a number, mean, median "
                   "or midpoint (default)")  # fmt: skip
    p.add_argument("--x-cut", type=_number_or_word, help="spread cut: a number, mean (default) "
                   "or median")  # fmt: skip
    p.add_argument("--advanced-level", type=float, help="level a component must reach")
    p.add_argument("--advanced-share", type=float, help="share of components to exceed")
    for column in ("district", "date", "element", "rating"):
        p.add_argument(f"--{column}", f"--{column}-column", dest=f"{column}_column",
                       metavar="NAME", help=f"name of the {column} column in RATINGS")  # fmt: skip
    p.add_argument("--na-values", help="comma-separated texts that mean 'not rated'")
    p.add_argument("--half-steps", action="store_true", help="allow ratings halfway between levels")
    p.add_argument("--draws", type=int, help="uncertainty draws (0: no uncertainty section)")
    p.add_argument("--rating-noise", type=float, help="uncertainty: rating noise p")
    p.add_argument("--no-bootstrap", action="store_true", help="uncertainty: no element bootstrap")
    p.add_argument("--seed", type=int, help="uncertainty: seed")
    return p


def _read(path: str, rubric: Any, **options: Any) -> Any:
    """A ratings file by its extension: Excel, Parquet, else CSV."""
    from ._mixed import MixedPanel, read_ratings_csv
    from ._panel import Panel

    suffix = path.lower().rsplit(".", 1)[-1] if "." in path else ""
    if suffix in ("xlsx", "xlsm"):
        return Panel.read_excel(path, rubric, **options)
    if suffix in ("parquet", "pq"):
        return Panel.read_parquet(path, rubric, **options)
    ratings = read_ratings_csv(path, rubric, **options)
    if isinstance(ratings, MixedPanel):
        parts = ratings.parts
        print(
            f"read {path}: rubric versions "
            + ", ".join(f"{p.rubric.id} ({p.n_snapshots} snapshots)" for p in parts)
            + f"; {parts[0].columns_read}"
        )
        return MixedPanel([p.with_label(path) for p in parts], target=ratings.target)
    return ratings


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m portfolio_snapshot",
        description="Sticking Points analyses of portfolio-strategy snapshot ratings.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    rep = _arguments(sub, "report", "Write the report's tables, figures and report.html")
    rep.add_argument("--title", help="the report's title")
    rep.add_argument("--excel", action="store_true", help="also write report.xlsx (needs openpyxl)")
    rep.add_argument(
        "--district-pages",
        help="also write one page per district (profile, path to advanced, change over time): "
        "'all', one district's name, or names separated by commas",
    )
    _arguments(sub, "figures", "Write the report's figures as PNG files")
    args = parser.parse_args(argv)

    # imported here so that `--help` works without loading the extension
    from . import datasets
    from ._core import InputError, PortfolioError
    from ._panel import Panel
    from ._rubric import Rubric
    from .report import write_figures, write_report

    try:
        columns = {
            c: getattr(args, f"{c}_column")
            for c in ("district", "date", "element", "rating")
            if getattr(args, f"{c}_column") is not None
        }
        if args.ratings is None:
            given = (
                [
                    f"--{name.replace('_', '-')}"
                    for name in ("rubric", "na_values")
                    if getattr(args, name) is not None
                ]
                + [f"--{c}" for c in columns]
                + (["--half-steps"] if args.half_steps else [])
            )
            if given:
                demo = datasets.demo_panel()
                raise InputError(
                    f"{', '.join(given)} describe RATINGS, and none was given: without it the "
                    f"report is on the synthetic demo panel (rubric {demo.rubric.id})"
                )
            panel = datasets.demo_panel()
        else:
            if args.rubric is None:
                rubric = None
            elif args.rubric in ("crpe-2016", "crpe-2012"):
                rubric = Rubric.builtin(args.rubric)
            else:
                rubric = Rubric.load(args.rubric)
            na = None if args.na_values is None else args.na_values.split(",")
            panel = _read(
                args.ratings,
                rubric,
                half_steps=True if args.half_steps else None,
                na_values=na,
                **columns,
            )
            if isinstance(panel, Panel):
                panel = panel.with_label(args.ratings)
                print(f"read {args.ratings}: {panel.columns_read}")
        options = {
            "missing": args.missing,
            "aggregation": args.aggregation,
            "weights": args.weights,
            "y_cut": args.y_cut,
            "x_cut": args.x_cut,
            "advanced_level": args.advanced_level,
            "advanced_share": args.advanced_share,
        }
        common = {
            "basis": args.basis,
            "draws": args.draws,
            "rating_noise": args.rating_noise,
            "bootstrap_elements": False if args.no_bootstrap else None,
            "seed": args.seed,
            **{k: v for k, v in options.items() if v is not None},
        }
        if args.command == "figures":
            paths = write_figures(panel, args.out, progress=True, **common)
            print(f"{len(paths)} figures written to {args.out}")
            return 0
        path = write_report(
            panel,
            args.out,
            title=args.title,
            excel=args.excel,
            progress=True,
            district_pages=args.district_pages,
            **common,
        )
    except PortfolioError as e:
        print(f"error: {e}", file=sys.stderr)
        if "name it with" in str(e) or "name them with" in str(e):
            print(
                "on the command line, name columns with --district, --date, --element, --rating",
                file=sys.stderr,
            )
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    print(f"report written to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
