"""Same articles, same table, whatever their URLs (issue 10, part 4).

Article ids are hashes of URLs, so the same pages served from another folder, host or port get
other ids. Reconciliation must not let them decide anything an analyst reads: one labeled set is
ingested through the real flow from two folder copies (same and shuffled file names) and over two
loopback servers on different ports, and the `deals`, `deal_candidates` and `conflicts` views must
be identical except for what is by nature URL-derived (article ids, fetch times).
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from pathlib import Path
from urllib.parse import urlsplit

import duckdb
import pytest

from tests.conftest import FIXTURES

pytestmark = pytest.mark.usefixtures("prefect_harness")

SET = FIXTURES / "table_tune8"
#: Columns that are by nature URL-derived or record when an article was fetched.
URL_DERIVED = frozenset({"first_seen", "last_seen", "article_id", "article_ids", "url", "mention_id"})
_CANONICAL = re.compile(r'<link rel="canonical"[^>]*>\n?')


def _analyst_view(db: Path, view: str) -> list[dict]:
    """The view's rows as an analyst compares them: URL-derived columns (and the article ids inside
    a conflict's values) left out, rows in a content order."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        cur = con.execute(f"SELECT * FROM {view}")
        cols = [d[0] for d in cur.description]
        rows = [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]
    finally:
        con.close()
    out = []
    for row in rows:
        clean = {c: v for c, v in row.items() if c not in URL_DERIVED}
        if "values" in clean and clean["values"] is not None:
            values = json.loads(clean["values"]) if isinstance(clean["values"], str) else clean["values"]
            clean["values"] = [{k: v for k, v in e.items() if k not in URL_DERIVED} for e in values]
        out.append(clean)
    return sorted(out, key=lambda r: json.dumps(r, sort_keys=True, default=str))


def _assert_same_tables(first: Path, second: Path) -> None:
    deals = _analyst_view(first, "deals")
    assert len(deals) >= 10  # the set states many deals: the comparison is not vacuous
    assert deals == _analyst_view(second, "deals")
    assert _analyst_view(first, "deal_candidates") == _analyst_view(second, "deal_candidates")
    conflicts = _analyst_view(first, "conflicts")
    assert conflicts and conflicts == _analyst_view(second, "conflicts")


def _pages(root: Path, shuffle_seed: int | None) -> list[str]:
    """The set rendered as article pages under ``root`` (no canonical link, so each page's id is
    its file URL); with ``shuffle_seed``, under shuffled numbered names."""
    from flows.table_eval_run import PAGES, render_site

    render_site(SET, root)
    pages = sorted((root / PAGES).glob("*.html"))
    names = [p.name for p in pages]
    if shuffle_seed is not None:
        order = list(range(len(pages)))
        random.Random(shuffle_seed).shuffle(order)
        names = [f"page-{n:03d}.html" for n in order]
    out = []
    for page, name in zip(pages, names, strict=True):
        target = root / "files" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(_CANONICAL.sub("", page.read_text(encoding="utf-8")), encoding="utf-8")
        out.append(str(target))
    return sorted(out)


@pytest.mark.parametrize("shuffle", [False, True], ids=["same-names", "shuffled-names"])
def test_two_folder_copies_give_the_same_tables(tmp_path: Path, shuffle: bool) -> None:
    from flows.ingest import ingest

    dbs = []
    for k, folder in enumerate(("a", "b")):
        files = _pages(tmp_path / folder, shuffle_seed=k + 1 if shuffle else None)
        db = tmp_path / f"{folder}.duckdb"
        ingest(files, db_path=str(db), quiet=True)
        dbs.append(db)
    _assert_same_tables(*dbs)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The set ingested once over a loopback server: the database."""
    from flows.table_eval_run import ingest_set

    work = tmp_path_factory.mktemp("served")
    _, problems = ingest_set(SET, work)
    assert not [p for p in problems if p.startswith("fetch failed")]
    return work / "table.duckdb"


def test_two_loopback_servers_on_other_ports_give_the_same_tables(served: Path, tmp_path: Path) -> None:
    from flows.table_eval_run import ingest_set

    _, problems = ingest_set(SET, tmp_path)
    assert not [p for p in problems if p.startswith("fetch failed")]
    _assert_same_tables(served, tmp_path / "table.duckdb")


def _under_other_urls(records: list, salt: int) -> list:
    """The same mentions as if their articles had been fetched from other URLs (other article ids,
    so other mention ids and sources), in a shuffled order."""
    from dataclasses import replace

    def other(article_id: str) -> str:
        return hashlib.sha1(f"{salt}|{article_id}".encode()).hexdigest()[:16]

    out = [
        replace(
            r,
            mention=replace(r.mention, article_id=other(r.mention.article_id)),
            source_key=other(r.source_key),
            url=f"http://other-{salt}.example{urlsplit(r.url).path}",
            digest=None,
        )
        for r in records
    ]
    random.Random(salt).shuffle(out)
    return out


def _as_read(result) -> dict[str, list[str]]:
    """What an analyst reads of a reconciliation, URL-derived parts left out, in a content order."""

    def clean(row: dict) -> str:
        row = {k: v for k, v in row.items() if k not in URL_DERIVED and k != "direction_votes"}
        if "values" in row:
            row["values"] = [{k: v for k, v in e.items() if k not in URL_DERIVED} for e in row["values"]]
        return json.dumps(row, sort_keys=True, default=str)

    return {
        kind: sorted(clean(r) for r in getattr(result, kind)) for kind in ("deals", "conflicts", "evidence")
    }


def test_other_article_ids_never_decide_a_tie(served: Path) -> None:
    """Reconciling the stored mentions under many other article ids (the deterministic form of
    the tests above: any tie broken by an id shows under some of them) gives the same tables."""
    from reconciliation.reconcile import reconcile
    from storage.db import connection
    from storage.reconcile_db import load_mentions

    with connection(str(served)) as con:
        records = load_mentions(con)
    expected = _as_read(reconcile(records))
    assert len(expected["deals"]) >= 10 and expected["conflicts"]
    for salt in range(12):
        assert _as_read(reconcile(_under_other_urls(records, salt))) == expected, salt
