"""Command line: ``python -m portfolio_snapshot report [RATINGS.csv] --out DIR [options]``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def _number_or_word(text: str) -> float | str:
    """A cut: a number, or a word the core knows ("mean", "median", "midpoint")."""
    try:
        return float(text)
    except ValueError:
        return text


def _missing(text: str) -> float | str:
    """A missing-data policy: "skip", "strict" or a minimum coverage."""
    return _number_or_word(text)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m portfolio_snapshot",
        description="Sticking Points analyses of portfolio-strategy snapshot ratings.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    rep = sub.add_parser(
        "report",
        help="write tables, figures and report.html",
        description="Write the report's tables (CSV), figures (PNG) and report.html. "
        "Every option left out takes the library's default, and the report states each "
        "option in force.",
    )
    rep.add_argument(
        "ratings",
        nargs="?",
        help="ratings CSV, long (district, date, element, rating) or wide (district, date and "
        "one column per element id); default: the synthetic demo panel",
    )
    rep.add_argument("--out", required=True, help="output directory")
    rep.add_argument("--rubric", help="built-in rubric id (crpe-2016, crpe-2012) or a rubric file")
    rep.add_argument("--basis", help="average (default) or recent")
    rep.add_argument("--missing", type=_missing, help="skip (default), strict or a coverage 0-1")
    rep.add_argument("--aggregation", help="mean_of_means (default) or pooled")
    rep.add_argument("--y-cut", type=_number_or_word, help="score cut: a number, mean, median "
                     "or midpoint (default)")  # fmt: skip
    rep.add_argument("--x-cut", type=_number_or_word, help="spread cut: a number, mean (default) "
                     "or median")  # fmt: skip
    rep.add_argument("--advanced-level", type=float, help="level a component must reach")
    rep.add_argument("--advanced-share", type=float, help="share of components to exceed")
    for name in ("district", "date", "element", "rating"):
        rep.add_argument(f"--{name}-column", dest=f"{name}_column", metavar="NAME",
                         help=f"name of the {name} column in RATINGS.csv")  # fmt: skip
    rep.add_argument("--draws", type=int, help="uncertainty draws (0: no uncertainty section)")
    rep.add_argument("--rating-noise", type=float, help="uncertainty: rating noise p")
    rep.add_argument(
        "--no-bootstrap", action="store_true", help="uncertainty: no element bootstrap"
    )
    rep.add_argument("--seed", type=int, help="uncertainty: seed")
    args = parser.parse_args(argv)

    # imported here so that `--help` works without loading the extension
    from . import datasets
    from ._core import InputError, PortfolioError
    from ._panel import Panel
    from ._rubric import Rubric
    from .report import write_report

    try:
        if args.rubric is None:
            rubric = None
        elif args.rubric in ("crpe-2016", "crpe-2012"):
            rubric = Rubric.builtin(args.rubric)
        else:
            rubric = Rubric.load(args.rubric)
        if args.ratings is None:
            given = [
                f"--{name.replace('_', '-')}"
                for name in ("rubric", "district_column", "date_column", "element_column",
                             "rating_column")
                if getattr(args, name) is not None
            ]  # fmt: skip
            if given:
                demo = datasets.demo_panel()
                raise InputError(
                    f"{', '.join(given)} describe RATINGS.csv, and none was given: without "
                    f"it the report is on the synthetic demo panel (rubric {demo.rubric.id})"
                )
            panel = datasets.demo_panel()
        else:
            panel = Panel.read_csv(
                args.ratings,
                rubric,
                district=args.district_column,
                date=args.date_column,
                element=args.element_column,
                rating=args.rating_column,
            ).with_label(args.ratings)
        options = {
            k: v
            for k, v in {
                "missing": args.missing,
                "aggregation": args.aggregation,
                "y_cut": args.y_cut,
                "x_cut": args.x_cut,
                "advanced_level": args.advanced_level,
                "advanced_share": args.advanced_share,
            }.items()
            if v is not None
        }
        path = write_report(
            panel,
            args.out,
            basis=args.basis,
            draws=args.draws,
            rating_noise=args.rating_noise,
            bootstrap_elements=False if args.no_bootstrap else None,
            seed=args.seed,
            **options,
        )
    except PortfolioError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    print(f"report written to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
