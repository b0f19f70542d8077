"""``python -m bench [--articles N] [--workers 1,2] [--scale S] [--out DIR]``: dealwatch vs a naive baseline.

Each size and worker count runs in a fresh process (bench.measure) so that its memory peak is its
own; the naive baseline runs once, with the largest worker count. With no ``--articles`` the
default size (2,000) runs and then ``--scale``× that size at the largest worker count, to show how
time and memory grow. The last line is the machine-readable summary of the base size:
``end-to-end: X articles/s, baseline: Y articles/s, ratio: Z, peak memory: M MB, facts match: yes|no,
workers: W, speedup vs 1 worker: S, incremental reconcile: F of full`` (X, Z, M, S for the largest W).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.incremental import table_row as incremental_row

DEFAULT_ARTICLES = 2000
DEFAULT_SCALE = 5
#: Stages the flow's own process spends wall time in (the rest, parse/gate/extract, is worker time).
COORDINATOR = (
    "start workers",
    "fetch",
    "store",
    "dedupe",
    "store extraction",
    "wait for workers",
    "checkpoint",
    "reconcile",
    "publish",
)


def run_size(n: int, workers: int, sample: int, port: int, args: argparse.Namespace) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "bench.measure", "--articles", str(n), "--out", args.out]
    cmd += ["--seed", str(args.seed), "--baseline-sample", str(sample), "--workers", str(workers)]
    cmd += ["--port", str(port)]
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, timeout=args.timeout)
    lines = proc.stdout.strip().splitlines()
    if proc.returncode != 0 or not lines:
        raise SystemExit(
            f"benchmark run of {n} articles on {workers} worker(s) failed (exit {proc.returncode})"
        )
    result = json.loads(lines[-1])
    Path(args.out, f"results-{n}-w{workers}.json").write_text(json.dumps(result, indent=1, default=str))
    return result


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rate(n: int, seconds: float | None) -> str:
    return f"{n / seconds:,.1f}" if seconds else "—"


def peak_mb(r: dict[str, Any]) -> float:
    """Peak RSS of the benchmark process and its Dask workers up to the end of the flow (model,
    Prefect client, cluster, flow); Prefect's API server and the site server are not counted."""
    mem = r["memory_mb"].get("with_workers") or r["memory_mb"]["process"]
    return max(mem.get("startup", 0.0), mem.get("flow", 0.0))


def stage_rows(r: dict[str, Any]) -> list[tuple[str, float | None, str | None]]:
    """(stage, dealwatch seconds, baseline stage key) in flow order, from the flow's own timers."""
    st, f = r["flow"]["stage_seconds"], r["flow"]
    in_process = f.get("workers", 1) <= 1
    work = sum(st.get(k, 0.0) for k in ("parse", "gate", "extract"))
    rest = f["seconds"] - sum(st.get(k, 0.0) for k in COORDINATOR) - (work if in_process else 0.0)
    return [
        ("connect to the workers", st.get("start workers"), None),
        ("fetch (feeds + pages)", st.get("fetch"), "fetch"),
        ("store raw bytes", st.get("store"), None),
        ("parse (+ dedupe keys) *", st.get("parse"), "parse"),
        ("gate (split + cue rules) *", st.get("gate"), None),
        ("extract (spaCy + rules) *", st.get("extract"), "extract"),
        ("waiting for workers", st.get("wait for workers"), None),
        ("dedupe check + store articles", st.get("dedupe"), None),
        ("store extraction", st.get("store extraction"), None),
        ("checkpoint (beside the workers)", st.get("checkpoint"), None),
        ("reconcile", st.get("reconcile"), None),
        ("publish (snapshot)", st.get("publish"), None),
        ("Prefect and the rest of the flow", max(rest, 0.0), None),
    ]


def load_text(r: dict[str, Any]) -> str:
    before, after = r["flow"].get("load_average", (0.0, 0.0))
    return f"{before:.1f} / {after:.1f}"


def report(runs: list[dict[str, Any]]) -> str:
    """One table per size: a column per worker count, then the baseline."""
    n = runs[0]["articles"]
    base_run = next((r for r in runs if "baseline" in r), None)
    b = base_run["baseline"] if base_run else None
    f0 = runs[0]["flow"]
    cols = [f"{r['flow']['workers']} worker(s) s" for r in runs]
    out = [
        f"== {n:,} articles ({runs[0]['deal_articles']} deal, mean {runs[0]['mean_words']:.0f} words), "
        f"{len(f0['problems'])} source problem(s), {f0['failed']} failed, {f0['skipped']} skipped, "
        f"{f0['duplicates']} duplicate(s)",
        f"{'stage':34} " + " ".join(f"{c:>14}" for c in cols) + f" {'baseline s':>10}",
    ]
    rows = [stage_rows(r) for r in runs]
    for i, (name, _, bkey) in enumerate(rows[0]):
        vals = " ".join(f"{row[i][1]:14.2f}" if row[i][1] is not None else f"{'—':>14}" for row in rows)
        bs = f"{b['estimated_stage_seconds'][bkey]:10.2f}" if b and bkey else f"{'—':>10}"
        out.append(f"{name:34} {vals} {bs}")
    e2e = " ".join(f"{r['flow']['seconds']:14.2f}" for r in runs)
    out.append(f"{'END TO END seconds':34} {e2e} {b['estimated_seconds'] if b else 0:10.2f}")
    out.append(
        f"{'END TO END articles/s':34} "
        + " ".join(f"{rate(n, r['flow']['seconds']):>14}" for r in runs)
        + f" {rate(n, b['estimated_seconds']) if b else '—':>10}"
    )
    if b:
        out.append(
            f"{'ratio to the baseline':34} "
            + " ".join(f"{b['estimated_seconds'] / r['flow']['seconds']:13.1f}×" for r in runs)
        )
    one = next((r for r in runs if r["flow"]["workers"] == 1), None)
    if one:
        out.append(
            f"{'speedup vs 1 worker':34} "
            + " ".join(f"{one['flow']['seconds'] / r['flow']['seconds']:13.2f}×" for r in runs)
        )
    out.append(
        f"{'CPU seconds (user+system)':34} " + " ".join(f"{r['flow']['cpu_seconds']:14.1f}" for r in runs)
    )
    out.append(
        f"{'CPU s of the flow process':34} "
        + " ".join(f"{r['flow'].get('flow_process_cpu_seconds', 0.0):14.1f}" for r in runs)
    )
    out.append(
        f"{'CPU s of the site server':34} "
        + " ".join(f"{r['flow'].get('site_server_cpu_seconds', 0.0):14.1f}" for r in runs)
    )
    out.append(
        f"{'CPU s of parse+gate+extract':34} "
        + " ".join(f"{r['flow']['stage_seconds'].get('work cpu', 0.0):14.1f}" for r in runs)
    )
    out.append(f"{'load average before / after':34} " + " ".join(f"{load_text(r):>14}" for r in runs))
    out.append(f"{'peak memory MB (+ workers)':34} " + " ".join(f"{peak_mb(r):14.0f}" for r in runs))
    out.append(incremental_row(runs))
    out.append(
        "(* seconds of work summed over the worker processes, which run side by side; the other stages are the "
        "flow's own wall time; articles/s = site articles / seconds)"
    )
    out += [run_notes(r) for r in runs]
    same = len({r["fingerprint"] for r in runs}) == 1
    out.append(
        f"same deals, deal ids, evidence and conflicts at every worker count: {'yes' if same else 'NO'}"
    )
    if base_run:
        out.append(baseline_notes(base_run))
    return "\n".join(out)


def run_notes(r: dict[str, Any]) -> str:
    f, p, c, inc = r["flow"], r["prefect"], r["flow"]["counts"], r["incremental"]
    mem = r["memory_mb"]
    return (
        f"{f['workers']} worker(s): {f['worker_processes']} process(es) did the work; cluster start "
        f"{r['cluster_start_s']:.1f}s, spaCy load and warm-up {r['model_load_s']:.1f}s, Prefect start-up "
        f"{p['startup_s']:.1f}s (one-time, not in end to end); per task {p['per_task_ms']:.1f} ms; gate passed "
        f"{c.get('gated', 0)}/{c.get('articles', 0)} articles, {c.get('parsed_sentences', 0):,} of "
        f"{c.get('sentences', 0):,} sentences parsed by spaCy; {f['deal_articles']} deal article(s), "
        f"{f['mentions']} mention(s), {f['deals']} deal(s), {f['conflicts']} conflict(s); peak MB: process "
        f"{mem['process'].get('flow', 0):.0f}, with workers {mem.get('with_workers', {}).get('flow', 0):.0f}, "
        f"with Prefect's server {mem['with_prefect_server'].get('flow', 0):.0f}; database {r['db_mb']:.1f} MB; "
        f"DuckDB writer {r['writer']['rows']:,} rows in {r['writer']['seconds']:.1f}s "
        f"({r['writer']['rows_per_s']:,.0f} rows/s, {r['articles'] / max(r['writer']['seconds'], 1e-9):,.0f} articles/s); "
        f"reconcile after {inc['articles']} new articles {inc['after_new_s']:.2f}s vs full {inc['full_s']:.2f}s"
    )


def baseline_notes(r: dict[str, Any]) -> str:
    b, facts, truth = r["baseline"], r["facts"], r["truth"]
    return "\n".join(
        [
            f"baseline: sequential httpx, trafilatura, full spaCy nlp(text) on every article "
            f"({'+'.join(r.get('baseline_components', []))}), the flow's party/value rules on every sentence; "
            f"a sample of {b['sample']} ({b['sample_deal']} deal) in {b['sample_seconds']:.1f}s, extrapolated "
            f"per article by class to {r['articles']:,}; {b['errors']} error(s)",
            f"facts on {facts['articles']} deal articles of the sample ({r['flow']['workers']} worker(s)): all "
            f"identical in {facts['identical_all']}, main-deal fields identical in {facts['identical_main']}; "
            f"where they differ the flow is right in {facts['gained']} field(s), the baseline in {facts['lost']}, "
            f"both wrong in {facts['both_wrong']}",
            f"generated facts found (main deal): flow {truth['flow_all'][0]}/{truth['flow_all'][1]} on all deal "
            f"articles; on the sample flow {truth['flow_sample'][0]}/{truth['flow_sample'][1]}, baseline "
            f"{truth['baseline_sample'][0]}/{truth['baseline_sample'][1]}",
        ]
    )


def summary_line(runs: list[dict[str, Any]]) -> str:
    """The last line, for the largest worker count (the baseline ran with it; ``--baseline-sample
    0`` skips it, and the line says n/a where a figure needs it)."""
    top = max(runs, key=lambda r: r["flow"]["workers"])
    n = top["articles"]
    e2e = n / top["flow"]["seconds"]
    base = n / top["baseline"]["estimated_seconds"] if "baseline" in top else None
    one = next((r for r in runs if r["flow"]["workers"] == 1), None)
    speedup = f"{one['flow']['seconds'] / top['flow']['seconds']:.2f}" if one else "n/a"
    same = len({r.get("fingerprint") for r in runs}) == 1
    match = ("yes" if top["facts"]["match"] and same else "no") if "facts" in top else "n/a"
    inc = top["incremental"]
    base_text = f"{base:.1f} articles/s, ratio: {e2e / base:.1f}" if base else "n/a, ratio: n/a"
    return (
        f"end-to-end: {e2e:.1f} articles/s, baseline: {base_text}, "
        f"peak memory: {peak_mb(top):.0f} MB, facts match: {match}, workers: {top['flow']['workers']}, "
        f"speedup vs 1 worker: {speedup}, incremental reconcile: {inc['ratio']:.2f} of full"
    )


def growth(a: dict[str, Any], b: dict[str, Any]) -> str:
    out = [f"{'articles':>9} {'workers':>7} {'flow s':>8} {'ms/article':>10} {'peak MB':>8} {'db MB':>7}"]
    for r in (a, b):
        s = r["flow"]["seconds"]
        out.append(
            f"{r['articles']:9,} {r['flow']['workers']:7} {s:8.1f} {1000 * s / r['articles']:10.1f} "
            f"{peak_mb(r):8.0f} {r['db_mb']:7.1f}"
        )
    k = b["articles"] / a["articles"]
    out.append(
        f"{k:.0f}× the articles: {b['flow']['seconds'] / a['flow']['seconds']:.2f}× the time, "
        f"{peak_mb(b) / peak_mb(a):.2f}× the peak memory, {b['db_mb'] / max(a['db_mb'], 1e-9):.2f}× the database"
    )
    return "\n".join(out)


def machine() -> str:
    """Cores, memory, Python, load, date and commit: the context a figure needs to be read."""
    mem = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        ),
        "?",
    )
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{os.cpu_count()} cores, MemTotal {mem}, Python {platform.python_version()}, "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, commit {commit or '?'}, load average {load}"
    )


def write_results(path: Path, command: str, before: str, after: str, text: str) -> None:
    path.write_text(
        "# Benchmark results\n\n"
        f"Command: `{command}`\n\nMachine at start: {before}\n\nMachine at end: {after}\n\n"
        f"```\n{text}\n```\n",
        encoding="utf-8",
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=None, help=f"site size (default {DEFAULT_ARTICLES})")
    ap.add_argument(
        "--workers",
        default=None,
        help="comma-separated worker counts (default 1 and this machine's cores)",
    )
    ap.add_argument(
        "--scale",
        type=int,
        default=None,
        help=f"also run scale × N at the largest worker count (default {DEFAULT_SCALE} when --articles is not given)",
    )
    ap.add_argument("--out", default="bench/out", help="work and results directory")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--baseline-sample", type=int, default=300, help="articles the baseline runs on")
    ap.add_argument("--timeout", type=int, default=3600, help="seconds allowed per run")
    ap.add_argument(
        "--write-results", metavar="MD", help="also write the output and the machine to this file"
    )
    args = ap.parse_args(argv)
    from flows.workers import default_workers

    try:
        counts = sorted({int(w) for w in (args.workers or f"1,{default_workers()}").split(",") if w.strip()})
    except ValueError:
        raise SystemExit(f"--workers takes numbers like 1,2 (got {args.workers!r})") from None
    if not counts or counts[0] < 1:
        raise SystemExit("--workers: every count must be at least 1")
    before = machine()
    n = args.articles or DEFAULT_ARTICLES
    scale = args.scale if args.scale is not None else (None if args.articles else DEFAULT_SCALE)
    Path(args.out).mkdir(parents=True, exist_ok=True)
    lines: list[str] = []

    def say(text: str) -> None:
        print(text, flush=True)
        lines.append(text)

    port = free_port()
    runs = [run_size(n, w, args.baseline_sample if w == counts[-1] else 0, port, args) for w in counts]
    say(report(runs) + "\n")
    if scale and scale > 1:
        big = run_size(n * scale, counts[-1], args.baseline_sample, port, args)
        say(report([big]) + "\n")
        say(growth(runs[-1], big))
        say(f"scale run: {summary_line([big])}")
    say(summary_line(runs))
    if args.write_results:
        command = "python -m bench " + " ".join(sys.argv[1:] if argv is None else argv)
        write_results(Path(args.write_results), command.strip(), before, machine(), "\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
