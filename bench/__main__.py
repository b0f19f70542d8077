"""``python -m bench [--articles N] [--scale S] [--out DIR]``: throughput of dealwatch vs a naive baseline.

Each size runs in a fresh process (bench.measure) so that its memory peak is its own. With no
``--articles`` the default size (2,000) runs and then ``--scale``× that size, to show how time and
memory grow; with ``--articles N`` only that size runs unless ``--scale`` is given too. The last
line is the machine-readable summary of the base size:
``end-to-end: X articles/s, baseline: Y articles/s, ratio: Z, peak memory: M MB, facts match: yes|no``
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

DEFAULT_ARTICLES = 2000
DEFAULT_SCALE = 5


def run_size(n: int, args: argparse.Namespace) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "bench.measure", "--articles", str(n), "--out", args.out]
    cmd += ["--seed", str(args.seed), "--baseline-sample", str(args.baseline_sample)]
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, timeout=args.timeout)
    lines = proc.stdout.strip().splitlines()
    if proc.returncode != 0 or not lines:
        raise SystemExit(f"benchmark run of {n} articles failed (exit {proc.returncode})")
    result = json.loads(lines[-1])
    Path(args.out, f"results-{n}.json").write_text(json.dumps(result, indent=1, default=str))
    return result


def rate(n: int, seconds: float | None) -> str:
    return f"{n / seconds:,.1f}" if seconds else "—"


def peak_mb(r: dict[str, Any]) -> float:
    """Peak RSS of the benchmark process up to the end of the flow (model, Prefect client, flow)."""
    proc = r["memory_mb"]["process"]
    return max(proc.get("startup", 0.0), proc.get("flow", 0.0))


def end_to_end(r: dict[str, Any]) -> tuple[float, float]:
    n = r["articles"]
    return n / r["flow"]["seconds"], n / r["baseline"]["estimated_seconds"]


def flow_rows(r: dict[str, Any]) -> list[tuple[str, float | None, float | None]]:
    """(stage, dealwatch seconds, baseline seconds) in flow order."""
    st, tm = r["flow"]["stage_seconds"], r["flow"]["timers"]
    b = r["baseline"]["estimated_stage_seconds"]
    gate = tm.get("gate", 0.0)
    extract = tm.get("extract_total", 0.0) - gate
    store_x = tm.get("store_extraction", 0.0)
    other_extract = st.get("extract", 0.0) - tm.get("extract_total", 0.0) - store_x
    rows = [
        ("fetch (feeds + pages)", st.get("fetch"), b["fetch"]),
        ("store raw bytes", st.get("store"), None),
        ("parse (trafilatura + metadata)", st.get("parse"), b["parse"]),
        ("dedupe + store articles", st.get("dedupe"), None),
        ("gate (split + cue rules)", gate, None),
        ("extract (spaCy + rules)", extract, b["extract"]),
        ("store extraction", store_x, None),
        ("extract tasks' Prefect overhead", max(other_extract, 0.0), None),
        ("reconcile", st.get("reconcile"), None),
        ("publish (snapshot)", st.get("publish"), None),
    ]
    before, after = r["flow"].get("before_first_stage_s"), r["flow"].get("after_last_stage_s")
    if before is not None:
        rows.append(("flow run start (Prefect)", before, None))
        rows.append(("flow run end (Prefect)", after, None))
    else:
        rest = r["flow"]["seconds"] - sum(st.values())
        rows.append(("flow run overhead (Prefect)", max(rest, 0.0), None))
    return rows


def report(r: dict[str, Any]) -> str:
    n = r["articles"]
    f, b, p = r["flow"], r["baseline"], r["prefect"]
    out = [
        f"== {n:,} articles ({r['deal_articles']} deal, mean {r['mean_words']:.0f} words), "
        f"{len(f['problems'])} source problem(s), {f['failed']} failed, {f['skipped']} skipped, "
        f"{f['duplicates']} duplicate(s)",
        f"{'stage':34} {'dealwatch s':>11} {'art/s':>9} {'baseline s':>10} {'art/s':>8} {'ratio':>7}",
    ]
    for name, ds, bs in flow_rows(r):
        ratio = f"{bs / ds:,.1f}×" if ds and bs else ""
        ds_txt = f"{ds:11.2f}" if ds is not None else f"{'—':>11}"
        bs_txt = f"{bs:10.2f}" if bs is not None else f"{'—':>10}"
        out.append(f"{name:34} {ds_txt} {rate(n, ds):>9} {bs_txt} {rate(n, bs):>8} {ratio:>7}")
    e2e, base = end_to_end(r)
    out.append(
        f"{'END TO END':34} {f['seconds']:11.2f} {e2e:9.1f} {b['estimated_seconds']:10.2f} {base:8.1f} "
        f"{e2e / base:6.1f}×"
    )
    if "cpu_seconds" in f:
        cpu_ratio = b["estimated_cpu_seconds"] / f["cpu_seconds"]
        out.append(
            f"{'CPU seconds (user+system)':34} {f['cpu_seconds']:11.2f} {n / f['cpu_seconds']:9.1f} "
            f"{b['estimated_cpu_seconds']:10.2f} {n / b['estimated_cpu_seconds']:8.1f} {cpu_ratio:6.1f}×"
        )
    extract_s = f["stage_seconds"].get("extract", 0.0)
    if f["seconds"] > extract_s:
        out.append(
            f"ceiling: with extraction free the flow would take {f['seconds'] - extract_s:.1f}s, a ratio of "
            f"{b['estimated_seconds'] / (f['seconds'] - extract_s):.1f}× at most"
        )
    c = f["counts"]
    mem, mem_all = r["memory_mb"]["process"], r["memory_mb"]["with_prefect_server"]
    facts, truth = r["facts"], r["truth"]
    tasks = 6 + 2 * f["extract_batches"]
    out += [
        "(articles/s = site articles / stage seconds; ratio = baseline seconds / dealwatch seconds; "
        "CPU includes the flow's Prefect API server process, not the site server)",
        f"baseline: sequential httpx (one keep-alive client), trafilatura, full spaCy nlp(text) on every "
        f"article ({'+'.join(r.get('baseline_components', []))}), flow's party/value rules on every "
        f"sentence; run on a sample of {b['sample']} "
        f"({b['sample_deal']} deal) in {b['sample_seconds']:.1f}s and extrapolated per article by class "
        f"(deal / other) to {n:,}; {b['errors']} error(s)",
        f"gate: {c.get('passed', 0)}/{c.get('gated', 0)} articles passed; {c.get('parsed_sentences', 0):,} of "
        f"{c.get('sentences', 0):,} sentences parsed by spaCy ({'+'.join(r.get('flow_components', []))}); flow marked {f['deal_articles']} deal article(s), "
        f"{f['mentions']} mention(s), {f['deals']} deal(s), {f['conflicts']} conflict(s)",
        f"Prefect: start-up (first flow run, temporary API) {p['startup_s']:.1f}s, empty flow run "
        f"{p['empty_flow_s']:.2f}s, per task {p['per_task_ms']:.1f} ms; this run had {tasks} tasks "
        f"(≈{tasks * p['per_task_ms'] / 1000:.2f}s); imports {r['import_s']:.1f}s, spaCy model load "
        f"{r['model_load_s']:.1f}s (one-time costs, not in end to end)",
        f"memory (peak RSS, MB): start-up {mem.get('startup', 0):.0f}, flow {mem.get('flow', 0):.0f}, "
        f"baseline {mem.get('baseline', 0):.0f}; with Prefect's API server process: flow "
        f"{mem_all.get('flow', 0):.0f}; RSS after each flow stage: "
        + ", ".join(f"{k} {v:.0f}" for k, v in f.get("rss_after_stage_mb", {}).items()),
        f"database: {r['db_mb']:.1f} MB (+ analysts' snapshot {r['snapshot_mb']:.1f} MB)",
        f"facts on {facts['articles']} deal articles of the sample: all facts identical in "
        f"{facts['identical_all']}, main-deal fields identical in {facts['identical_main']}; where they "
        f"differ the flow is right and the baseline wrong in {facts['gained']} field(s), the reverse in "
        f"{facts['lost']}, both wrong in {facts['both_wrong']}",
        f"generated facts found (main deal): flow {truth['flow_all'][0]}/{truth['flow_all'][1]} on all deal "
        f"articles; on the sample flow {truth['flow_sample'][0]}/{truth['flow_sample'][1]}, baseline "
        f"{truth['baseline_sample'][0]}/{truth['baseline_sample'][1]}",
    ]
    return "\n".join(out)


def summary_line(r: dict[str, Any]) -> str:
    e2e, base = end_to_end(r)
    match = "yes" if r["facts"]["match"] else "no"
    return (
        f"end-to-end: {e2e:.1f} articles/s, baseline: {base:.1f} articles/s, ratio: {e2e / base:.1f}, "
        f"peak memory: {peak_mb(r):.0f} MB, facts match: {match}"
    )


def growth(results: list[dict[str, Any]]) -> str:
    out = [f"{'articles':>9} {'flow s':>8} {'ms/article':>10} {'peak MB':>8} {'db MB':>7}"]
    for r in results:
        s = r["flow"]["seconds"]
        out.append(
            f"{r['articles']:9,} {s:8.1f} {1000 * s / r['articles']:10.1f} {peak_mb(r):8.0f} {r['db_mb']:7.1f}"
        )
    if len(results) == 2:
        a, b = results
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
        "--scale",
        type=int,
        default=None,
        help=f"also run scale × N (default {DEFAULT_SCALE} when --articles is not given)",
    )
    ap.add_argument("--out", default="bench/out", help="work and results directory")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--baseline-sample", type=int, default=300, help="articles the baseline runs on")
    ap.add_argument("--timeout", type=int, default=3600, help="seconds allowed per size")
    ap.add_argument(
        "--write-results", metavar="MD", help="also write the output and the machine to this file"
    )
    args = ap.parse_args(argv)
    before = machine()
    n = args.articles or DEFAULT_ARTICLES
    scale = args.scale if args.scale is not None else (None if args.articles else DEFAULT_SCALE)
    Path(args.out).mkdir(parents=True, exist_ok=True)
    sizes = [n] + ([n * scale] if scale and scale > 1 else [])
    results, lines = [], []

    def say(text: str) -> None:
        print(text, flush=True)
        lines.append(text)

    for size in sizes:
        r = run_size(size, args)
        results.append(r)
        say(report(r) + "\n")
    if len(results) > 1:
        say(growth(results))
        say(f"scale run: {summary_line(results[1])}")
    say(summary_line(results[0]))
    if args.write_results:
        command = "python -m bench " + " ".join(sys.argv[1:] if argv is None else argv)
        write_results(Path(args.write_results), command.strip(), before, machine(), "\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
