"""Do the flow and the naive baseline find the same facts? Comparison helpers for bench.measure."""

from __future__ import annotations

import json
import random
import statistics
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from bench.corpus import Page, Site


def log(msg: str) -> None:
    import sys

    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


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


def baseline(result: dict[str, Any], site: Site, db: Path, base: str, sample: int, seed: int, mem) -> None:
    """The naive baseline on a sample, and whether the flow's facts match it."""
    from bench.baseline import full_nlp, run_baseline
    from extractors.nlp import get_nlp

    chosen = baseline_sample(site, sample, seed)
    log(f"baseline on a sample of {len(chosen)} ({sum(p.is_deal for p in chosen)} deal)…")
    from flows.batch_work import warm_worker

    t0 = time.perf_counter()
    result["baseline_components"] = full_nlp().pipe_names
    warm_worker()  # the rules it shares with the flow compiled before its clock starts, as the flow's are
    result["baseline_model_load_s"] = time.perf_counter() - t0
    result["flow_components"] = get_nlp().pipe_names
    pairs = [(f"{base}/{p.path}", p.path) for p in chosen]
    with mem.during("baseline"):
        t0 = time.perf_counter()
        naive = run_baseline(pairs, progress=log)
        base_s = time.perf_counter() - t0
    result["baseline"] = summarize_baseline(chosen, naive, site, base_s)
    deal_chosen = [p for p in chosen if p.is_deal]
    deal_urls = [f"{base}/{p.path}" for p in deal_chosen]
    flow_found = flow_facts(db, deal_urls)
    naive_found = {a.url: naive_facts(a.mentions) for a in naive if a.url in set(deal_urls)}
    result["facts"] = compare(deal_chosen, flow_found, naive_found, base)
    result["truth"].update(
        flow_sample=truth_score(deal_chosen, flow_found, base),
        baseline_sample=truth_score(deal_chosen, naive_found, base),
    )


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
