"""The benchmark's generator and report format (timings are measured by `make bench`, not asserted)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import feedparser
import pytest

from bench.__main__ import summary_line
from bench.corpus import generate_site

LAST_LINE = re.compile(
    r"^end-to-end: (\d+(?:\.\d+)?) articles/s, baseline: (\d+(?:\.\d+)?) articles/s, "
    r"ratio: (\d+(?:\.\d+)?), peak memory: (\d+) MB, facts match: (yes|no), workers: (\d+), "
    r"speedup vs 1 worker: (\d+\.\d+|n/a), incremental reconcile: (\d+\.\d+) of full$"
)


def test_generator_writes_pages_and_feeds_with_a_tenth_of_deals(tmp_path: Path) -> None:
    site = generate_site(tmp_path, 120, seed=11, feed_size=50)
    assert len(site.pages) == 120
    assert len(site.deal_pages) == 12
    assert len(site.feeds) == 3  # 50 + 50 + 20: the flow reads at most 1,000 items per source
    links = []
    for feed in site.feeds:
        body = (tmp_path / feed).read_text().replace("{{base_url}}", "http://127.0.0.1:9")
        links += [e.link for e in feedparser.parse(body).entries]
    assert sorted(links) == sorted(f"http://127.0.0.1:9/{p.path}" for p in site.pages)
    for p in site.pages:
        assert (tmp_path / p.path).is_file()
        if not p.is_deal:
            assert 400 <= p.words <= 1300
    for p in site.deal_pages:
        assert {"provider", "customer", "monthly_fee", "hardware"} <= set(p.truth)
    # varied: different parties, fees and headlines
    assert len({p.truth["customer"] for p in site.deal_pages}) >= 10
    assert len({p.truth["monthly_fee"] for p in site.deal_pages}) >= 6
    assert len({p.title for p in site.pages}) == 120


def test_generator_is_repeatable(tmp_path: Path) -> None:
    a = generate_site(tmp_path / "a", 30, seed=5)
    b = generate_site(tmp_path / "b", 30, seed=5)
    assert [p.path for p in a.pages] == [p.path for p in b.pages]
    assert (tmp_path / "a" / a.pages[0].path).read_bytes() == (tmp_path / "b" / b.pages[0].path).read_bytes()


def fake_result(workers: int, seconds: float, fingerprint: str = "f") -> dict:
    return {
        "articles": 2000,
        "flow": {"seconds": seconds, "workers": workers},
        "baseline": {"estimated_seconds": 1000.0},
        "memory_mb": {"process": {"flow": 500.0}, "with_workers": {"startup": 400.0, "flow": 812.4}},
        "facts": {"match": True},
        "fingerprint": fingerprint,
        "incremental": {"ratio": 0.97},
    }


def test_summary_line_reports_the_largest_worker_count_and_its_speedup() -> None:
    line = summary_line([fake_result(1, 100.0), fake_result(2, 62.5)])
    m = LAST_LINE.match(line)
    assert m, line
    assert m.groups() == ("32.0", "2.0", "16.0", "812", "yes", "2", "1.60", "0.97")


def test_a_run_without_the_baseline_says_n_a_where_a_figure_needs_it() -> None:
    """`--baseline-sample 0` skips the baseline: the last line still prints, with n/a for it."""
    result = fake_result(2, 62.5)
    del result["baseline"], result["facts"]
    line = summary_line([fake_result(1, 100.0), result])
    assert line.startswith("end-to-end: 32.0 articles/s, baseline: n/a, ratio: n/a, peak memory: 812 MB")
    assert "facts match: n/a" in line and line.endswith(
        "speedup vs 1 worker: 1.60, incremental reconcile: 0.97 of full"
    )


def test_facts_do_not_match_when_worker_counts_store_different_deals() -> None:
    line = summary_line([fake_result(1, 100.0, "a"), fake_result(2, 62.5, "b")])
    assert "facts match: no" in line


@pytest.mark.slow
@pytest.mark.integration
def test_tiny_end_to_end_run(tmp_path: Path, prefect_harness) -> None:
    from bench.measure import run

    result = run(20, tmp_path, seed=3, sample=6, keep=False, new_articles=5)
    assert result["flow"]["fetched"] == 20  # every page reached through the feed
    assert result["baseline"]["errors"] == 0
    assert result["facts"]["articles"] == 2
    assert result["flow"]["counts"]["articles"] == 20  # the flow's own counters, not a patched function
    assert 0 < result["flow"]["flow_process_cpu_seconds"] <= result["flow"]["cpu_seconds"]
    # the server process's CPU, not this one's (20 small pages can take under a clock tick: 0 is fine)
    assert 0 <= result["flow"]["site_server_cpu_seconds"] < result["flow"]["flow_process_cpu_seconds"]
    assert result["incremental"]["articles"] == 5 and result["incremental"]["full_s"] > 0
    assert LAST_LINE.match(summary_line([result]))


def test_naive_baseline_runs_the_flows_rules_on_whole_text_parses() -> None:
    """The benchmark compares facts, so the baseline must find a plain deal's facts as the flow does."""
    from bench.baseline import naive_extract
    from extractors.models import Article
    from extractors.pipeline import extract_articles

    text = (
        "Tarnwick AI to rent GPUs from Oxbow Cloud\n\nTarnwick AI will pay Oxbow Cloud $40 million a month "
        "for access to 20,000 GPUs over three years, the companies said."
    )

    def facts(mentions) -> set:
        return {(m.provider, m.customer, f.field, str(f.value)) for m in mentions for f in m.facts}

    naive = naive_extract("a", text, None)
    flow = extract_articles([Article(article_id="a", url="a", text=text, title=text.split("\n")[0])])[0]
    assert naive and facts(naive) == facts(flow.mentions)
    assert ("Oxbow Cloud", "Tarnwick AI", "monthly_fee", "40000000.0") in facts(naive)


def test_memory_sampler_reads_resident_memory_as_psutil_does_and_none_once_a_process_is_gone() -> None:
    import subprocess
    import sys
    import time

    import psutil

    from bench.rss import RssReader

    reader = RssReader()
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        while psutil.Process(child.pid).memory_info().rss < 5 * 2**20:  # until its interpreter runs
            time.sleep(0.02)
        time.sleep(0.2)
        mine, theirs = reader.read(os.getpid()), reader.read(child.pid)
        assert mine is not None and abs(mine - psutil.Process().memory_info().rss) < 50 * 2**20
        assert theirs is not None and theirs == psutil.Process(child.pid).memory_info().rss
    finally:
        child.kill()
        child.wait()
    assert reader.read(child.pid) is None
    reader.close()


def test_memory_sampler_survives_a_descriptor_closed_under_it() -> None:
    """The sampler's thread and a phase boundary both read (bench.measure.MemorySampler.during):
    one saw a process end and closed its descriptor while the other was reading it, and the run
    failed on EBADF. Done here in one thread: the descriptor closed behind the reader's back."""
    from bench.rss import RssReader

    reader = RssReader()
    assert reader.read(os.getpid()) is not None
    os.close(reader._fds[os.getpid()])  # what the other thread did
    assert reader.read(os.getpid()) is None  # that reading is lost, the run goes on
    assert reader.read(os.getpid()) is not None  # and the next opens the file again
    reader.close()
