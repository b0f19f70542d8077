"""Parse + extract on Dask workers: the same database as one process, and no worker left behind."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import psutil
import pytest

from flows import ingest as ingest_mod
from flows import parallel
from flows.site_server import SiteServer
from tests.conftest import FIXTURES

FAST = {"per_host_delay": 0.0, "retries": 0, "total_timeout": 10.0}

#: Everything an analyst reads, minus the clock (first_seen/last_seen are when the run saw a deal).
VIEWS = {
    "deals": "SELECT * EXCLUDE (first_seen, last_seen) FROM deals ORDER BY deal_id",
    "evidence": "SELECT * FROM evidence ORDER BY ALL",
    "conflicts": "SELECT * FROM conflicts ORDER BY conflict_id",
    "articles": "SELECT article_id, url, status, is_deal_relevant, duplicate_of FROM articles ORDER BY url",
}


def _views(db: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {name: con.execute(sql).fetchall() for name, sql in VIEWS.items()}
    finally:
        con.close()


def _live_children() -> set[int]:
    """Child processes, less multiprocessing's resource tracker (it lives as long as its parent)."""
    return {
        p.pid
        for p in psutil.Process().children(recursive=True)
        if p.is_running() and "resource_tracker" not in " ".join(p.cmdline())
    }


def _count_sent_ahead(monkeypatch) -> dict[str, int]:
    """Chunks sent to a worker before their batch was stored, and how many of them were kept."""
    counts = {"sent": 0, "kept": 0}
    send_ahead, submit = parallel.BatchRunner.send_ahead, parallel.BatchRunner.submit

    def counted_send(self, docs):
        counts["sent"] += 1
        return send_ahead(self, docs)

    def counted_submit(self, docs, last=False, early=None):
        handles = submit(self, docs, last, early)
        counts["kept"] += sum(1 for e in early or [] if any(h is e.handle for h in handles))
        return handles

    monkeypatch.setattr(parallel.BatchRunner, "send_ahead", counted_send)
    monkeypatch.setattr(parallel.BatchRunner, "submit", counted_submit)
    return counts


@pytest.mark.slow
@pytest.mark.integration
@pytest.mark.usefixtures("prefect_harness")
def test_two_dask_workers_store_the_same_deals_ids_and_evidence_as_one_process(
    tmp_path: Path, monkeypatch
) -> None:
    # Small batches and chunks, so the 66 articles make many chunks spread over both workers; the
    # first batch is the feed's 8 pages (files come after), so its chunks are sent ahead.
    monkeypatch.setattr(ingest_mod, "INGEST_BATCH", 16)
    monkeypatch.setattr(parallel, "WORK_CHUNK", 4)
    sent_ahead = _count_sent_ahead(monkeypatch)
    before = _live_children()
    with SiteServer(FIXTURES / "site") as server:
        sources = [f"{server.base_url}/feed.xml", str(FIXTURES / "corpus")]
        runs = {
            n: ingest_mod.ingest(
                sources, db_path=str(tmp_path / f"w{n}.duckdb"), policy_overrides=FAST, quiet=True, workers=n
            )
            for n in (1, 2)
        }
    one, two = (_views(tmp_path / f"w{n}.duckdb") for n in (1, 2))
    # The connection kept open from the last batch to the snapshot is closed: all is in the file.
    assert not any(tmp_path.glob("*.wal")), sorted(p.name for p in tmp_path.iterdir())
    assert len(one["deals"]) >= 10 and len(one["evidence"]) > 50, "the sources hold deals"
    for name in VIEWS:
        assert one[name] == two[name], f"{name} differ between 1 and 2 workers"
    me = f":{os.getpid()}"
    assert runs[1].workers and all(w.endswith(me) for w in runs[1].workers)
    assert len(runs[2].workers) == 2 and not any(w.endswith(me) for w in runs[2].workers), runs[2].workers
    assert runs[2].work_counts["articles"] == runs[1].work_counts["articles"] > 60
    # The first batch's first chunk went to a worker while the batch was still being fetched.
    assert sent_ahead["sent"] >= 1 and sent_ahead["kept"] == sent_ahead["sent"], sent_ahead
    # The local cluster is closed with the run: no worker process outlives it.
    psutil.wait_procs([psutil.Process(p) for p in _live_children() - before], timeout=10)
    assert _live_children() <= before


@pytest.mark.parametrize(
    ("args", "env", "says"),
    [
        (["--workers", "0"], {}, "at least 1"),
        (["--dask-address", "localhost:8786"], {}, "tcp://HOST:PORT"),
        ([], {"DEALWATCH_WORKERS": "many"}, "DEALWATCH_WORKERS"),
        (["--dask-address", "tcp://127.0.0.1:1"], {}, "cannot reach the Dask scheduler"),
    ],
)
def test_worker_option_mistakes_are_one_clear_line(
    tmp_path: Path, monkeypatch, capsys, args: list[str], env: dict, says: str
) -> None:
    from flows.cli import main

    for key, value in env.items():
        monkeypatch.setenv(key, value)
    db = tmp_path / "x.duckdb"
    assert main(["ingest", str(FIXTURES / "corpus"), "--db", str(db), *args]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and says in err[0], err
    assert not db.exists(), "nothing ran"


def test_workers_default_to_the_cores_and_the_environment_can_say_otherwise(monkeypatch) -> None:
    from flows.workers import default_workers, resolve_workers

    monkeypatch.delenv("DEALWATCH_WORKERS", raising=False)
    monkeypatch.delenv("DEALWATCH_DASK_ADDRESS", raising=False)
    assert resolve_workers(None, None) == (default_workers(), None)
    monkeypatch.setenv("DEALWATCH_WORKERS", "3")
    monkeypatch.setenv("DEALWATCH_DASK_ADDRESS", "tcp://10.0.0.5:8786")
    assert resolve_workers(None, None) == (3, "tcp://10.0.0.5:8786")
    assert resolve_workers(2, "tcp://sched:8786") == (2, "tcp://sched:8786")


def test_a_run_of_a_few_documents_starts_no_worker_processes() -> None:
    before = _live_children()
    with parallel.batch_runner(workers=4, documents=parallel.WORK_CHUNK) as runner:
        assert not runner.distributed and runner.in_flight_limit == 0
    assert _live_children() == before


def test_the_last_batch_is_cut_into_chunks_that_shrink_toward_its_end() -> None:
    # A worker that finishes early takes a small chunk, instead of idling while another ends a big one.
    for n in (1, 20, 130, 250, 500):
        sizes = parallel.chunk_sizes(n, last=True)
        assert sum(sizes) == n and max(sizes) <= parallel.WORK_CHUNK
        if n >= 4 * parallel.TAIL_MIN:
            assert sizes[0] > sizes[-2] and len(sizes) > -(-n // parallel.WORK_CHUNK)
            assert sizes[-1] < 2 * parallel.TAIL_MIN  # what one worker may still run alone
    assert parallel.chunk_sizes(500) == [parallel.WORK_CHUNK] * (500 // parallel.WORK_CHUNK)
    assert parallel.chunk_sizes(0, last=True) == []


@pytest.mark.slow
@pytest.mark.integration
def test_feeds_parsed_on_a_worker_give_the_same_items_and_problems_as_here(tmp_path: Path) -> None:
    import asyncio

    from flows.http_policy import FetchPolicy
    from flows.sources import expand_sources

    (tmp_path / "nolink.xml").write_text(
        "<rss><channel><item><title>No link</title></item>"
        "<item><title>Bad</title><link>javascript:alert(1)</link></item></channel></rss>"
    )
    (tmp_path / "broken.rss").write_text("<rss><channel><item><link>http://a.example/x")
    policy = FetchPolicy(per_host_delay=0.0, retries=0, allow_private=True)
    with SiteServer(FIXTURES / "site") as server:
        sources = [f"{server.base_url}/feed.xml", str(tmp_path / "nolink.xml"), str(tmp_path / "broken.rss")]
        here = expand_sources(sources, policy)
        with parallel.local_cluster(1) as address, parallel.batch_runner(1, address) as runner:
            assert asyncio.run(runner.offload(os.getpid)) != os.getpid(), "the work ran on the worker"
            there = expand_sources(sources, policy, offload=runner.offload)
        # The cluster is gone (a worker lost, a scheduler stopped): the feeds are parsed here.
        after = expand_sources(sources, policy, offload=runner.offload)
    assert len(here.items) >= 8 and len(here.problems) >= 2, (here.items, here.problems)
    assert there.items == here.items
    assert there.problems == here.problems
    assert (after.items, after.problems) == (here.items, here.problems)
