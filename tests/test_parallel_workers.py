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


def _large_block_faults() -> tuple[str | None, int]:
    """On a worker: the nanny's MALLOC_TRIM_THRESHOLD_, and the page faults of 200 blocks of 400 KB
    each freed behind a small one still alive (~19,700 when each is mapped anew, ~100 when reused)."""
    import os
    import resource

    def faults() -> int:
        return resource.getrusage(resource.RUSAGE_SELF).ru_minflt

    keep, before = [], faults()
    for _ in range(200):
        block = bytearray(400_000)
        keep.append(bytearray(2000))
        del block
    return os.environ.get("MALLOC_TRIM_THRESHOLD_"), faults() - before


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


@pytest.mark.slow
@pytest.mark.integration
def test_a_chunk_sent_ahead_is_kept_only_where_it_is_the_chunk_its_batch_is_cut_into(monkeypatch) -> None:
    # flows.head_start sends chunks before their batch is stored; the store may then leave a
    # document out (already processed), and the chunks must be the same as without sending ahead.
    from flows import parallel

    monkeypatch.setattr(parallel, "WORK_CHUNK", 6)
    docs = _docs()
    here = parse_and_extract(docs)
    with parallel.local_cluster(1) as address, parallel.batch_runner(1, address) as runner:
        same = [runner.send_ahead(docs[:6])]
        kept = runner.submit(docs, early=same)
        other = [runner.send_ahead(docs[1:7]), runner.send_ahead(docs[7:])]
        redone = runner.submit(docs, early=other)
        done = {name: [h.result() for h in hs] for name, hs in (("kept", kept), ("redone", redone))}
        cancelled = [e.handle.status for e in other]
    assert kept[0] is same[0].handle and len(kept) == 2
    assert not any(h is e.handle for e in other for h in redone), "a chunk unlike the batch's is not used"
    assert cancelled == ["cancelled", "cancelled"]
    for name, there in done.items():
        assert [a for d in there for a in d.articles] == here.articles, name
        assert [r for d in there for r in d.results] == here.results, name


@pytest.mark.slow
@pytest.mark.integration
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="mallopt is glibc's")
def test_a_worker_the_flow_connects_to_reuses_large_blocks_despite_its_nannys_setting() -> None:
    """A nanny starts its worker with MALLOC_TRIM_THRESHOLD_ set, which would map every block of
    128 KiB or more anew (8-11% of the work's CPU); connecting sets the worker's allocator
    (storage.process_memory.worker_allocator), on a cluster made here as on anyone's."""
    from flows import parallel

    with parallel.local_cluster(1) as address, parallel.batch_runner(1, address) as runner:
        runner._dask.run(_large_block_faults)  # the heap grows once
        ((setting, faults),) = runner._dask.run(_large_block_faults).values()
    assert setting == "65536", "Dask's nanny still sets it: this test would no longer say anything"
    assert faults < 2000, faults
