"""``python -m bench.timeline [--articles 1000] [--workers 2]``: when each core is busy during one ingest.

One run of the real ``ingest`` flow on a generated site, as bench.measure runs it (site server in
its own process, the cluster started before the flow), recording: each stage of the flow's own
process (RunMetrics.stage, wrapped to keep start and end), each chunk's submission and its span on
its worker (WorkDone.span), all relative to the flow's start; then the idle-core seconds between the
flow's start and end, and the CPU seconds of the flow's process and of each worker. It wraps two
functions to record times and changes nothing they do; the figures are the bench's to read
(``python -m bench``), this shows where the cores wait.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psutil

from bench.corpus import generate_site
from bench.measure import POLICY, prefect_startup, start_server


def _record(events: list[tuple[str, float, float, str]]) -> None:
    """Wrap RunMetrics.stage, BatchRunner.submit and .offload, and ingest.write_submitted to keep spans."""
    from flows import ingest as ingest_mod
    from flows import parallel
    from flows.run_context import RunMetrics

    stage = RunMetrics.stage

    @contextlib.contextmanager
    def timed_stage(self: RunMetrics, name: str) -> Iterator[None]:
        t0 = time.time()
        with stage(self, name):
            yield
        events.append(("flow", t0, time.time(), name))

    RunMetrics.stage = timed_stage  # type: ignore[method-assign]
    submit = parallel.BatchRunner.submit

    def timed_submit(self: Any, docs: list, **kw: Any) -> list:
        handles = submit(self, docs, **kw)
        events.append(("submit", time.time(), time.time(), f"{len(docs)} docs, {len(handles)} chunk(s)"))
        return handles

    parallel.BatchRunner.submit = timed_submit  # type: ignore[method-assign]
    offload = parallel.BatchRunner.offload

    async def timed_offload(self: Any, func: Any, *args: Any) -> Any:
        t0 = time.time()
        try:
            return await offload(self, func, *args)
        finally:
            events.append(("offload", t0, time.time(), f"{func.__name__} on a worker, awaited"))

    parallel.BatchRunner.offload = timed_offload  # type: ignore[method-assign]
    write = ingest_mod.write_submitted

    def timed_write(con: Any, ctx: Any, sub: Any, *rest: Any) -> None:
        for h in sub.handles:
            done = h.result()
            events.append((f"worker {done.worker}", *done.span, f"{len(done.articles)} docs"))
        write(con, ctx, sub, *rest)

    ingest_mod.write_submitted = timed_write
    opened = ingest_mod.connection

    @contextlib.contextmanager
    def timed_connection(path: str, **kw: Any) -> Iterator[Any]:
        t0 = time.time()
        with opened(path, **kw) as con:
            events.append(("flow", t0, time.time(), "open the database"))
            yield con
            t1 = time.time()
        events.append(("flow", t1, time.time(), "close the database"))

    ingest_mod.connection = timed_connection
    _record_publish(events)


#: The parts of "publish", each a span of its own (the report runs in a thread beside the artifact).
PUBLISH_PARTS = {
    "flows.ingest": ("end_run", "publish_snapshot", "create_markdown_artifact"),
    "flows.report": ("write_report",),
}


def _record_publish(events: list[tuple[str, float, float, str]]) -> None:
    """Wrap each of PUBLISH_PARTS (looked up by name when called) to keep its span."""
    import importlib

    for module_name, names in PUBLISH_PARTS.items():
        module = importlib.import_module(module_name)
        for name in names:
            setattr(module, name, _timed(events, getattr(module, name), f"  {name}"))


def _timed(events: list[tuple[str, float, float, str]], func: Any, label: str) -> Any:
    def timed(*args: Any, **kw: Any) -> Any:
        t0 = time.time()
        try:
            return func(*args, **kw)
        finally:
            events.append(("flow", t0, time.time(), label))

    return timed


def busy_union(spans: list[tuple[float, float]]) -> float:
    total, end = 0.0, float("-inf")
    for a, b in sorted(spans):
        if b > end:
            total += b - max(a, end)
            end = b
    return total


def report(events: list[tuple[str, float, float, str]], t0: float, t1: float, cores: int) -> str:
    lines = [f"{'who':28} {'start':>7} {'end':>7} {'s':>6}  what"]
    for who, a, b, what in sorted(events, key=lambda e: e[1]):
        if b - a >= 0.02 or who != "flow":
            lines.append(f"{who[:28]:28} {a - t0:7.2f} {b - t0:7.2f} {b - a:6.2f}  {what}")
    wall = t1 - t0
    workers = sorted({e[0] for e in events if e[0].startswith("worker")})
    busy = {w: busy_union([(a, b) for who, a, b, _ in events if who == w]) for w in workers}
    first = min((a for who, a, _, _ in events if who.startswith("worker")), default=t0)
    last = max((b for who, _, b, _ in events if who.startswith("worker")), default=t0)
    ends = [max(b for who, _, b, _ in events if who == w) for w in workers]
    lines.append(
        f"flow wall {wall:.2f}s; first chunk starts at {first - t0:.2f}s, last ends at {last - t0:.2f}s"
    )
    lines.append("worker ends: " + ", ".join(f"{e - t0:.2f}" for e in ends))
    for w in workers:
        lines.append(f"{w}: busy {busy[w]:.2f}s of {wall:.2f}s (idle {wall - busy[w]:.2f}s)")
    lines.append(f"after the last chunk: {t1 - last:.2f}s of the flow alone")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.timeline", description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--out", default="bench/out/timeline")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--json", help="also write the events here")
    args = ap.parse_args(argv)
    os.environ.setdefault("PYTHONHASHSEED", "0")
    from flows.prefect_env import configure_prefect, guard_ephemeral_server

    configure_prefect()
    guard_ephemeral_server()
    from flows import ingest as ingest_mod
    from flows.parallel import local_cluster

    out = Path(args.out)
    shutil.rmtree(out, ignore_errors=True)
    site = generate_site(out / "site", args.articles, seed=args.seed)
    server, base = start_server(out / "site")
    events: list[tuple[str, float, float, str]] = []
    _record(events)
    me = psutil.Process()
    prefect_startup()  # the temporary API server starts before the flow, as in the bench
    try:
        with contextlib.ExitStack() as stack:
            if args.workers <= 1:
                from extractors.nlp import get_nlp

                get_nlp()
            address = stack.enter_context(local_cluster(args.workers)) if args.workers > 1 else None
            kids = [k for k in me.children(recursive=True) if k.pid != server.pid]
            cpu0 = {k.pid: sum(k.cpu_times()[:2]) for k in kids}
            own0, load0 = sum(me.cpu_times()[:2]), os.getloadavg()[0]
            t0 = time.time()
            ingest_mod.ingest(
                [f"{base}/{f}" for f in site.feeds],
                db_path=str(out / "t.duckdb"),
                policy_overrides=POLICY,
                quiet=True,
                workers=args.workers,
                dask_address=address,
            )
            t1 = time.time()
            own = sum(me.cpu_times()[:2]) - own0
            cpu = {}
            for k in kids:
                with contextlib.suppress(psutil.Error):
                    cpu[f"{k.pid} {' '.join(k.cmdline()[-2:])[:40]}"] = sum(k.cpu_times()[:2]) - cpu0[k.pid]
    finally:
        server.kill()
        server.wait()
    print(report(events, t0, t1, args.workers))
    print(f"CPU s: flow process {own:.2f}; " + "; ".join(f"{k}: {v:.2f}" for k, v in cpu.items() if v > 0.05))
    print(f"load average before / after: {load0:.2f} / {os.getloadavg()[0]:.2f}")
    if args.json:
        Path(args.json).write_text(json.dumps({"t0": t0, "t1": t1, "events": events}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
