"""Score a panel partitioned by district on a dask.distributed cluster.

Every per-snapshot score and every per-district summary column (score,
spread, components, recent progress, advanced) depends on one district's
ratings only, so a table too big for one machine can be split by district,
scored where each part lives, and gathered. Two things need every district:
the spread cut (by default the mean spread of the districts) and rankings.
So the work is two passes over the partitions: the first gathers one spread
per district (a few bytes each), the second classifies each part against
the cuts of the whole panel. The result equals ``ps.summarize(panel)`` on
one machine.

Run it (a local cluster of two worker processes, on the synthetic demo):

    python examples/dask_partitioned.py
"""

from __future__ import annotations

import dask
import dask.dataframe as dd
import numpy as np
import pandas as pd
import portfolio_snapshot as ps
from dask.distributed import Client, LocalCluster


def _part_panel(part: pd.DataFrame, rubric: ps.Rubric) -> ps.Panel:
    """The panel of one partition of a long table indexed by district."""
    return ps.Panel.from_long(part.reset_index(), rubric)


def _part_scores(part: pd.DataFrame, rubric: ps.Rubric) -> pd.DataFrame:
    return ps.score(_part_panel(part, rubric))


def _part_summary(part: pd.DataFrame, rubric: ps.Rubric, **cuts: float) -> pd.DataFrame:
    return ps.summarize(_part_panel(part, rubric), **cuts)


def partitioned(long: pd.DataFrame, n_partitions: int) -> dd.DataFrame:
    """A long table (district, date, element, rating) split by district:
    the index is the district, so no district straddles two partitions."""
    return dd.from_pandas(long.set_index("district").sort_index(), npartitions=n_partitions)


def score_by_district(
    parts: dd.DataFrame, rubric: ps.Rubric, client: Client
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per-snapshot scores and the district summary of a partitioned table,
    computed on the cluster; the same as ``ps.score`` and ``ps.summarize``
    of the whole panel."""
    pieces = parts.to_delayed()
    scores = client.compute([dask.delayed(_part_scores)(p, rubric) for p in pieces], sync=True)
    # pass 1: one spread per district, for the spread cut of the whole panel
    # (the library's default cut is the mean spread of the districts)
    spreads = client.compute([dask.delayed(_part_summary)(p, rubric) for p in pieces], sync=True)
    x_cut = float(np.mean(pd.concat(spreads)["spread"].to_numpy()))
    # pass 2: classify each part against the whole panel's cuts
    summaries = client.compute(
        [dask.delayed(_part_summary)(p, rubric, x_cut=x_cut) for p in pieces], sync=True
    )
    return pd.concat(scores), pd.concat(summaries)


def main() -> None:
    panel = ps.datasets.demo_panel()  # SYNTHETIC ratings
    with LocalCluster(n_workers=2, threads_per_worker=1) as cluster, Client(cluster) as client:
        scores, summary = score_by_district(
            partitioned(panel.to_long(), n_partitions=4), panel.rubric, client
        )
    print(f"{len(scores)} snapshots and {len(summary)} districts scored on 2 workers")
    print(summary.sort_values("score", ascending=False)[["score", "spread", "quadrant"]].head())


if __name__ == "__main__":
    main()
