"""Run the real ingest flow over labeled sets and score the ``deals`` view (``eval --mode table``).

Each labeled ``NNN_slug.txt`` becomes an article page carrying its gold publisher, publication time
and headline, listed in an RSS feed; a loopback SiteServer serves them and the ``ingest`` flow
fetches, parses, dedupes, extracts and reconciles them into a temporary DuckDB file, exactly as it
would a news site. A syndicated copy is its own page with the same body, so dedupe is measured too.
The views are then read back and judged by extractors/table_eval.py.
"""

from __future__ import annotations

import random
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import duckdb
from jinja2 import Environment, select_autoescape

from extractors.evaluate import load_corpus
from extractors.models import Article
from extractors.table_eval import GoldSet, SetScore, TableReport, load_gold_set, score_table
from storage.db import fetch_dicts

PAGES = "articles"  # folder (and URL path) of the rendered pages

_ENV = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
PAGE_TEMPLATE = _ENV.from_string(
    """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{{ title }}</title>
<link rel="canonical" href="{{ '{{base_url}}' }}/{{ path }}">
<meta property="og:title" content="{{ title }}">
{% if publisher %}<meta property="og:site_name" content="{{ publisher }}">{% endif %}
{% if published %}<meta property="article:published_time" content="{{ published }}">{% endif %}
<meta property="og:type" content="article">
</head><body>
<header><a href="/">{{ publisher or "News" }}</a></header>
<main><article>
<h1>{{ title }}</h1>
{% for block in blocks %}{% if block is string %}<p>{{ block }}</p>
{% else %}<ul>{% for item in block %}<li>{{ item }}</li>{% endfor %}</ul>
{% endif %}{% endfor %}
</article></main>
</body></html>
"""
)
FEED_TEMPLATE = _ENV.from_string(
    """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel>
<title>{{ name }}</title><link>{{ '{{base_url}}' }}/</link><description>labeled set {{ name }}</description>
{% for it in items %}<item><title>{{ it.title }}</title><link>{{ '{{base_url}}' }}/{{ it.path }}</link>
<guid isPermaLink="true">{{ '{{base_url}}' }}/{{ it.path }}</guid>{% if it.pub %}<pubDate>{{ it.pub }}</pubDate>{% endif %}</item>
{% endfor %}</channel></rss>
"""
)


def _blocks(body: str) -> list[str | list[str]]:
    """Paragraphs (blank-line separated) as text; a paragraph of bullet lines as a list."""
    out: list[str | list[str]] = []
    for para in body.split("\n\n"):
        lines = [ln.strip() for ln in para.splitlines() if ln.strip()]
        if not lines:
            continue
        if all(ln[:2] in ("- ", "* ", "• ") for ln in lines):
            out.append([ln[2:].strip() for ln in lines])
        else:
            out.append(" ".join(lines))
    return out


def render_page(article: Article) -> str:
    """One labeled article as a news page whose metadata is its gold publisher, time and headline."""
    body = article.text[len(article.title or "") :].strip()
    return PAGE_TEMPLATE.render(
        title=article.title,
        path=f"{PAGES}/{article.article_id}.html",
        publisher=article.publisher,
        published=article.published_at.isoformat() if article.published_at else None,
        blocks=_blocks(body),
    )


def render_site(set_dir: Path, site: Path, order_seed: int | None = None) -> list[str]:
    """Write the set's pages, ``feed.xml`` and ``robots.txt`` under ``site``; return problems.

    Feed items follow the file order, or a shuffle by ``order_seed`` (for order-independence tests).
    """
    pairs, errors = load_corpus(set_dir)
    if order_seed is not None:
        random.Random(order_seed).shuffle(pairs)
    (site / PAGES).mkdir(parents=True, exist_ok=True)
    items = []
    for article, _ in pairs:
        path = f"{PAGES}/{article.article_id}.html"
        (site / path).write_text(render_page(article), encoding="utf-8")
        pub = format_datetime(article.published_at) if isinstance(article.published_at, datetime) else None
        items.append({"title": article.title, "path": path, "pub": pub})
    (site / "feed.xml").write_text(FEED_TEMPLATE.render(name=set_dir.name, items=items), encoding="utf-8")
    (site / "robots.txt").write_text("User-agent: *\nAllow: /\n", encoding="utf-8")
    return errors


@dataclass
class TableRows:
    """What an analyst would read from the database: deals rows, evidence articles, conflicts."""

    rows: list[dict[str, Any]]
    evidence: dict[str, set[str]]  # deal_id -> labeled article ids (page stems)
    conflicts: list[tuple[str, str]]  # (deal_id, field)


def read_views(db_path: Path) -> TableRows:
    """Read the analyst views of a finished run; evidence is mapped back to labeled article ids."""
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        rows = fetch_dicts(con.execute("SELECT * FROM deals ORDER BY deal_id"))
        evidence: dict[str, set[str]] = {r["deal_id"]: set() for r in rows}
        ev = con.execute(
            "SELECT DISTINCT e.deal_id, COALESCE(a.url, e.url) FROM evidence e "
            "LEFT JOIN articles a ON a.article_id = e.article_id"
        ).fetchall()
        for deal_id, url in ev:
            stem = Path(urlsplit(url or "").path).stem
            if stem:
                evidence.setdefault(deal_id, set()).add(stem)
        conflicts = [(d, f) for d, f in con.execute("SELECT deal_id, field FROM conflicts").fetchall()]
    finally:
        con.close()
    return TableRows(rows, evidence, conflicts)


def ingest_set(
    set_dir: Path, work: Path, quiet: bool = True, order_seed: int | None = None
) -> tuple[TableRows, list[str]]:
    """Render ``set_dir`` under ``work``, serve it on loopback and run the real ``ingest`` flow.

    Returns the views as read back; ``work/table.duckdb`` stays for inspection until ``work`` goes.
    """
    from flows.ingest import ingest
    from flows.site_server import SiteServer

    site, db = work / "site", work / "table.duckdb"
    problems = render_site(set_dir, site, order_seed)
    with SiteServer(site) as server:
        summary = ingest(
            sources=[f"{server.base_url}/feed.xml"],
            db_path=str(db),
            allow_private=True,
            policy_overrides={"per_host_delay": 0.0, "retries": 0},
            quiet=quiet,
        )
    problems += [f"fetch failed: {o.location} ({o.reason})" for o in summary.failed]
    return read_views(db), problems


def evaluate_set(
    set_dir: Path, quiet: bool = True, work_dir: Path | None = None, order_seed: int | None = None
) -> SetScore:
    """Ingest one labeled set into a temporary database and judge its deals table."""
    set_dir = Path(set_dir)
    gold: GoldSet
    gold, errors = load_gold_set(set_dir)
    with tempfile.TemporaryDirectory(prefix=f"dw-table-{set_dir.name}-", dir=work_dir) as tmp:
        table, problems = ingest_set(set_dir, Path(tmp), quiet=quiet, order_seed=order_seed)
    score = score_table(gold, table.rows, table.evidence, table.conflicts)
    score.errors = errors + problems
    return score


def evaluate_table(
    set_dirs: list[Path] | list[str],
    quiet: bool = True,
    work_dir: Path | None = None,
    order_seed: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> TableReport:
    """The importable entry point: one SetScore per labeled folder, each from its own fresh run.

    ``order_seed`` shuffles the order in which each set's articles are listed (and so fetched);
    ``progress`` gets one line per set.
    """
    scores = []
    for d in set_dirs:
        if progress:
            progress(f"ingesting and judging {Path(d).name}")
        scores.append(evaluate_set(Path(d), quiet=quiet, work_dir=work_dir, order_seed=order_seed))
    return TableReport(scores)


def default_sets(fixtures: Path) -> list[Path]:
    """Every labeled folder under ``fixtures`` except those holding a ``BLIND`` marker file."""
    from extractors.table_eval import labeled_count

    return [
        d
        for d in sorted(Path(fixtures).iterdir())
        if d.is_dir() and not (d / "BLIND").exists() and labeled_count(d) > 0
    ]
