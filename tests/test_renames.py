"""A rename stated in one article ("X, formerly Y") links the company's names across articles: one
row per deal under the current name, also when the articles arrive in separate runs. Every company
here is invented."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from reconciliation.renames import current_name, rename_links
from storage.db import connection
from storage.reconcile_db import reconcile_database

RENAMED = (
    "Kestrow Data Halls signs 12-year lease with Ombrel AI\n\n"
    "HOUSTON, March 2, 2026 -- Kestrow Data Halls (NASDAQ: KDH), formerly Pellbridge Hosting, today "
    "announced a 12-year lease agreement with Ombrel AI for 80 MW of critical IT capacity at its "
    "Sandhollow campus in Texas. The lease is valued at about $2.4 billion over its term."
)
OLD_NAME = (
    "Pellbridge Hosting lands Ombrel AI as anchor tenant\n\n"
    "Pellbridge Hosting has signed Ombrel AI to a 12-year lease for 80 MW at its Sandhollow campus in "
    "Texas, a deal worth about $2.4 billion, the companies said on March 2, 2026."
)


@pytest.mark.parametrize(
    ("sentence", "old", "new"),
    [
        (
            "Kestrow Data Halls, formerly Pellbridge Hosting, will host Ombrel AI.",
            "Pellbridge Hosting",
            "Kestrow Data Halls",
        ),
        (
            "Pellbridge Hosting, now Kestrow Data Halls, will host Ombrel AI.",
            "Pellbridge Hosting",
            "Kestrow Data Halls",
        ),
        (
            "Pellbridge Hosting (now Kestrow Data Halls) will host Ombrel AI.",
            "Pellbridge Hosting",
            "Kestrow Data Halls",
        ),
        (
            "Pellbridge Hosting, which renamed itself Kestrow Data Halls in May, will host Ombrel AI.",
            "Pellbridge Hosting",
            "Kestrow Data Halls",
        ),
        (
            "Kestrow Data Halls, the Texas hosting firm formerly known as Pellbridge Hosting, will host Ombrel AI.",
            "Pellbridge Hosting",
            "Kestrow Data Halls",
        ),
    ],
)
def test_each_wording_of_a_rename_links_the_earlier_name_to_the_current_one(sentence, old, new):
    links = rename_links([("Kestrow Data Halls", "Ombrel AI", sentence)])
    assert current_name(old, links) == new
    assert current_name("Ombrel AI", links) == "Ombrel AI"


def test_a_ticker_stated_after_a_name_in_one_article_names_the_company_in_another() -> None:
    sentence = "Kestrow Data Halls Inc. (NASDAQ: KDHX) will host Ombrel AI for 12 years."
    links = rename_links([("Kestrow Data Halls", "Ombrel AI", sentence)])
    assert current_name("KDHX", links) == "Kestrow Data Halls"
    bare = rename_links(
        [("Kestrow Data Halls", "Ombrel AI", "Kestrow Data Halls (KDHX) will host Ombrel AI.")]
    )
    assert current_name("KDHX", bare) == "Kestrow Data Halls"


def test_a_company_described_next_to_another_formerly_named_one_is_not_renamed() -> None:
    sentence = (
        "Kestrow Data Halls, a buyer of the firm formerly known as Pellbridge Hosting, will host Ombrel AI."
    )
    assert rename_links([("Kestrow Data Halls", "Ombrel AI", sentence)]) == {}


def test_a_sentence_without_a_rename_of_a_party_links_nothing():
    rows = [
        (
            "Kestrow Data Halls",
            "Ombrel AI",
            "Kestrow Data Halls, now the largest landlord in Texas, will host Ombrel AI.",
        ),
        ("Kestrow Data Halls", "Ombrel AI", "Varnley Group, formerly Tamsin Labs, is not part of this deal."),
    ]
    assert rename_links(rows) == {}


def test_two_different_current_names_for_one_earlier_name_link_nothing():
    rows = [
        ("Kestrow Data Halls", "Ombrel AI", "Kestrow Data Halls, formerly Pellbridge Hosting, said."),
        ("Varnley Cloud", "Ombrel AI", "Varnley Cloud, formerly Pellbridge Hosting, said."),
    ]
    assert current_name("Pellbridge Hosting", rename_links(rows)) == "Pellbridge Hosting"


def _deals(db: Path) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT provider, customer FROM deals ORDER BY ALL").fetchall()
    finally:
        con.close()


@pytest.mark.usefixtures("prefect_harness")
def test_a_deal_told_under_the_earlier_name_is_one_row_under_the_current_name(tmp_path: Path) -> None:
    from flows.ingest import ingest

    old, new = tmp_path / "a_old.txt", tmp_path / "b_renamed.txt"
    old.write_text(OLD_NAME, encoding="utf-8")
    new.write_text(RENAMED, encoding="utf-8")
    db = tmp_path / "runs.duckdb"
    ingest([str(old)], db_path=str(db), quiet=True)  # the earlier name first, the rename a run later
    ingest([str(new)], db_path=str(db), quiet=True)
    rows = _deals(db)
    assert rows == [("Kestrow Data Halls", "Ombrel AI")]
    full = tmp_path / "full.duckdb"
    shutil.copy(db, full)
    with connection(str(full)) as con:
        reconcile_database(con, full=True)
    assert _deals(full) == rows


def test_only_links_a_party_name_reaches_are_kept_so_tickers_do_not_churn_the_links() -> None:
    from reconciliation.renames import links_in_use

    links = rename_links(
        [
            ("Kestrow Data Halls", "Ombrel AI", "Kestrow Data Halls (KDHX) will host Ombrel AI."),
            ("Varnley Group", "Ombrel AI", "Varnley Group, formerly Tamsin Labs, supplies Ombrel AI."),
        ]
    )
    assert links_in_use(links, ["Kestrow Data Halls", "Ombrel AI", "Varnley Group"]) == {}
    used = links_in_use(links, ["KDHX", "Tamsin", "Ombrel AI"])
    assert (
        current_name("KDHX", used) == "Kestrow Data Halls" and current_name("Tamsin", used) == "Varnley Group"
    )


def test_a_ticker_after_a_place_links_no_company_even_when_the_ticker_is_a_party() -> None:
    sentence = "Photo: KDHX's Sandhollow campus in Texas (KDHX)"
    assert rename_links([("KDHX", "Ombrel AI", sentence)]) == {}
