"""Score the ``deals`` view as an analyst sees it, against a labeled set (``dealwatch eval --mode table``).

The per-field scorer (extractors/evaluate.py) judges one article's mentions; an analyst, though,
reads one table built from many articles. Here every row of that table gets one verdict:

- ``right``: its (provider, customer) is a labeled deal's pair in that direction, and it is the
  first row given to that deal (the row whose evidence shares most articles with the deal);
- ``fragment``: a further row for a labeled deal that already has its right row;
- ``reversed``: the pair is a labeled deal's pair the other way round;
- ``wrong pair``: no labeled deal has those two parties in either direction.

Independently, a row may contradict itself (end before start, start + term far from end, fee x
term far from total) and may come only from negative articles. Names and values are compared with
the same rules as the per-field scorer (``party_key``, ``values_equal``), imported, not copied.
Pure functions over rows and gold: the runner (flows/table_eval_run.py) builds the rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from extractors.evaluate import SCORED_FIELDS, load_aliases, load_corpus, party_key, values_equal
from extractors.vocabulary import days_per_month

RIGHT, FRAGMENT, REVERSED, WRONG_PAIR = "right", "fragment", "reversed", "wrong pair"

#: Fields scored on matched rows (the parties decide the match, so they are not scored again).
ROW_FIELDS: tuple[str, ...] = tuple(f for f in SCORED_FIELDS if f not in ("provider", "customer"))
#: start + term may miss end by this many months (a month-precision end, a quarter-stated start).
TERM_SLACK_MONTHS = 3.0
#: Accepted (low, high) ratio of monthly_fee x term_months to total_value, by total qualifier:
#: flat and rounded figures allow rounding; "up to" allows options not taken; "more than" the reverse.
FEE_TERM_TOTAL_RATIO: dict[str | None, tuple[float, float]] = {
    None: (0.85, 1.18),
    "about": (0.8, 1.25),
    "nearly": (0.8, 1.25),
    "up to": (0.5, 1.18),
    "more than": (0.85, 2.0),
    "at least": (0.85, 2.0),
}


# ---------------------------------------------------------------------------------------------
# Gold


@dataclass
class GoldDeal:
    """One labeled deal across the articles that state it."""

    key: str
    provider: str | None
    customer: str | None
    is_main: bool = False  # the main story of at least one article
    #: (article_id, stated values incl. deal_type, ranges, syndicated_of) per stating article
    statements: list[tuple[str, dict[str, Any], dict[str, list[float]], str | None]] = field(
        default_factory=list
    )

    @property
    def article_ids(self) -> set[str]:
        return {a for a, *_ in self.statements}


@dataclass
class GoldSet:
    """A labeled set's gold as the table scorer needs it."""

    name: str
    deals: dict[str, GoldDeal]
    negatives: set[str]  # article ids whose gold says is_deal false
    aliases: dict[str, str]

    def pairs(self) -> dict[tuple[str | None, str | None], list[str]]:
        """(provider key, customer key) → labeled deal keys with that pair and direction."""
        out: dict[tuple[str | None, str | None], list[str]] = {}
        for d in self.deals.values():
            out.setdefault(self.key_of(d.provider, d.customer), []).append(d.key)
        return out

    def key_of(self, provider: str | None, customer: str | None) -> tuple[str | None, str | None]:
        return party_key(provider, self.aliases), party_key(customer, self.aliases)


def gold_set_from_labels(name: str, golds: Iterable[dict], aliases: dict[str, str]) -> GoldSet:
    """Merge per-article gold (the ``NNN_slug.json`` dicts) into one entry per ``deal_key``."""
    deals: dict[str, GoldDeal] = {}
    negatives: set[str] = set()
    for gold in golds:
        aid = gold["article_id"]
        if not gold.get("is_deal"):
            negatives.add(aid)
        for d in gold.get("deals", []):
            key = d.get("deal_key") or f"{aid}#{d.get('provider')}>{d.get('customer')}"
            deal = deals.setdefault(key, GoldDeal(key, d.get("provider"), d.get("customer")))
            deal.is_main = deal.is_main or bool(d.get("is_main", True))
            stated = {"deal_type": d.get("deal_type")}
            stated.update({k: v for k, v in d.get("facts", {}).items() if k in ROW_FIELDS})
            stated = {k: v for k, v in stated.items() if v is not None}
            deal.statements.append((aid, stated, d.get("ranges", {}), gold.get("syndicated_of")))
    return GoldSet(name, deals, negatives, aliases)


def load_gold_set(set_dir: Path) -> tuple[GoldSet, list[str]]:
    """Read a labeled folder (the corpus format of fixtures/corpus/README.md); errors as lines."""
    pairs, errors = load_corpus(Path(set_dir))
    gold = gold_set_from_labels(Path(set_dir).name, (g for _, g in pairs), load_aliases(Path(set_dir)))
    return gold, errors


def labeled_count(set_dir: Path) -> int:
    """How many ``NNN_slug.txt`` in the folder have their gold ``.json`` beside them."""
    return sum(1 for t in Path(set_dir).glob("*.txt") if t.with_suffix(".json").is_file())


# ---------------------------------------------------------------------------------------------
# Verdicts and scores


@dataclass
class RowVerdict:
    deal_id: str
    provider: str | None
    customer: str | None
    verdict: str
    deal_key: str | None = None  # the labeled deal (right, fragment, reversed), else None
    contradictions: list[str] = field(default_factory=list)
    from_negatives: bool = False


@dataclass
class FieldTally:
    """A field on right rows: gold stated it and the row agrees / differs / is empty; or no gold."""

    right: int = 0
    wrong: int = 0
    missing: int = 0
    extra: int = 0  # the row has a value that no article's gold states (not counted in accuracy)

    @property
    def support(self) -> int:
        return self.right + self.wrong + self.missing

    @property
    def accuracy(self) -> float | None:
        return self.right / self.support if self.support else None


@dataclass
class SetScore:
    """The table of one labeled set, judged row by row."""

    name: str
    rows: list[RowVerdict] = field(default_factory=list)
    deals_total: int = 0
    deals_main: int = 0
    deals_found: int = 0
    main_found: int = 0
    missed: list[str] = field(default_factory=list)  # labeled deal keys with no right row
    fields: dict[str, FieldTally] = field(default_factory=lambda: {f: FieldTally() for f in ROW_FIELDS})
    conflicts: int = 0
    disagreements: int = 0  # (deal, field) where the labeled articles disagree, on right rows
    disagreements_flagged: int = 0  # ... of which the conflicts view has a conflict for that field
    negatives: int = 0
    negatives_in_rows: int = 0  # negative articles that appear in any row's evidence
    errors: list[str] = field(default_factory=list)
    #: field misses on right rows and labeled disagreements left unflagged, one line each
    mismatches: list[str] = field(default_factory=list)

    def count(self, verdict: str) -> int:
        return sum(1 for r in self.rows if r.verdict == verdict)

    @property
    def contradicting(self) -> int:
        return sum(1 for r in self.rows if r.contradictions)

    @property
    def rows_from_negatives(self) -> int:
        return sum(1 for r in self.rows if r.from_negatives)

    @property
    def field_right(self) -> int:
        return sum(t.right for t in self.fields.values())

    @property
    def field_support(self) -> int:
        return sum(t.support for t in self.fields.values())

    def to_dict(self) -> dict[str, Any]:
        """Plain numbers (and the row verdicts) for ``--format json``."""
        return {
            "set": self.name,
            "rows": len(self.rows),
            "rows_right": self.count(RIGHT),
            "reversed": self.count(REVERSED),
            "wrong_pairs": self.count(WRONG_PAIR),
            "fragments": self.count(FRAGMENT),
            "contradicting": self.contradicting,
            "rows_from_negatives": self.rows_from_negatives,
            "deals_total": self.deals_total,
            "deals_found": self.deals_found,
            "deals_main": self.deals_main,
            "main_found": self.main_found,
            "missed": self.missed,
            "field_right": self.field_right,
            "field_support": self.field_support,
            "fields": {
                f: {"right": t.right, "wrong": t.wrong, "missing": t.missing, "extra": t.extra}
                for f, t in self.fields.items()
            },
            "conflicts": self.conflicts,
            "disagreements": self.disagreements,
            "disagreements_flagged": self.disagreements_flagged,
            "negatives": self.negatives,
            "negatives_in_rows": self.negatives_in_rows,
            "row_verdicts": [r.__dict__ for r in self.rows],
            "errors": self.errors,
            "mismatches": self.mismatches,
        }


def score_table(
    gold: GoldSet,
    rows: list[Mapping[str, Any]],
    evidence: Mapping[str, set[str]],
    conflicts: Iterable[tuple[str, str]] = (),
) -> SetScore:
    """Judge every ``deals`` row against the gold.

    ``rows`` are dicts of the deals view; ``evidence`` maps deal_id → labeled article ids behind it;
    ``conflicts`` are (deal_id, field) pairs of the conflicts view.
    """
    conflicts = list(conflicts)
    score = SetScore(gold.name, conflicts=len(conflicts))
    score.deals_total = len(gold.deals)
    score.deals_main = sum(d.is_main for d in gold.deals.values())
    score.negatives = len(gold.negatives)
    verdicts = _assign(gold, rows, evidence)
    flagged = {(d, f) for d, f in conflicts}
    found: set[str] = set()
    for row, v in zip(rows, verdicts, strict=True):
        v.contradictions = contradictions(row)
        arts = evidence.get(v.deal_id, set())
        v.from_negatives = bool(arts) and arts <= gold.negatives
        if v.verdict == RIGHT and v.deal_key:
            found.add(v.deal_key)
            _score_fields(score, gold, gold.deals[v.deal_key], row, flagged)
    score.rows = verdicts
    score.deals_found = len(found)
    score.main_found = sum(1 for k in found if gold.deals[k].is_main)
    score.missed = sorted(set(gold.deals) - found)
    in_rows = set().union(*evidence.values()) if evidence else set()
    score.negatives_in_rows = len(gold.negatives & in_rows)
    return score


def _assign(
    gold: GoldSet, rows: list[Mapping[str, Any]], evidence: Mapping[str, set[str]]
) -> list[RowVerdict]:
    """Give each row its verdict; a labeled deal's right row is the one sharing most articles with it."""
    pairs = gold.pairs()
    verdicts: list[RowVerdict] = []
    candidates: list[tuple[tuple[int, ...], int, str]] = []  # (rank, row, deal key): best rank first
    for i, row in enumerate(rows):
        v = RowVerdict(str(row.get("deal_id")), row.get("provider"), row.get("customer"), WRONG_PAIR)
        p, c = gold.key_of(v.provider, v.customer)
        arts = evidence.get(v.deal_id, set())
        if p and c and (p, c) in pairs:
            for key in pairs[(p, c)]:
                overlap = len(arts & gold.deals[key].article_ids)
                fit = _agreement(gold, gold.deals[key], row)
                candidates.append(((-overlap, -fit, *_row_weight(row)), i, key))
        elif p and c and (c, p) in pairs:
            v.verdict, v.deal_key = REVERSED, pairs[(c, p)][0]
        verdicts.append(v)
    taken: set[str] = set()
    for _, i, key in sorted(candidates):
        v = verdicts[i]
        if v.verdict == RIGHT or key in taken:
            if v.verdict != RIGHT and v.deal_key is None:
                v.verdict, v.deal_key = FRAGMENT, key
            continue
        v.verdict, v.deal_key = RIGHT, key
        taken.add(key)
    return verdicts


def _agreement(gold: GoldSet, deal: GoldDeal, row: Mapping[str, Any]) -> int:
    """How many of the row's fields some article states for this labeled deal: between two deals of
    one pair told by the same articles (a 2025 contract and its 2026 expansion), the row carrying
    the expansion's values is the expansion's row, not whichever deal key sorts first."""
    n = 0
    for name in ROW_FIELDS:
        value = row.get(name)
        if value in (None, [], ""):
            continue
        stated = [(s[name], ranges.get(name)) for _, s, ranges, _ in deal.statements if name in s]
        n += any(values_equal(name, g, value, rng, gold.aliases) for g, rng in stated)
    return n


def _row_weight(row: Mapping[str, Any]) -> tuple[int, int, int]:
    """Ties between rows sharing as many articles go to the better-sourced, fuller row, not to the
    row that sorts first (deal ids change with URLs, so their order is no tie-breaker)."""
    filled = sum(1 for f in ROW_FIELDS if row.get(f) not in (None, "", []))
    return -int(row.get("source_count") or 0), -int(row.get("article_count") or 0), -filled


def _score_fields(
    score: SetScore, gold: GoldSet, deal: GoldDeal, row: Mapping[str, Any], flagged: set[tuple[str, str]]
) -> None:
    """Each field of a right row against the gold merged over the deal's articles."""
    deal_id = str(row.get("deal_id"))
    for name in ROW_FIELDS:
        tally = score.fields[name]
        value = row.get(name)
        if value in ([], ""):
            value = None
        stated = [(s[name], ranges.get(name)) for _, s, ranges, _ in deal.statements if name in s]
        if not stated:
            tally.extra += value is not None
            continue
        golds = sorted({str(g) for g, _ in stated})
        if value is None:
            tally.missing += 1
            score.mismatches.append(f"{deal.key} {name}: missing, stated {golds}")
        elif any(values_equal(name, g, value, rng, gold.aliases) for g, rng in stated):
            tally.right += 1
        else:
            tally.wrong += 1
            score.mismatches.append(f"{deal.key} {name}: {value!r}, stated {golds}")
        if not name.endswith("_precision") and _disagree(name, deal, gold.aliases):
            score.disagreements += 1
            score.disagreements_flagged += (deal_id, name) in flagged
            if (deal_id, name) not in flagged:
                score.mismatches.append(f"{deal.key} {name}: disagreement {golds} not flagged")


def _disagree(name: str, deal: GoldDeal, aliases: dict[str, str]) -> bool:
    """Do two independent articles state different values (at the same precision) for this field?"""
    precision = name.replace("_date", "_precision") if name.endswith("_date") else None
    seen: list[tuple[Any, Any, list[float] | None]] = []
    for _, s, ranges, syndicated_of in deal.statements:
        if name not in s or syndicated_of:
            continue
        value, prec, rng = s[name], s.get(precision) if precision else None, ranges.get(name)
        for other, other_prec, other_rng in seen:
            if prec != other_prec:
                continue
            if not (
                values_equal(name, other, value, other_rng, aliases)
                or values_equal(name, value, other, rng, aliases)
            ):
                return True
        seen.append((value, prec, rng))
    return False


# ---------------------------------------------------------------------------------------------
# Rows that contradict themselves


def _as_date(v: Any) -> date | None:
    if v is None or v == "":
        return None
    if isinstance(v, date):
        return v if type(v) is date else v.date()  # type: ignore[attr-defined]
    try:
        return date.fromisoformat(str(v)[:10])
    except ValueError:
        return None


def _as_number(v: Any) -> float | None:
    try:
        return float(v) if v is not None and v != "" else None
    except (TypeError, ValueError):
        return None


def contradictions(row: Mapping[str, Any]) -> list[str]:
    """Why a row cannot be true as it stands, in plain words (empty when it is consistent)."""
    out: list[str] = []
    start, end = _as_date(row.get("start_date")), _as_date(row.get("end_date"))
    term = _as_number(row.get("term_months"))
    if start and end and end < start:
        out.append(f"end {end} before start {start}")
    elif start and end and term:
        span = ((end - start).days + 1) / days_per_month()
        if abs(span - term) > TERM_SLACK_MONTHS:
            out.append(f"start {start} + {term:g} months is {span:.0f} months from end {end}")
    fee, total = _as_number(row.get("monthly_fee")), _as_number(row.get("total_value"))
    if fee and term and total:
        qualifier = row.get("total_value_qualifier") or None
        low, high = FEE_TERM_TOTAL_RATIO.get(qualifier, FEE_TERM_TOTAL_RATIO["about"])
        ratio = fee * term / total
        if not low <= ratio <= high:
            out.append(f"monthly fee x {term:g} months is {ratio:.2f} x the total ({qualifier or 'flat'})")
    return out


# ---------------------------------------------------------------------------------------------
# Several sets


@dataclass
class TableReport:
    """One SetScore per labeled set, in the order given."""

    sets: list[SetScore]

    def totals(self) -> dict[str, int]:
        keys = (
            "rows",
            "rows_right",
            "reversed",
            "wrong_pairs",
            "fragments",
            "contradicting",
            "rows_from_negatives",
            "deals_total",
            "deals_found",
            "deals_main",
            "main_found",
            "field_right",
            "field_support",
            "conflicts",
            "disagreements",
            "disagreements_flagged",
            "negatives",
            "negatives_in_rows",
        )
        dicts = [s.to_dict() for s in self.sets]
        return {k: sum(d[k] for d in dicts) for k in keys}

    @property
    def errors(self) -> list[str]:
        return [f"{s.name}: {e}" for s in self.sets for e in s.errors]

    def to_dict(self) -> dict[str, Any]:
        return {"sets": [s.to_dict() for s in self.sets], "total": self.totals()}
