"""Score extraction against a labeled corpus (``dealwatch eval``), field by field.

The corpus format and the labelling conventions are in ``fixtures/corpus/README.md``. Scores are
per field so that a quality-gate test can pin a minimum for each: a regression in one extractor
shows up in its own row instead of disappearing into an average.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from extractors.models import DEAL_COLUMNS, Article, DealMention, ExtractionResult, Fact
from extractors.vocabulary import (
    canonical_qualifier,
    facility_nouns,
    hardware_vendors,
    legal_suffix_alternation,
)

Extract = Callable[[list[Article]], list[ExtractionResult]]

#: Fields scored, in report order. Parties and type come from the mention; the rest from Facts.
SCORED_FIELDS: tuple[str, ...] = tuple(
    c
    for c in DEAL_COLUMNS
    if c
    not in (
        "deal_id",
        "source_count",
        "article_count",
        "conflict_count",
        "first_seen",
        "last_seen",
        "related_deal_id",
    )
)
_MONEY = {"monthly_fee", "total_value"}
_INTS = {"term_months", "accelerator_count", "termination_notice_days", "termination_lockin_months"}
_DATES = {"start_date", "end_date", "announced_on"}
_LEGAL_SUFFIX = re.compile(rf"\s*,?\s*\b(?:{legal_suffix_alternation()})\.?$", re.I)
_TICKER = re.compile(r"\s*\((?:[A-Z]+\s*:\s*)?[A-Z.]{1,6}\)")


@dataclass
class FieldScore:
    """Counts for one field over the whole corpus; ``support`` is the number of gold values."""

    field: str
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def support(self) -> int:
        return self.tp + self.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class DetectionScore:
    """Article-level: does the article report a deal (gold ``is_deal``) and did extraction say so."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def negatives_with_mentions(self) -> int:
        return self.fp


@dataclass
class Mismatch:
    """One disagreement with the gold, kept so a failing score can be traced to an article."""

    article_id: str
    deal_key: str | None  # None: a predicted mention that matched no gold deal
    field: str
    gold: Any
    predicted: Any


@dataclass
class EvalReport:
    fields: dict[str, FieldScore]
    detection: DetectionScore
    n_articles: int = 0
    n_gold_deals: int = 0
    n_predicted_mentions: int = 0
    parties_correct: int = 0
    deals_correct: int = 0
    mismatches: list[Mismatch] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # corpus or extractor problems, in plain words

    @property
    def parties_accuracy(self) -> float:
        return self.parties_correct / self.n_gold_deals if self.n_gold_deals else 0.0

    @property
    def deal_accuracy(self) -> float:
        """Share of gold deals whose matched mention has every stated field right."""
        return self.deals_correct / self.n_gold_deals if self.n_gold_deals else 0.0


# ---------------------------------------------------------------------------------------------
# Loading


def load_corpus(corpus_dir: Path) -> tuple[list[tuple[Article, dict]], list[str]]:
    """Read every ``NNN_slug.txt`` with its gold ``.json``; bad pairs become error lines."""
    pairs: list[tuple[Article, dict]] = []
    errors: list[str] = []
    corpus_dir = Path(corpus_dir)
    if not corpus_dir.is_dir():
        return [], [f"corpus folder not found: {corpus_dir}"]
    for text_path in sorted(corpus_dir.glob("*.txt")):
        gold_path = text_path.with_suffix(".json")
        try:
            gold = json.loads(gold_path.read_text(encoding="utf-8"))
            raw = text_path.read_text(encoding="utf-8")
            headline, _, body = raw.partition("\n\n")
            published = gold.get("published_at")
            article = Article(
                article_id=gold.get("article_id") or text_path.stem,
                url=text_path.resolve().as_uri(),
                text=headline.strip() + "\n\n" + body.strip(),
                title=headline.strip(),
                publisher=gold.get("publisher"),
                published_at=datetime.fromisoformat(published.replace("Z", "+00:00")) if published else None,
                language="en",
            )
        except FileNotFoundError:
            errors.append(f"{text_path.name}: no gold file {gold_path.name}")
            continue
        except (ValueError, AttributeError, TypeError) as exc:
            errors.append(f"{gold_path.name}: unreadable gold ({exc})")
            continue
        pairs.append((article, gold))
    if not pairs and not errors:
        errors.append(f"no articles (*.txt) in {corpus_dir}")
    return pairs, errors


def gold_mentions(gold: dict) -> list[DealMention]:
    """The gold deals of one article as DealMentions, as a perfect extractor would return them.

    Useful as a fake extractor in tests of this scorer and of downstream stages.
    """
    mentions = []
    for i, d in enumerate(gold.get("deals", [])):
        facts_in = d.get("facts", {})
        facts = []
        for name, value in facts_in.items():
            if (
                name not in SCORED_FIELDS
                or name in {"currency", "total_value_qualifier"}
                or name.endswith("_precision")
            ):
                continue
            attrs: dict[str, Any] = {}
            if name in _MONEY:
                attrs["currency"] = facts_in.get("currency")
                if name == "total_value" and facts_in.get("total_value_qualifier"):
                    attrs["qualifier"] = facts_in["total_value_qualifier"]
            if name in ("start_date", "end_date"):
                attrs["precision"] = facts_in.get(name.replace("_date", "_precision"))
            facts.append(Fact(name, value, str(value), "", 0, 0, "gold", attrs=attrs))
        mentions.append(
            DealMention(
                article_id=gold["article_id"],
                provider=d.get("provider"),
                customer=d.get("customer"),
                facts=facts,
                is_main=d.get("is_main", True),
                deal_type=d.get("deal_type"),
                mention_index=i,
            )
        )
    return mentions


# ---------------------------------------------------------------------------------------------
# Normalization and comparison


def _aliases(corpus_dir: Path) -> dict[str, str]:
    path = Path(corpus_dir) / "aliases.json"
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {k.casefold(): v for k, v in raw.items() if not k.startswith("_") and isinstance(v, str)}


def party_key(name: str | None, aliases: dict[str, str]) -> str | None:
    """Compare names without case, punctuation, ticker or legal suffix, through the alias table."""
    if not name:
        return None
    s = _TICKER.sub("", name).strip()
    s = aliases.get(s.casefold(), s)
    while True:
        stripped = _LEGAL_SUFFIX.sub("", s).strip(" ,.")
        if stripped == s or not stripped:
            break
        s = stripped
    s = aliases.get(s.casefold(), s)
    return re.sub(r"[^\w]+", " ", s.casefold()).strip() or None


def _hardware_set(values: Iterable[Any]) -> frozenset[str]:
    out = set()
    for v in values:
        words = [w for w in re.split(r"[\s\-]+", str(v).casefold()) if w and w not in hardware_vendors()]
        if words:
            out.add("".join(words))
    return frozenset(out)


def _facility_key(v: Any) -> str:
    return " ".join(
        w for w in re.split(r"\W+", str(v).casefold()) if w and w != "the" and w not in facility_nouns()
    )


def _number(v: Any) -> float | None:
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def _date_str(v: Any) -> str | None:
    if isinstance(v, (date, datetime)):
        return v.isoformat()[:10]
    return str(v)[:10] if v else None


def _equal(name: str, gold: Any, pred: Any, gold_range: list[float] | None, aliases: dict[str, str]) -> bool:
    if pred is None:
        return False
    if name in ("provider", "customer"):
        return party_key(gold, aliases) == party_key(pred, aliases)
    if name in _MONEY or name == "capacity_mw":
        p = _number(pred)
        if p is None:
            return False
        if gold_range:
            return gold_range[0] * 0.99 <= p <= gold_range[1] * 1.01
        return abs(p - float(gold)) <= 0.01 * abs(float(gold))
    if name in _INTS:
        p = _number(pred)
        return p is not None and abs(p - float(gold)) < 0.5
    if name in _DATES:
        return _date_str(gold) == _date_str(pred)
    if name == "hardware":
        return _hardware_set(gold) == _hardware_set(pred if isinstance(pred, (list, set, tuple)) else [pred])
    if name == "location":
        return str(gold).split(",")[0].strip().casefold() == str(pred).split(",")[0].strip().casefold()
    if name == "facility":
        return _facility_key(gold) == _facility_key(pred)
    if name == "total_value_qualifier":
        return canonical_qualifier(str(pred)) == str(gold).casefold()
    return str(gold).strip().casefold() == str(pred).strip().casefold()


def predicted_values(m: DealMention) -> dict[str, Any]:
    """Flatten a mention into one value per scored field (the most confident Fact wins)."""
    out: dict[str, Any] = {"provider": m.provider, "customer": m.customer, "deal_type": m.deal_type}
    best: dict[str, Fact] = {}
    hardware: list[Any] = []
    for f in m.facts:
        if f.field not in SCORED_FIELDS:  # a related party (a lender, a backer) is no deal column
            continue
        if f.field == "hardware":
            hardware.extend(f.value if isinstance(f.value, (list, tuple, set)) else [f.value])
        elif f.field not in best or f.confidence > best[f.field].confidence:
            best[f.field] = f
    for name, f in best.items():
        if name in ("provider", "customer", "deal_type"):
            out[name] = out[name] or f.value
            continue
        out[name] = f.value
        if name in ("start_date", "end_date"):
            out[name.replace("_date", "_precision")] = f.attrs.get("precision")
    if hardware:
        out["hardware"] = hardware
    money = best.get("total_value") or best.get("monthly_fee")
    if money is not None:
        out["currency"] = money.attrs.get("currency")
    if "total_value" in best:
        out["total_value_qualifier"] = best["total_value"].attrs.get("qualifier")
    return {k: v for k, v in out.items() if v not in (None, "", [])}


def _match(golds: list[dict], preds: list[dict[str, Any]], aliases: dict[str, str]) -> dict[int, int]:
    """Pair gold deals with predicted mentions by party names, best pairs first, one-to-one."""
    scored = []
    for gi, g in enumerate(golds):
        gp, gc = party_key(g.get("provider"), aliases), party_key(g.get("customer"), aliases)
        for pi, p in enumerate(preds):
            pp, pc = party_key(p.get("provider"), aliases), party_key(p.get("customer"), aliases)
            if (gp, gc) == (pp, pc):
                score = 3
            elif {gp, gc} == {pp, pc}:
                score = 2
            elif {gp, gc} & ({pp, pc} - {None}):
                score = 1
            else:
                continue
            scored.append((-score, not g.get("is_main", True), gi, pi))
    pairs: dict[int, int] = {}
    used: set[int] = set()
    for _, _, gi, pi in sorted(scored):
        if gi not in pairs and pi not in used:
            pairs[gi] = pi
            used.add(pi)
    return pairs


# ---------------------------------------------------------------------------------------------
# Scoring


def _default_extract() -> Extract:
    from extractors.pipeline import extract_articles

    return extract_articles


def evaluate(corpus_dir: Path, extract: Extract | None = None) -> EvalReport:
    """Run ``extract`` (default: ``extractors.pipeline.extract_articles``) over the corpus and score it.

    Never raises for a bad corpus or a failing extractor: the problem is in ``report.errors``.
    """
    report = EvalReport(fields={f: FieldScore(f) for f in SCORED_FIELDS}, detection=DetectionScore())
    pairs, report.errors = load_corpus(Path(corpus_dir))
    report.n_articles = len(pairs)
    if not pairs:
        return report
    aliases = _aliases(Path(corpus_dir))
    try:
        extract = extract or _default_extract()
        results = extract([a for a, _ in pairs])
    except Exception as exc:  # an extractor bug must show in the report, not kill the command
        report.errors.append(f"extraction failed: {type(exc).__name__}: {exc}")
        results = []
    by_id = {r.article_id: r for r in results}
    for article, gold in pairs:
        result = by_id.get(article.article_id)
        if result is None and results:
            report.errors.append(f"{article.article_id}: extractor returned no result")
        mentions = result.mentions if result else []
        _score_article(report, gold, mentions, aliases)
    return report


def _score_article(
    report: EvalReport, gold: dict, mentions: list[DealMention], aliases: dict[str, str]
) -> None:
    aid = gold.get("article_id", "?")
    golds = gold.get("deals", [])
    preds = [predicted_values(m) for m in mentions]
    report.n_gold_deals += len(golds)
    report.n_predicted_mentions += len(preds)
    det = report.detection
    is_deal, said_deal = bool(gold.get("is_deal")), bool(mentions)
    det.tp += is_deal and said_deal
    det.fp += said_deal and not is_deal
    det.fn += is_deal and not said_deal
    det.tn += not is_deal and not said_deal

    pairs = _match(golds, preds, aliases)
    matched_preds = set(pairs.values())
    for gi, g in enumerate(golds):
        pred = preds[pairs[gi]] if gi in pairs else {}
        stated = {
            "provider": g.get("provider"),
            "customer": g.get("customer"),
            "deal_type": g.get("deal_type"),
        }
        stated.update({k: v for k, v in g.get("facts", {}).items() if k in SCORED_FIELDS})
        all_right = gi in pairs
        for name in SCORED_FIELDS:
            score, gv, pv = report.fields[name], stated.get(name), pred.get(name)
            if gv is None:
                score.fp += pv is not None
                if pv is not None:
                    report.mismatches.append(Mismatch(aid, g.get("deal_key"), name, None, pv))
                continue
            if _equal(name, gv, pv, g.get("ranges", {}).get(name), aliases):
                score.tp += 1
                continue
            all_right = False
            score.fn += 1
            score.fp += pv is not None
            report.mismatches.append(Mismatch(aid, g.get("deal_key"), name, gv, pv))
        right_parties = all(
            _equal(n, stated[n], pred.get(n), None, aliases) for n in ("provider", "customer")
        )
        report.parties_correct += gi in pairs and right_parties
        report.deals_correct += all_right
    for pi, pred in enumerate(preds):
        if pi in matched_preds:
            continue
        for name, value in pred.items():
            report.fields[name].fp += 1
            report.mismatches.append(Mismatch(aid, None, name, None, value))


# ---------------------------------------------------------------------------------------------
# Output


def format_report(report: EvalReport, max_mismatches: int = 0) -> str:
    """A plain-text table: per-field P/R/F1/support, detection, party and deal-level accuracy."""
    lines = [f"{'field':<26}{'precision':>10}{'recall':>8}{'f1':>7}{'support':>9}"]
    lines.append("-" * len(lines[0]))
    for s in report.fields.values():
        lines.append(f"{s.field:<26}{s.precision:>10.3f}{s.recall:>8.3f}{s.f1:>7.3f}{s.support:>9}")
    d = report.detection
    lines += [
        "",
        f"articles: {report.n_articles}   gold deals: {report.n_gold_deals}   "
        f"predicted mentions: {report.n_predicted_mentions}",
        f"deal detection: precision {d.precision:.3f}  recall {d.recall:.3f}  "
        f"(negatives with a mention: {d.negatives_with_mentions})",
        f"parties accuracy: {report.parties_accuracy:.3f}  ({report.parties_correct}/{report.n_gold_deals})",
        f"deal-level accuracy (all stated fields right): {report.deal_accuracy:.3f}  "
        f"({report.deals_correct}/{report.n_gold_deals})",
    ]
    if report.errors:
        lines += ["", f"problems ({len(report.errors)}):"] + [f"  - {e}" for e in report.errors]
    if max_mismatches and report.mismatches:
        lines += [
            "",
            f"first {min(max_mismatches, len(report.mismatches))} of {len(report.mismatches)} mismatches:",
        ]
        for m in report.mismatches[:max_mismatches]:
            lines.append(
                f"  {m.article_id} [{m.deal_key or 'unmatched'}] {m.field}: gold={m.gold!r} predicted={m.predicted!r}"
            )
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Shared with the table-level scorer (extractors/table_eval.py), so both judge names and values alike

values_equal = _equal
load_aliases = _aliases
