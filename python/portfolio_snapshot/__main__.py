"""Command line: ``python -m portfolio_snapshot report [RATINGS.csv] [--rubric FILE] --out DIR``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from ._core import PortfolioError


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m portfolio_snapshot",
        description="Sticking Points analyses of portfolio-strategy snapshot ratings.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    rep = sub.add_parser("report", help="write tables, figures and report.html")
    rep.add_argument(
        "ratings",
        nargs="?",
        help="ratings CSV, long (district,date,element,rating) or wide; "
        "default: the synthetic demo panel",
    )
    rep.add_argument(
        "--rubric", help="rubric file (JSON or TOML) or built-in id; default crpe-2016"
    )
    rep.add_argument("--basis", choices=["average", "recent"], default="average")
    rep.add_argument("--out", required=True, help="output directory")
    rep.add_argument(
        "--draws", type=int, default=1000, help="uncertainty draws (0: no uncertainty section)"
    )
    rep.add_argument("--rating-noise", type=float, default=0.1, help="uncertainty: rating noise p")
    rep.add_argument("--seed", type=int, default=0, help="uncertainty: seed")
    args = parser.parse_args(argv)

    # imported here so that `--help` works without loading the extension
    from . import datasets
    from ._panel import Panel
    from ._rubric import Rubric
    from .report import write_report

    try:
        if args.rubric is None:
            rubric = Rubric.crpe_2016()
        elif args.rubric in ("crpe-2016", "crpe-2012"):
            rubric = Rubric.builtin(args.rubric)
        elif args.rubric.lower().endswith(".toml"):
            rubric = Rubric.from_toml(args.rubric)
        else:
            rubric = Rubric.from_json(args.rubric)
        if args.ratings is None:
            panel = datasets.demo_panel()
        else:
            panel = Panel.read_csv(args.ratings, rubric)
            panel.label = args.ratings
        path = write_report(
            panel,
            args.out,
            basis=args.basis,
            draws=args.draws,
            rating_noise=args.rating_noise,
            seed=args.seed,
        )
    except (PortfolioError, OSError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(f"report written to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
