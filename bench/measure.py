"""One benchmark run of one size, meant to run in a fresh process so its memory peak is its own.

``python -m bench.measure --articles N --out DIR`` generates the site, serves it from a separate
process (so serving does not compete with the flow for this process's GIL), measures Prefect's
overheads, runs the real ``ingest`` flow, then the naive baseline on a sample, and prints one JSON
object as its last stdout line (progress goes to stderr).

Everything is measured by the flow's own timers and counters (``RunSummary.stage_seconds`` and
``work_counts``): nothing is patched. ``--workers W`` > 1 starts a local Dask cluster of W processes
before the flow (a one-time cost, reported apart like the model load) and ingests on it. After
the ingest, 100 new articles are ingested into the finished database to time its reconcile stage
against a full reconcile.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import psutil

from bench.corpus import generate_site
from bench.facts import baseline, flow_facts, truth_score
from bench.rss import RssReader

POLICY = {"per_host_delay": 0.0, "per_host_concurrency": 8, "global_concurrency": 16}
NOOP_TASKS = 100
#: Seconds between two listings of the benchmark's child processes by the memory sampler.
CHILDREN_EVERY = 1.0


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


class MemorySampler:
    """Peak RSS per phase, sampled every 50 ms: this process alone; with its Dask worker processes
    (``peak_work``: what the run itself holds); and with every child (the Prefect API server too)
    except the site server, which stands in for the web."""

    def __init__(self, exclude: set[int]) -> None:
        self.proc = psutil.Process()
        self.exclude = exclude
        self.phase = "setup"
        self.peak: dict[str, float] = defaultdict(float)
        self.peak_all: dict[str, float] = defaultdict(float)
        self.peak_work: dict[str, float] = defaultdict(float)
        self._api_server: dict[int, bool] = {}
        self._own_cmdline = self.proc.cmdline()
        self._kids: list[psutil.Process] = []
        self._children_at = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._rss = RssReader()

    def _children(self) -> list[psutil.Process]:
        """This process's descendants, listed again at most every CHILDREN_EVERY seconds: listing
        them reads /proc/PID/stat of every process on the machine (measured: ~9 % of a core at a
        50 ms period on a busy machine, in the flow's own process), while a worker process is
        started once, before the flow."""
        now = time.monotonic()
        if now >= self._children_at:
            with suppress(psutil.Error):
                self._kids = self.proc.children(recursive=True)
            self._children_at = now + CHILDREN_EVERY
        return self._kids

    def _sample(self) -> None:
        own = self._rss.read(self.proc.pid)
        if own is None:
            return
        total = work = own
        for child in self._children():
            if child.pid in self.exclude:
                continue
            rss = self._rss.read(child.pid)
            if rss is None:
                continue
            total += rss
            with suppress(psutil.Error):
                if not self._is_api_server(child):
                    work += rss
        mb = 1024 * 1024
        self.peak[self.phase] = max(self.peak[self.phase], own / mb)
        self.peak_all[self.phase] = max(self.peak_all[self.phase], total / mb)
        self.peak_work[self.phase] = max(self.peak_work[self.phase], work / mb)

    def cpu_seconds(self) -> float:
        """CPU time of the sampler's own thread so far: it runs in the flow's process, so the
        flow-process CPU the benchmark reports includes it (reported apart, ``sampler_cpu_seconds``)."""
        tid = self._thread.native_id
        return sum(t.user_time + t.system_time for t in psutil.Process().threads() if t.id == tid)

    def _is_api_server(self, child: psutil.Process) -> bool:
        """Prefect's temporary API (uvicorn) is Prefect's, not the run's; Dask workers are the run's.
        A no is remembered only from a command line other than this process's: one sampled
        between its fork and its exec still shows the parent's (seen: the API server counted as
        a worker, +225 MB, in one run). Reading every child's command line on every sample was
        most of the sampler's CPU."""
        known = self._api_server.get(child.pid)
        if known is None:
            cmdline = child.cmdline()
            if cmdline == self._own_cmdline:
                return False
            known = self._api_server[child.pid] = "uvicorn" in " ".join(cmdline)
        return known

    def _run(self) -> None:
        while not self._stop.wait(0.05):
            with suppress(psutil.Error):
                self._sample()

    @contextmanager
    def during(self, phase: str):
        self.phase = phase
        self._children_at = 0.0  # a new phase may have started processes: list them now
        self._sample()
        try:
            yield
        finally:
            self._sample()
            self.phase = "idle"

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self._rss.close()


def cpu_seconds(exclude: set[int]) -> float:
    """CPU time (user + system) of this process and its children except ``exclude``: on a shared
    machine it moves far less with other people's load than wall time does."""
    me = psutil.Process()
    total = sum(me.cpu_times()[:2])
    for child in me.children(recursive=True):
        if child.pid not in exclude:
            with suppress(psutil.Error):
                total += sum(child.cpu_times()[:2])
    return total


def own_cpu_seconds() -> float:
    """CPU time (user + system) of this process alone: the flow's orchestration, fetch and writer."""
    return sum(psutil.Process().cpu_times()[:2])


def cpu_seconds_of(pids: set[int]) -> float:
    """CPU time (user + system) of the processes ``pids`` (the site server), 0 for one gone."""
    total = 0.0
    for pid in pids:
        with suppress(psutil.Error):
            total += sum(psutil.Process(pid).cpu_times()[:2])
    return total


def start_server(root: Path, port: int = 0) -> tuple[subprocess.Popen, str]:
    """flows.site_server.SiteServer(root, port) in its own process; returns it and its base URL.
    Runs at several worker counts use one port, so their article ids and deal ids can be compared."""
    code = (
        "import sys, time\n"
        "from flows.site_server import SiteServer\n"
        "s = SiteServer(sys.argv[1], int(sys.argv[2])).start()\n"
        "print(s.base_url, flush=True)\n"
        "time.sleep(10**7)\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(root), str(port)], stdout=subprocess.PIPE, text=True
    )
    base = proc.stdout.readline().strip()
    if not base.startswith("http://"):
        proc.kill()
        raise RuntimeError("site server did not start")
    return proc, base


def _probe_flows():
    from prefect import flow, task

    @task
    def noop(i: int) -> int:
        return i

    @flow
    def empty() -> int:
        return 0

    @flow
    def many(k: int) -> int:
        for i in range(k):
            noop(i)
        return k

    return empty, many


def _timed(fn, *args) -> float:
    t0 = time.perf_counter()
    fn(*args)
    return time.perf_counter() - t0


def prefect_startup() -> dict[str, float]:
    """The first flow run of the process, which starts the temporary API."""
    empty, _ = _probe_flows()
    return {"startup_s": _timed(empty)}


def prefect_overhead() -> dict[str, float]:
    """A warm empty flow run and the cost of one no-op task (NOOP_TASKS sequential task calls in one
    flow). Measured after the ingest flow: the API server digests the probe's task events for
    seconds afterwards, and a flow run created meanwhile waits for it (~6 s measured)."""
    empty, many = _probe_flows()
    warm = statistics.median(_timed(empty) for _ in range(3))
    with_tasks = _timed(many, NOOP_TASKS)
    return {"empty_flow_s": warm, "per_task_ms": max(0.0, (with_tasks - warm) / NOOP_TASKS * 1000)}


FINGERPRINT_SQL = {
    "deals": "SELECT * EXCLUDE (first_seen, last_seen) FROM deals ORDER BY deal_id",
    "evidence": "SELECT * FROM evidence ORDER BY ALL",
    "conflicts": "SELECT * FROM conflicts ORDER BY conflict_id",
}


def fingerprint(db: Path) -> str:
    """One hash of what analysts read (deals without the clock, evidence, conflicts): equal hashes
    mean the same deals, ids and evidence."""
    import hashlib

    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = {k: con.execute(sql).fetchall() for k, sql in FINGERPRINT_SQL.items()}
    finally:
        con.close()
    return hashlib.sha256(json.dumps(rows, default=str).encode()).hexdigest()[:16]


#: Tables the flow's single writer fills per article, before reconcile (stages store, dedupe, store
#: extraction).
WRITER_TABLES = ("raw_documents", "fetch_log", "http_cache", "article_store", "mention_store", "fact_store")
WRITER_STAGES = ("store", "dedupe", "store extraction")


def writer_throughput(db: Path, stage_seconds: dict[str, float]) -> dict[str, float]:
    """Rows the single DuckDB writer stored per second of its stages: the ceiling no worker count lifts."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        counts = " + ".join(f"(SELECT count(*) FROM {t})" for t in WRITER_TABLES)
        (rows,) = con.execute(f"SELECT {counts} AS rows").fetchone()
    finally:
        con.close()
    seconds = sum(stage_seconds.get(k, 0.0) for k in WRITER_STAGES)
    return {"rows": rows, "seconds": seconds, "rows_per_s": rows / seconds if seconds else 0.0}


def flow_result(summary, seconds: float, cpu: float, workers: int) -> dict[str, Any]:
    """What the flow reports about itself: its own stage timers and counters (RunSummary)."""
    return {
        "workers": workers,
        "worker_processes": len(summary.workers),
        "seconds": seconds,
        "cpu_seconds": cpu,
        "stage_seconds": dict(summary.stage_seconds),
        "counts": dict(summary.work_counts),
        "fetched": summary.fetched,
        "new": summary.new,
        "failed": len(summary.failed),
        "skipped": len(summary.skipped),
        "duplicates": summary.duplicates,
        "problems": [p.reason for p in summary.problems][:5],
        "deal_articles": summary.deal_articles,
        "mentions": summary.mentions,
        "deals": summary.deals_total,
        "conflicts": summary.conflicts,
    }


def incremental_reconcile(db: Path, work: Path, seed: int, new: int, workers: int, address: str | None):
    """A full reconcile of the finished database, then an ingest of ``new`` new articles: F = the
    seconds of that run's reconcile (its connection and reconcile_database, as the full one is
    timed) over the full one's. Also CPU F and the flow's whole reconcile stage (with Prefect's
    task bookkeeping) over the full reconcile, and the 1-minute load average."""
    from flows import ingest as ingest_mod
    from storage.db import connection
    from storage.reconcile_db import reconcile_database

    full, full_cpu = [], []
    for _ in range(3):  # the median of three: one timing on a busy machine can be off by 2x
        t0, cpu0 = time.perf_counter(), time.process_time()
        with connection(str(db)) as con:
            reconcile_database(con, full=True)
        full.append(time.perf_counter() - t0)
        full_cpu.append(time.process_time() - cpu0)
    full_s, full_cpu_s = statistics.median(full), statistics.median(full_cpu)
    site = generate_site(work / "site-new", new, seed=seed + 1)
    server, base = start_server(work / "site-new")
    try:
        summary = ingest_mod.ingest(
            [f"{base}/{f}" for f in site.feeds],
            db_path=str(db),
            policy_overrides=POLICY,
            quiet=True,
            workers=workers,
            dask_address=address,
        )
    finally:
        server.kill()
        server.wait()
    stage_s = summary.stage_seconds.get("reconcile", 0.0)
    after_s = summary.stage_seconds.get("reconcile database", stage_s)
    after_cpu = summary.stage_seconds.get("reconcile cpu")
    return {
        "articles": new,
        "full_s": full_s,
        "full_cpu_s": full_cpu_s,
        "after_new_s": after_s,
        "after_new_cpu_s": after_cpu,
        "stage_s": stage_s,
        "ratio": after_s / full_s if full_s else None,
        "ratio_cpu": after_cpu / full_cpu_s if after_cpu is not None and full_cpu_s else None,
        "ratio_stage": stage_s / full_s if full_s else None,
        "load_average": os.getloadavg()[0],
    }


def ingest_measured(
    mem: MemorySampler, feeds: list[str], db: Path, workers: int, address: str | None, skip: set[int]
):
    from flows import ingest as ingest_mod

    log(f"ingest flow over {len(feeds)} feed(s) on {workers} worker(s)…")
    load_before = os.getloadavg()[0]
    with mem.during("flow"):
        cpu0, own0, server0 = cpu_seconds(skip), own_cpu_seconds(), cpu_seconds_of(skip)
        sampler0 = mem.cpu_seconds()
        t0 = time.perf_counter()
        summary = ingest_mod.ingest(
            feeds,
            db_path=str(db),
            policy_overrides=POLICY,
            quiet=False,
            workers=workers,
            dask_address=address,
        )
        flow_s = time.perf_counter() - t0
        flow_cpu = cpu_seconds(skip) - cpu0
        own_cpu, server_cpu = own_cpu_seconds() - own0, cpu_seconds_of(skip) - server0
        sampler_cpu = mem.cpu_seconds() - sampler0
    log(f"flow done in {flow_s:.1f}s: {summary.stage_seconds}")
    result = flow_result(summary, flow_s, flow_cpu, workers)
    result["load_average"] = [load_before, os.getloadavg()[0]]  # 1-minute, before and after the flow
    result["flow_process_cpu_seconds"] = own_cpu  # the orchestrating process alone (fetch, writer, Prefect)
    result["site_server_cpu_seconds"] = server_cpu  # the stand-in for the web, on the same cores
    result["sampler_cpu_seconds"] = sampler_cpu  # the memory sampler's thread: in the flow process's CPU
    return summary, result


def run(
    n: int,
    out: Path,
    seed: int,
    sample: int,
    keep: bool,
    workers: int = 1,
    port: int = 0,
    new_articles: int = 100,
) -> dict[str, Any]:
    """One size on one worker count: generate, serve, (start a cluster), ingest, reconcile 100 new
    articles, and — when ``sample`` — the naive baseline on a sample."""
    from flows.parallel import local_cluster

    out.mkdir(parents=True, exist_ok=True)
    work = out / f"run-{n}-w{workers}"
    shutil.rmtree(work, ignore_errors=True)
    root, db = work / "site", work / "bench.duckdb"
    t0 = time.perf_counter()
    site = generate_site(root, n, seed=seed)
    gen_s = time.perf_counter() - t0
    log(f"generated {n} articles ({len(site.deal_pages)} deal) in {gen_s:.1f}s, {len(site.feeds)} feed(s)")
    server, base = start_server(root, port)
    result: dict[str, Any] = {"articles": n, "deal_articles": len(site.deal_pages), "generate_s": gen_s}
    result["mean_words"] = statistics.mean(p.words for p in site.pages)
    try:
        with MemorySampler(exclude={server.pid}) as mem, contextlib.ExitStack() as stack:
            with mem.during("startup"):
                t0 = time.perf_counter()
                from flows import ingest as ingest_mod  # noqa: F401 - import time is reported

                result["import_s"] = time.perf_counter() - t0
                from flows.batch_work import warm_worker

                # One worker extracts in this process; with more, the cluster's start warms each
                # worker. Both warm the same way (spaCy, trafilatura, the deal path's rules), so
                # neither count pays in its run what the other had paid before it.
                t0 = time.perf_counter()
                if workers <= 1:
                    warm_worker()
                result["model_load_s"] = time.perf_counter() - t0
                result["prefect"] = prefect_startup()
                # Like the model load, starting worker processes is a one-time cost (a served flow
                # keeps its cluster): started here and not counted in the flow's seconds.
                t0 = time.perf_counter()
                address = stack.enter_context(local_cluster(workers)) if workers > 1 else None
                result["cluster_start_s"] = time.perf_counter() - t0
            feeds = [f"{base}/{f}" for f in site.feeds]
            summary, result["flow"] = ingest_measured(mem, feeds, db, workers, address, {server.pid})
            result["fingerprint"] = fingerprint(db)
            result["writer"] = writer_throughput(db, summary.stage_seconds)
            result["prefect"].update(prefect_overhead())
            log(f"prefect: {result['prefect']}")
            result["db_mb"] = db.stat().st_size / 2**20 if db.exists() else 0.0
            snap = Path(summary.snapshot_path) if summary.snapshot_path else None
            result["snapshot_mb"] = snap.stat().st_size / 2**20 if snap and snap.exists() else 0.0
            deal_urls = [f"{base}/{p.path}" for p in site.deal_pages]
            result["truth"] = {"flow_all": truth_score(site.deal_pages, flow_facts(db, deal_urls), base)}
            with mem.during("incremental"):
                result["incremental"] = incremental_reconcile(db, work, seed, new_articles, workers, address)
            log(f"incremental reconcile: {result['incremental']}")
            if sample:
                baseline(result, site, db, base, sample, seed, mem)
        result["memory_mb"] = {
            "process": dict(mem.peak),
            "with_workers": dict(mem.peak_work),
            "with_prefect_server": dict(mem.peak_all),
        }
        result["ru_maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    finally:
        server.kill()
        server.wait()
    if not keep:
        shutil.rmtree(root, ignore_errors=True)
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.measure", description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--out", default="bench/out")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--baseline-sample", type=int, default=300, help="0: no baseline in this run")
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--port", type=int, default=0, help="site server port (0: any free one)")
    ap.add_argument("--keep", action="store_true", help="keep the generated site")
    args = ap.parse_args(argv)
    os.environ.setdefault("PYTHONHASHSEED", "0")
    from flows.prefect_env import configure_prefect, guard_ephemeral_server

    configure_prefect()  # as the CLI does when a command starts (never at import)
    guard_ephemeral_server()  # and before it runs a flow (flows.run_command)
    result = run(
        args.articles, Path(args.out), args.seed, args.baseline_sample, args.keep, args.workers, args.port
    )
    print(json.dumps(result, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
