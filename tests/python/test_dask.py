"""The dask.distributed example: scoring partitioned by district on a local
cluster of worker processes equals the single-process result."""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path

import pandas as pd
import portfolio_snapshot as ps
import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture
def example(monkeypatch):
    # the example is a module of examples/, importable by the workers too
    # (worker processes start with this environment)
    path = os.pathsep.join([str(EXAMPLES), os.environ.get("PYTHONPATH", "")])
    monkeypatch.setenv("PYTHONPATH", path)
    monkeypatch.syspath_prepend(str(EXAMPLES))
    return importlib.import_module("dask_partitioned")


def test_partitioned_scores_equal_the_single_process_result(example):
    from dask.distributed import Client, LocalCluster

    panel = ps.datasets.demo_panel()
    parts = example.partitioned(panel.to_long(), n_partitions=4)
    # the partitions split the districts: none is in two of them
    seen = [set(part.compute().index) for part in parts.to_delayed()]
    assert len(seen) == 4
    assert sum(len(s) for s in seen) == len(set().union(*seen)) == panel.n_districts
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster,
        Client(cluster, timeout=60) as client,
    ):
        scores, summary = example.score_by_district(parts, panel.rubric, client)
        assert len(client.scheduler_info()["workers"]) == 2
    pd.testing.assert_frame_equal(scores, ps.score(panel))
    pd.testing.assert_frame_equal(summary, ps.summarize(panel))
    assert "dask_partitioned" in sys.modules
