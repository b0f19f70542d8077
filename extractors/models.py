"""The values that flow between stages: Article → DealMention (with Facts) → storage.

These dataclasses are the contract between fetching, extraction, storage and reconciliation;
they are plain data (JSON-serialisable via ``to_dict``) so that every stage can be tested
without the others and stored without pickling.
"""

from __future__ import annotations

import json
from dataclasses import asdict, astuple, dataclass, field, fields
from datetime import date, datetime
from enum import StrEnum
from typing import Any

#: Field names a Fact may carry. Each is a column of the analyst view ``deals`` (or, for the
#: last group, an extra detail kept in ``evidence`` only).
DEAL_FIELDS: tuple[str, ...] = (
    "provider",
    "customer",
    "deal_type",
    "monthly_fee",
    "total_value",
    "start_date",
    "end_date",
    "term_months",
    "hardware",
    "accelerator_count",
    "capacity_mw",
    "facility",
    "location",
    "termination_notice_days",
    "termination_lockin_months",
    "termination_by",
    "announced_on",
)
EXTRA_FIELDS: tuple[str, ...] = (
    "termination_condition",
    "termination_lockin_until",
    "prepayment",
    # a company related to the deal's parties but no party (attrs['role']: lender, investor, guarantor,
    # partner, power_supplier, acquirer, analyst; attrs['counterpart']): see extractors/relations.py
    "related_party",
)

#: Precision of a date fact, from most to least specific.
PRECISIONS: tuple[str, ...] = ("day", "month", "quarter", "half", "year")

#: Kinds of deal (``deals.deal_type``).
DEAL_TYPES: tuple[str, ...] = (
    "compute",  # GPU / accelerator / supercomputer capacity rented or reserved
    "cloud",  # a cloud services commitment
    "datacenter",  # data-center capacity, colocation, a campus lease, power
    "hardware",  # accelerators or servers supplied/sold
)


@dataclass
class Article:
    """One fetched document after parsing: clean text plus metadata.

    ``text`` is what every Fact's ``start_char``/``end_char`` index into. The title is the
    first paragraph of ``text`` when the source had one, so headline facts have offsets too.
    """

    article_id: str
    url: str
    text: str
    title: str | None = None
    canonical_url: str | None = None
    publisher: str | None = None
    authors: list[str] = field(default_factory=list)
    published_at: datetime | None = None  # UTC
    language: str | None = None
    status: str = "ok"  # 'ok' or the reason the article was not extracted (ArticleStatus.split)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["published_at"] = self.published_at.isoformat() if self.published_at else None
        return d


@dataclass
class Fact:
    """One extracted value with the evidence that states it.

    ``value`` is normalised so that facts from different articles compare:
      - money (``monthly_fee``, ``total_value``): float amount in ``attrs['currency']`` units,
        recurring fees already converted to per-month;
      - dates: ISO ``YYYY-MM-DD`` string, with ``attrs['precision']`` in PRECISIONS (a 'year' end
        date is the interval's last day, a 'year' start date its first day);
      - counts, days, months: int; ``capacity_mw``: float; names and enums: str.

    ``attrs`` holds what the comparison rules need: ``currency``, ``qualifier`` ('up to', 'about',
    'more than', 'at least', 'nearly', ...), ``low``/``high`` for ranges, ``period`` ('month',
    'year', 'quarter', 'week', 'day') and ``stated_amount`` for recurring fees, ``precision`` and
    ``interval`` ([first_day, last_day]) for dates, ``vendor``/``model`` for hardware.
    ``derived`` is True when the value is computed rather than stated (a monthly fee from an annual
    or quarterly figure): views should say so and round it honestly.
    """

    field: str
    value: Any
    display: str  # the value as the text states it, e.g. "$90 million per month"
    sentence: str
    start_char: int  # span of the value (not the sentence) in Article.text
    end_char: int
    extractor: str  # rule or extractor id, e.g. "money.recurring"
    extractor_version: str = "1"
    confidence: float = 0.8
    attrs: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        if isinstance(self.value, (date, datetime)):
            d["value"] = self.value.isoformat()
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Fact:
        return cls(**d)


@dataclass
class DealMention:
    """One article's account of one deal.

    ``provider`` supplies compute/capacity/hardware/cloud; ``customer`` pays. Either may be None
    when the article does not say. Party names are canonical (see extractors.companies), so
    mentions from different outlets can be matched on them. ``is_main`` is False for deals the
    article mentions in passing.
    """

    article_id: str
    provider: str | None
    customer: str | None
    facts: list[Fact] = field(default_factory=list)
    is_main: bool = True
    deal_type: str | None = None
    mention_index: int = 0  # position among the article's mentions; with article_id, a stable id

    @property
    def mention_id(self) -> str:
        return f"{self.article_id}#{self.mention_index}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "article_id": self.article_id,
            "provider": self.provider,
            "customer": self.customer,
            "is_main": self.is_main,
            "deal_type": self.deal_type,
            "mention_index": self.mention_index,
            "facts": [f.to_dict() for f in self.facts],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> DealMention:
        return cls(
            article_id=d["article_id"],
            provider=d.get("provider"),
            customer=d.get("customer"),
            is_main=d.get("is_main", True),
            deal_type=d.get("deal_type"),
            mention_index=d.get("mention_index", 0),
            facts=[Fact.from_dict(f) for f in d.get("facts", [])],
        )


@dataclass
class ExtractionResult:
    """What extraction says about one article: whether it is about a deal, and its mentions."""

    article_id: str
    is_deal_relevant: bool
    mentions: list[DealMention] = field(default_factory=list)
    reason: str | None = None  # why not relevant / why skipped (e.g. 'no deal language', 'error: ...')


@dataclass
class Sentence:
    """A sentence of an article, with where it stands in ``Article.text``.

    Value extractors take a Sentence and return Facts whose offsets are absolute (article-level),
    so they must add ``start`` to offsets found inside ``text``.
    """

    text: str
    start: int  # offset of text[0] in Article.text
    index: int = 0  # position in the article (0 = first sentence, usually the headline)
    is_title: bool = False

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass
class ArticleContext:
    """What value extractors may need beyond the sentence: relative dates need a reference."""

    published_at: datetime | None = None
    title: str | None = None


# --- Statuses: every status a table stores, in one place (writers and readers use these, never a
# bare string). StrEnum members compare equal to their text, so SQL parameters take them as is.


class ArticleStatus(StrEnum):
    """`articles.status`: 'ok' or why the document was not extracted; the detail (which HTTP
    error, how many words, the language) is in `articles.status_note`. The words are today's
    status prefixes, so an existing ``status LIKE 'failed%'`` still finds the same rows."""

    OK = "ok"
    NOT_ARTICLE = "not an article"  # a section front, too little text
    NOT_ENGLISH = "not English"
    UNPARSABLE = "unparsable"  # binary, empty, an unsupported type
    FAILED = "failed"  # could not be fetched or read; past its time budget

    @classmethod
    def split(cls, status: str) -> tuple[ArticleStatus, str | None]:
        """A parser's status text ('failed: HTTP 404', 'ok (truncated: …)', 'not English
        (language=de)') → (the status, its detail). Text that names no status is a failure
        whose detail is the whole text, so no row ever carries a status outside the enum."""
        for member in cls:
            if status == member.value:
                return member, None
            rest = status[len(member.value) :] if status.startswith(member.value) else None
            if rest and rest[:2] == ": ":
                return member, rest[2:] or None
            if rest and rest[:2] == " (" and rest.endswith(")"):
                return member, rest[2:-1] or None
        return cls.FAILED, status or None


class RunStatus(StrEnum):
    """`runs.status`: a run is 'running' until it ends one of the other three ways."""

    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"  # an error ended it
    INTERRUPTED = "interrupted"  # Ctrl-C, SIGTERM, or its process vanished


class ConflictStatus(StrEnum):
    """`conflicts.status`: the analyst's review of a disagreement (`dealwatch ack` / `reopen`)."""

    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"


class DealStatus(StrEnum):
    """`deal_store.status`: whether the system stands behind a reconciled record (view `deals`)
    or only found it (view `deal_candidates`, with the reason)."""

    DEAL = "deal"
    CANDIDATE = "candidate"


class Agreement(StrEnum):
    """`deals.agreement`: whether a deal's sources disagree on anything not yet acknowledged
    (what `dealwatch deals` and `show` print as the deal's status)."""

    AGREED = "agreed"
    DISPUTED = "disputed"


class FetchStatus(StrEnum):
    """`fetch_log.status`: what one HTTP (or file) fetch came to; the detail is in `fetch_log.error`."""

    OK = "ok"
    NOT_MODIFIED = "not_modified"  # a conditional GET found the stored bytes current
    ERROR = "error"  # network, HTTP error status, body too large
    REFUSED = "refused"  # the URL may not be fetched at all (scheme, SSRF guard)
    ROBOTS = "robots"  # robots.txt forbids it
    UNSUPPORTED = "unsupported"  # a media type we do not parse


# --- What reconciliation produces and the run table holds. Reconciliation builds deals and
# conflicts as dicts (its many mixins add keys freely); these classes are the one description of
# their stored columns, and storage converts at the boundary (storage/reconcile_db.py).


def _added(default: Any = None) -> Any:
    """A `deal_store` column beyond the design card's `deals` columns (only ever added)."""
    if isinstance(default, list):
        return field(default_factory=list, metadata={"added": True})
    return field(default=default, metadata={"added": True})


@dataclass
class Deal:
    """One row of `deal_store` (the views `deals` and `deal_candidates`), as reconciliation
    (reconciliation/deal_row.py) produces it. Field order is column order; what reconciliation
    adds beyond these fields (the direction vote, the total's range …) goes to ``extra``."""

    deal_id: str
    provider: str | None = None
    customer: str | None = None
    deal_type: str | None = None
    currency: str | None = None
    monthly_fee: float | None = None
    total_value: float | None = None
    total_value_qualifier: str | None = None
    start_date: date | None = None
    start_precision: str | None = None
    end_date: date | None = None
    end_precision: str | None = None
    term_months: int | None = None
    hardware: list[str] = field(default_factory=list)
    accelerator_count: int | None = None
    capacity_mw: float | None = None
    facility: str | None = None
    location: str | None = None
    termination_notice_days: int | None = None
    termination_lockin_months: int | None = None
    termination_by: str | None = None
    announced_on: date | None = None
    source_count: int | None = None
    article_count: int | None = None
    conflict_count: int | None = None
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    related_deal_id: str | None = None
    term_source: str | None = _added()  # 'stated' or 'derived'
    status: DealStatus | None = _added()
    reason_codes: list[str] = _added([])  # why a candidate is not a deal (reconciliation/candidates.py)
    reason: str | None = _added()
    derived_fields: list[str] = _added([])
    derivation: str | None = _added()
    dropped_fields: list[str] = _added([])
    extra: dict[str, Any] = field(default_factory=dict)  # everything else, stored as JSON

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Deal:
        """A reconciled deal dict → Deal: its columns by name (missing ones empty), the rest extra."""
        row = {c: d.get(c) for c in STORED_DEAL_COLUMNS}
        for col in ("hardware", "reason_codes", "derived_fields", "dropped_fields"):
            row[col] = list(row[col] or [])
        if row["status"] is not None:
            row["status"] = DealStatus(row["status"])
        extra = {k: v for k, v in d.items() if k not in STORED_DEAL_COLUMNS}
        return cls(**row, extra=extra)


@dataclass
class Conflict:
    """One row of `conflict_store` (the view `conflicts`): sources disagree about one field."""

    conflict_id: str
    deal_id: str
    field: str
    severity: str
    values: list[dict[str, Any]]  # each value with who states it
    explanation: str
    status: ConflictStatus = ConflictStatus.OPEN
    values_hash: str | None = None  # a review holds while the values hash the same
    kind: str | None = None  # 'value' or 'arithmetic'

    @classmethod
    def from_dict(cls, c: dict[str, Any]) -> Conflict:
        """From reconciliation's dict or a row of the view (its values still JSON text)."""
        if isinstance(c.get("values"), str):
            c = {**c, "values": json.loads(c["values"])}
        return cls(
            **{f.name: c.get(f.name) for f in fields(cls) if f.name != "status"},
            status=ConflictStatus(c.get("status") or ConflictStatus.OPEN),
        )


@dataclass
class Run:
    """One row of the `runs` view as `dealwatch runs` shows it (field order is column order)."""

    run_id: str
    kind: str | None
    started_at: datetime | None
    finished_at: datetime | None
    status: RunStatus
    documents: int | None = None
    new: int | None = None
    changed: int | None = None
    unchanged: int | None = None
    duplicates: int | None = None
    skipped: int | None = None
    failed: int | None = None
    deals_created: int | None = None
    deals_updated: int | None = None
    deals_total: int | None = None
    conflicts: int | None = None

    def values(self) -> tuple[Any, ...]:
        """The row in RUN_COLUMNS order, statuses as their text (for tables, CSV, JSON)."""
        return tuple(str(v) if isinstance(v, StrEnum) else v for v in astuple(self))


#: Columns of `deal_store`, in order: the design card's `deals` columns (DEAL_COLUMNS: the contract
#: reconciliation fills and evaluation scores; add freely, never rename or drop), then the added ones.
STORED_DEAL_COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(Deal) if f.name != "extra")
DEAL_COLUMNS: tuple[str, ...] = tuple(
    f.name for f in fields(Deal) if f.name != "extra" and not f.metadata.get("added")
)
#: The columns `dealwatch runs` shows, in order (all are columns of the `runs` view).
RUN_COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(Run))
