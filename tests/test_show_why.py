"""`dealwatch show DEAL_ID --why`: the direction vote and each value's sentences, rules and fate."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from flows.cli import main
from storage.db import connection, publish_snapshot
from storage.reconcile_db import reconcile_database

TITLE = "Orbital Forge to rent GPUs to Lumen Lattice AI"


def _article(con, article_id: str, publisher: str) -> None:
    con.execute(
        "INSERT INTO article_store (article_id, url, publisher, published_at, fetched_at, status, "
        "is_deal_relevant) VALUES (?, ?, ?, TIMESTAMP '2026-03-10 08:00', TIMESTAMP '2026-03-10 09:00', 'ok', true)",
        [article_id, f"https://{publisher.lower().replace(' ', '')}.example/{article_id}", publisher],
    )


def _mention(con, article_id: str, provider: str, customer: str, facts: list[tuple]) -> None:
    mid = f"{article_id}#0"
    con.execute(
        "INSERT INTO mention_store VALUES (?, ?, 0, ?, ?, true, 'compute', '1')",
        [mid, article_id, provider, customer],
    )
    for field, value, display, sentence, rule, conf, attrs in facts:
        con.execute(
            "INSERT INTO fact_store VALUES (?, ?, ?, ?, ?, ?, 0, 10, ?, '1', ?, ?)",
            [mid, article_id, field, json.dumps(value), display, sentence, rule, conf, json.dumps(attrs)],
        )


def _parties(provider: str, customer: str, rule: str, conf: float, sentence: str) -> list[tuple]:
    return [
        ("provider", provider, provider, sentence, rule, conf, {}),
        ("customer", customer, customer, sentence, rule, conf, {}),
    ]


@pytest.fixture
def reconciled(db_path: Path) -> Path:
    supply = "Orbital Forge will supply GPU capacity to Lumen Lattice AI."
    reverse = "Lumen Lattice AI signed a deal with Orbital Forge."
    total = ("total_value", 2e9, "$2 billion", supply, "money.total", 0.9, {"currency": "USD"})
    start = ("start_date", "2027-01-01", "January 2027", supply, "dates.start", 0.9, {"precision": "month"})
    early_end = ("end_date", "2026-06-30", "mid-2026", reverse, "dates.end", 0.6, {"precision": "day"})
    with connection(db_path) as con:
        for aid, pub in (("w1", "Harbor Wire"), ("w2", "Quarry Daily"), ("w3", "Pinewood Post")):
            _article(con, aid, pub)
        _mention(
            con,
            "w1",
            "Orbital Forge",
            "Lumen Lattice AI",
            _parties("Orbital Forge", "Lumen Lattice AI", "parties.supply_to", 0.9, supply) + [total, start],
        )
        _mention(
            con,
            "w2",
            "Orbital Forge",
            "Lumen Lattice AI",
            _parties("Orbital Forge", "Lumen Lattice AI", "parties.supply_to", 0.9, supply) + [start],
        )
        _mention(
            con,
            "w3",
            "Lumen Lattice AI",
            "Orbital Forge",
            _parties("Lumen Lattice AI", "Orbital Forge", "parties.deal_with", 0.7, reverse) + [early_end],
        )
        reconcile_database(con)
    publish_snapshot(db_path)
    return db_path


def test_why_shows_the_vote_the_outvoted_sentence_and_the_dropped_value(reconciled: Path, capsys) -> None:
    main(["sql", "SELECT deal_id FROM deals", "--db", str(reconciled), "--format", "json"])
    (row,) = json.loads(capsys.readouterr().out)
    assert main(["show", row["deal_id"], "--why", "--db", str(reconciled)]) == 0
    out = capsys.readouterr().out
    assert "Orbital Forge supplies Lumen Lattice AI" in out
    assert "parties.supply_to" in out and "parties.deal_with" in out
    assert "Lumen Lattice AI signed a deal with Orbital Forge." in out and "why: outvoted" in out
    assert "end_date: (not shown)" in out and "before the start date" in out
    assert "total_value: $2B" in out and "money.total" in out


def test_why_for_an_unknown_deal_is_one_clear_line(reconciled: Path, capsys) -> None:
    assert main(["show", "d_nope", "--why", "--db", str(reconciled)]) != 0
    assert "no deal 'd_nope'" in capsys.readouterr().err
