"""What a Dask worker holds and returns: the same chunk results as this process, without Prefect or DuckDB."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from flows.batch_work import parse_and_extract
from storage.raw_document import RawDocument

# Only light imports at the top: a worker imports this module to run _loaded_modules.
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def _loaded_modules() -> list[str]:
    return sorted(m for m in ("prefect", "duckdb", "datasketch") if m in sys.modules)


def _docs() -> list[RawDocument]:
    pages = sorted((FIXTURES / "site").rglob("*.html"))[:12]
    assert pages, "the fixture site has pages"
    now = datetime(2026, 1, 1, tzinfo=UTC)
    return [
        RawDocument(f"http://site.test/{p.name}", p.read_bytes(), now, content_type="text/html")
        for p in pages
    ]


@pytest.mark.slow
@pytest.mark.integration
def test_a_worker_returns_what_this_process_computes_and_loads_neither_prefect_nor_duckdb() -> None:
    from flows import parallel

    docs = _docs()
    here = parse_and_extract(docs)
    with parallel.local_cluster(1) as address, parallel.batch_runner(1, address) as runner:
        assert runner.distributed
        there = [h.result() for h in runner.submit(docs)]
        loaded = runner._dask.run(_loaded_modules)
    assert [a for d in there for a in d.articles] == here.articles
    assert [r for d in there for r in d.results] == here.results
    assert [k for d in there for k in d.keys] == here.keys
    # A worker holds spaCy and the parser, not the flow's orchestration or storage (~80 MB each).
    assert list(loaded.values()) == [[]], loaded


def _task_thread_cores() -> list[int]:
    import os

    return sorted(os.sched_getaffinity(0))


@pytest.mark.slow
@pytest.mark.integration
@pytest.mark.skipif(
    not hasattr(__import__("os"), "sched_getaffinity") or len(__import__("os").sched_getaffinity(0)) < 2,
    reason="needs two cores this process may use",
)
def test_each_worker_of_a_local_cluster_runs_its_chunks_on_a_core_of_its_own() -> None:
    import os

    from distributed import Client

    from flows import parallel

    cores = sorted(os.sched_getaffinity(0))
    with parallel.local_cluster(2) as address, Client(address) as client:
        workers = sorted(client.scheduler_info()["workers"])
        # A chunk runs in the worker's task thread, not the thread that pinned it.
        ran_on = [client.submit(_task_thread_cores, workers=[w], pure=False).result() for w in workers]
    assert sorted(ran_on) == [[c] for c in cores[:2]], ran_on
    assert sorted(os.sched_getaffinity(0)) == cores  # the flow's own process stays free to move
