"""Hand-built mentions for reconciliation tests: invented companies, outlets and figures.

The story: Orbital Forge rents GPU capacity to Lumen Lattice AI for $150M a month from July 1,
2026 through 2029 ($6.3B in all); five outlets tell it, one headline rounds it to $6 billion.
"""

from __future__ import annotations

from datetime import UTC, datetime

from extractors.models import DealMention, Fact
from reconciliation.reconcile import MentionRecord

PROVIDER, CUSTOMER = "Orbital Forge", "Lumen Lattice AI"


def fact(field: str, value, display: str | None = None, sentence: str = "", **attrs) -> Fact:
    return Fact(
        field=field,
        value=value,
        display=display or str(value),
        sentence=sentence or f"The agreement covers {display or value}.",
        start_char=0,
        end_char=len(display or str(value)),
        extractor=f"test.{field}",
        confidence=attrs.pop("confidence", 0.8),
        attrs=attrs,
    )


def money(field: str, amount: float, display: str, **attrs) -> Fact:
    attrs.setdefault("currency", "USD")
    if field == "monthly_fee":
        attrs.setdefault("period", "month")
        attrs.setdefault("stated_amount", amount)
    return fact(field, amount, display, **attrs)


def day(field: str, iso: str, display: str, precision: str = "day", **attrs) -> Fact:
    return fact(field, iso, display, precision=precision, **attrs)


def record(
    article_id: str,
    facts: list[Fact],
    publisher: str,
    published: str = "2026-03-10",
    provider: str | None = PROVIDER,
    customer: str | None = CUSTOMER,
    source_key: str | None = None,
    is_main: bool = True,
    index: int = 0,
    fetched: str | None = None,
) -> MentionRecord:
    pub = datetime.fromisoformat(published).replace(tzinfo=UTC)
    seen = datetime.fromisoformat(fetched).replace(tzinfo=UTC) if fetched else pub
    mention = DealMention(
        article_id=article_id,
        provider=provider,
        customer=customer,
        facts=facts,
        is_main=is_main,
        deal_type="compute",
        mention_index=index,
    )
    return MentionRecord(
        mention=mention,
        publisher=publisher,
        url=f"https://{publisher.lower().replace(' ', '')}.example/{article_id}",
        published_at=pub,
        fetched_at=seen,
        source_key=source_key or article_id,
    )


def core_facts(total: float = 6.3e9, total_display: str = "$6.3 billion") -> list[Fact]:
    return [
        money("monthly_fee", 150e6, "$150 million per month"),
        money("total_value", total, total_display),
        day("start_date", "2026-07-01", "July 1, 2026"),
        day("end_date", "2029-12-31", "through 2029", "year", interval=["2029-01-01", "2029-12-31"]),
        fact("hardware", "Nvidia GB300", "Nvidia GB300 chips"),
        fact("termination_notice_days", 90, "90 days' notice"),
    ]


def story(variant_total: float | None = None) -> list[MentionRecord]:
    """Five articles on one deal; the last is a headline that says '$6 billion' (or a variant)."""
    a1 = record(
        "a1", core_facts() + [fact("termination_lockin_months", 3, "after three months")], "Harbor Wire"
    )
    a2 = record(
        "a2",
        [
            money("monthly_fee", 150e6, "$150M a month"),
            money("total_value", 6.3e9, "$6.3bn"),
            day("start_date", "2026-07-01", "July 2026", "month"),
            day("end_date", "2029-12-31", "the end of 2029", "day"),
            fact("hardware", "GB300", "GB300"),
            fact("termination_by", "either", "either party"),
        ],
        "Circuit Ledger",
        published="2026-03-11",
    )
    a3 = record("a3", core_facts(), "Quarry Daily", published="2026-03-11")
    a4 = record(
        "a4",
        [
            money("monthly_fee", 1.8e9 / 12, "$1.8 billion a year", period="year", stated_amount=1.8e9),
            money("total_value", 6.3e9, "$6.3 billion"),
            day("start_date", "2026-07-01", "July 1"),
            fact("termination_notice_days", 90, "90-day notice"),
        ],
        "Signal Ridge",
        published="2026-03-12",
    )
    if variant_total is None:
        a5_total = money("total_value", 6e9, "$6 billion")
    else:
        a5_total = money("total_value", variant_total, f"${variant_total / 1e9:g} billion")
    a5 = record("a5", [a5_total], "Pinewood Post", published="2026-03-10")
    return [a1, a2, a3, a4, a5]
