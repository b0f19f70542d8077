"""One benchmark run of one size, meant to run in a fresh process so its memory peak is its own.

``python -m bench.measure --articles N --out DIR`` generates the site, serves it from a separate
process (so serving does not compete with the flow for this process's GIL), measures Prefect's
overheads, runs the real ``ingest`` flow, then the naive baseline on a sample, and prints one JSON
object as its last stdout line (progress goes to stderr).

The flow's stage times come from ``RunSummary.stage_seconds``. The gate, the extraction proper and
the extraction's database writes are not separate flow stages, so the functions the flow calls for
them are wrapped with timers for the run (instrumentation only; no behaviour changes).
"""

from __future__ import annotations

import argparse
import json
import os
import random
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

from bench.corpus import Page, Site, generate_site

POLICY = {"per_host_delay": 0.0, "per_host_concurrency": 8, "global_concurrency": 16}
NOOP_TASKS = 100


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


class MemorySampler:
    """Peak RSS per phase, sampled every 50 ms: this process alone, and with its children (the
    Prefect API server Prefect starts) except the site server, which stands in for the web."""

    def __init__(self, exclude: set[int]) -> None:
        self.proc = psutil.Process()
        self.exclude = exclude
        self.phase = "setup"
        self.peak: dict[str, float] = defaultdict(float)
        self.peak_all: dict[str, float] = defaultdict(float)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> None:
        own = self.proc.memory_info().rss
        total = own
        for child in self.proc.children(recursive=True):
            if child.pid in self.exclude:
                continue
            with suppress(psutil.Error):
                total += child.memory_info().rss
        mb = 1024 * 1024
        self.peak[self.phase] = max(self.peak[self.phase], own / mb)
        self.peak_all[self.phase] = max(self.peak_all[self.phase], total / mb)

    def _run(self) -> None:
        while not self._stop.wait(0.05):
            with suppress(psutil.Error):
                self._sample()

    @contextmanager
    def during(self, phase: str):
        self.phase = phase
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


class Timers:
    """Wraps module attributes with accumulating wall-clock timers for the duration of a run."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self.counts: dict[str, int] = defaultdict(int)
        self._undo: list[tuple[Any, str, Any]] = []

    def wrap(self, module: Any, attr: str, name: str, count=None) -> None:
        """``count(result)`` may return {counter: n} to add to ``self.counts``."""
        original = getattr(module, attr)

        def timed(*args, **kwargs):
            t0 = time.perf_counter()
            try:
                result = original(*args, **kwargs)
            finally:
                self.seconds[name] += time.perf_counter() - t0
                self.calls[name] += 1
            for key, k in (count(result) if count else {}).items():
                self.counts[key] += k
            return result

        setattr(module, attr, timed)
        self._undo.append((module, attr, original))

    def restore(self) -> None:
        for module, attr, original in reversed(self._undo):
            setattr(module, attr, original)
        self._undo.clear()


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


def start_server(root: Path) -> tuple[subprocess.Popen, str]:
    """flows.site_server.SiteServer(root) in its own process; returns it and its base URL."""
    code = (
        "import sys, time\n"
        "from flows.site_server import SiteServer\n"
        "s = SiteServer(sys.argv[1]).start()\n"
        "print(s.base_url, flush=True)\n"
        "time.sleep(10**7)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code, str(root)], stdout=subprocess.PIPE, text=True)
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


def fact_key(field: str, value: Any) -> tuple[str, str]:
    return field, json.dumps(value, sort_keys=True, default=str)


def flow_facts(db: Path, urls: list[str]) -> dict[str, dict]:
    """Per URL: the parties of every mention and every fact, as the flow stored them."""
    import duckdb

    out: dict[str, dict] = {u: {"mentions": [], "facts": set(), "main": {}} for u in urls}
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(
            "SELECT a.url, m.mention_id, m.provider, m.customer, m.is_main, m.mention_index "
            "FROM mention_store m JOIN article_store a USING (article_id) WHERE a.url IN (SELECT unnest(?))",
            [urls],
        ).fetchall()
        mains = {}
        for url, mid, prov, cust, _is_main, idx in rows:
            out[url]["mentions"].append((prov, cust))
            if idx == 0:
                mains[mid] = url
                out[url]["main"].update(provider=prov, customer=cust)
        facts = con.execute(
            "SELECT a.url, f.mention_id, f.field, f.value FROM fact_store f JOIN article_store a USING (article_id) "
            "WHERE a.url IN (SELECT unnest(?))",
            [urls],
        ).fetchall()
        for url, mid, field, value in facts:
            v = json.loads(value)
            out[url]["facts"].add(fact_key(field, v))
            if mid in mains:
                out[url]["main"].setdefault(field, v)
    finally:
        con.close()
    return out


def naive_facts(mentions) -> dict:
    from storage.writer import to_json

    d: dict[str, Any] = {"mentions": [], "facts": set(), "main": {}}
    for m in mentions:
        d["mentions"].append((m.provider, m.customer))
        if m.mention_index == 0:
            d["main"].update(provider=m.provider, customer=m.customer)
        for f in m.facts:
            v = json.loads(to_json(f.to_dict()["value"]))
            d["facts"].add(fact_key(f.field, v))
            if m.mention_index == 0:
                d["main"].setdefault(f.field, v)
    return d


def agrees(truth_value: Any, got: Any) -> bool:
    """Lenient: hardware 'GB300' in 'Nvidia GB300', location 'Reno' in 'Reno, Nevada', 1e6 == 1000000.0."""
    if got is None:
        return False
    if isinstance(truth_value, (int, float)) and isinstance(got, (int, float)):
        return abs(float(truth_value) - float(got)) < 1e-6 * max(1.0, abs(float(truth_value)))
    if isinstance(got, list):
        return any(agrees(truth_value, g) for g in got)
    return str(truth_value).lower() in str(got).lower()


def truth_score(pages: list[Page], found: dict[str, dict], base: str) -> tuple[int, int]:
    hit = total = 0
    for p in pages:
        main = found.get(f"{base}/{p.path}", {}).get("main", {})
        for k, v in p.truth.items():
            total += 1
            hit += agrees(v, main.get(k))
    return hit, total


def compare(pages: list[Page], flow: dict[str, dict], naive: dict[str, dict], base: str) -> dict[str, Any]:
    """Do the flow and the baseline extract the same facts from the deal articles?

    Strictly: every fact of every mention identical (``identical_all``), or the main deal's value of
    each field the article states identical (``identical_main``). Where they differ, the generator's
    truth says who is right: ``lost`` counts fields the baseline got right and the flow did not
    (facts the gate / per-sentence parsing cost), ``gained`` the reverse. ``match`` = nothing lost.
    """
    same_all = same_main = lost = gained = both_wrong = 0
    examples = []
    for p in pages:
        url = f"{base}/{p.path}"
        f, n = flow[url], naive[url]
        same_all += f["facts"] == n["facts"] and sorted(map(str, f["mentions"])) == sorted(
            map(str, n["mentions"])
        )
        truth = {"provider": p.truth.get("provider"), "customer": p.truth.get("customer"), **p.truth}
        diff = {}
        for k, v in truth.items():
            fv, nv = f["main"].get(k), n["main"].get(k)
            if json.dumps(fv, default=str) == json.dumps(nv, default=str):
                continue
            fr, nr = agrees(v, fv), agrees(v, nv)
            lost += nr and not fr
            gained += fr and not nr
            both_wrong += not fr and not nr
            diff[k] = {"flow": fv, "baseline": nv, "true": v}
        same_main += not diff
        if diff and len(examples) < 4:
            examples.append({"page": p.path, "diff": diff})
    return {
        "articles": len(pages),
        "identical_all": same_all,
        "identical_main": same_main,
        "lost": lost,
        "gained": gained,
        "both_wrong": both_wrong,
        "match": lost == 0,
        "examples": examples,
    }


def baseline_sample(site: Site, size: int, seed: int) -> list[Page]:
    """Up to two thirds deal articles (all of them when they fit), the rest other news."""
    rng = random.Random(seed)
    deals = site.deal_pages
    others = [p for p in site.pages if not p.is_deal]
    k_deal = min(len(deals), (2 * size) // 3)
    return rng.sample(deals, k_deal) + rng.sample(others, min(len(others), size - k_deal))


def run(n: int, out: Path, seed: int, sample: int, keep: bool) -> dict[str, Any]:
    out.mkdir(parents=True, exist_ok=True)
    work = out / f"run-{n}"
    shutil.rmtree(work, ignore_errors=True)
    root, db = work / "site", work / "bench.duckdb"
    t0 = time.perf_counter()
    site = generate_site(root, n, seed=seed)
    gen_s = time.perf_counter() - t0
    log(f"generated {n} articles ({len(site.deal_pages)} deal) in {gen_s:.1f}s, {len(site.feeds)} feed(s)")
    server, base = start_server(root)
    result: dict[str, Any] = {"articles": n, "deal_articles": len(site.deal_pages), "generate_s": gen_s}
    result["mean_words"] = statistics.mean(p.words for p in site.pages)
    try:
        with MemorySampler(exclude={server.pid}) as mem:
            with mem.during("startup"):
                t0 = time.perf_counter()
                from flows import ingest as ingest_mod
                from flows import stages

                result["import_s"] = time.perf_counter() - t0
                from extractors import pipeline
                from extractors.nlp import get_nlp

                t0 = time.perf_counter()
                get_nlp()
                result["model_load_s"] = time.perf_counter() - t0
                result["prefect"] = prefect_startup()
            timers = Timers()
            timers.wrap(pipeline, "_prepare", "gate", lambda w: {"gated": 1, "passed": w.result is None})
            timers.wrap(
                ingest_mod,
                "extract_articles",
                "extract_total",
                lambda _: {k: pipeline.LAST_STATS.get(k, 0) for k in ("sentences", "parsed_sentences")},
            )
            timers.wrap(stages, "store_extraction", "store_extraction")
            marks: list[float] = []
            rss_after: dict[str, float] = {}
            original_timer = ingest_mod.stage_timer

            @contextmanager
            def marked_timer(summary, name):
                marks.append(time.perf_counter())
                with original_timer(summary, name):
                    yield
                marks.append(time.perf_counter())
                rss_after[name] = psutil.Process().memory_info().rss / 2**20

            ingest_mod.stage_timer = marked_timer
            feeds = [f"{base}/{f}" for f in site.feeds]
            log(f"ingest flow over {len(feeds)} feed(s)…")
            with mem.during("flow"):
                cpu0 = cpu_seconds({server.pid})
                t0 = time.perf_counter()
                summary = ingest_mod.ingest(feeds, db_path=str(db), policy_overrides=POLICY, quiet=False)
                flow_s = time.perf_counter() - t0
                flow_cpu = cpu_seconds({server.pid}) - cpu0
            ingest_mod.stage_timer = original_timer
            timers.restore()
            log(f"flow done in {flow_s:.1f}s: {summary.stage_seconds}")
            result["flow"] = {
                "seconds": flow_s,
                "cpu_seconds": flow_cpu,
                "rss_after_stage_mb": rss_after,
                "before_first_stage_s": marks[0] - t0 if marks else None,
                "after_last_stage_s": t0 + flow_s - marks[-1] if marks else None,
                "stage_seconds": dict(summary.stage_seconds),
                "timers": dict(timers.seconds),
                "extract_batches": timers.calls.get("extract_total", 0),
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
                "counts": dict(timers.counts),
            }
            result["prefect"].update(prefect_overhead())
            log(f"prefect: {result['prefect']}")
            result["db_mb"] = db.stat().st_size / 2**20 if db.exists() else 0.0
            snap = Path(summary.snapshot_path) if summary.snapshot_path else None
            result["snapshot_mb"] = snap.stat().st_size / 2**20 if snap and snap.exists() else 0.0
            chosen = baseline_sample(site, sample, seed)
            log(f"baseline on a sample of {len(chosen)} ({sum(p.is_deal for p in chosen)} deal)…")
            from bench.baseline import full_nlp, run_baseline

            t0 = time.perf_counter()
            result["baseline_components"] = full_nlp().pipe_names
            result["baseline_model_load_s"] = time.perf_counter() - t0
            result["flow_components"] = get_nlp().pipe_names

            pairs = [(f"{base}/{p.path}", p.path) for p in chosen]
            with mem.during("baseline"):
                t0 = time.perf_counter()
                naive = run_baseline(pairs, progress=log)
                base_s = time.perf_counter() - t0
            result["baseline"] = summarize_baseline(chosen, naive, site, base_s)
        result["memory_mb"] = {"process": dict(mem.peak), "with_prefect_server": dict(mem.peak_all)}
        result["ru_maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        deal_chosen = [p for p in chosen if p.is_deal]
        deal_urls = [f"{base}/{p.path}" for p in deal_chosen]
        flow_found = flow_facts(db, deal_urls)
        naive_found = {a.url: naive_facts(a.mentions) for a in naive if a.url in set(deal_urls)}
        result["facts"] = compare(deal_chosen, flow_found, naive_found, base)
        all_deal_urls = [f"{base}/{p.path}" for p in site.deal_pages]
        result["truth"] = {
            "flow_all": truth_score(site.deal_pages, flow_facts(db, all_deal_urls), base),
            "flow_sample": truth_score(deal_chosen, flow_found, base),
            "baseline_sample": truth_score(deal_chosen, naive_found, base),
        }
    finally:
        server.kill()
        server.wait()
    if not keep:
        shutil.rmtree(root, ignore_errors=True)
    return result


def summarize_baseline(chosen: list[Page], naive, site: Site, seconds: float) -> dict[str, Any]:
    """Per-article means by class (deal / other), extrapolated to the site's own mix."""
    per_class: dict[bool, dict[str, list[float]]] = {True: defaultdict(list), False: defaultdict(list)}
    errors = 0
    for p, a in zip(chosen, naive, strict=True):
        if a.error:
            errors += 1
            continue
        for stage, s in a.seconds.items():
            per_class[p.is_deal][stage].append(s)
    counts = {True: len(site.deal_pages), False: len(site.pages) - len(site.deal_pages)}
    est = {}
    for stage in ("fetch", "parse", "extract", "cpu"):
        est[stage] = sum(
            statistics.mean(per_class[c][stage]) * counts[c] for c in (True, False) if per_class[c][stage]
        )
    return {
        "sample": len(chosen),
        "sample_deal": sum(p.is_deal for p in chosen),
        "errors": errors,
        "sample_seconds": seconds,
        "estimated_cpu_seconds": est.pop("cpu"),
        "estimated_stage_seconds": est,
        "estimated_seconds": sum(est.values()),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.measure", description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--out", default="bench/out")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--baseline-sample", type=int, default=300)
    ap.add_argument("--keep", action="store_true", help="keep the generated site")
    args = ap.parse_args(argv)
    os.environ.setdefault("PYTHONHASHSEED", "0")
    result = run(args.articles, Path(args.out), args.seed, args.baseline_sample, args.keep)
    print(json.dumps(result, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
