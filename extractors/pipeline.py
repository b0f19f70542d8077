"""Article → ExtractionResult: the extraction stage the Prefect flow calls once per batch.

Order of work is chosen for speed: split sentences and gate every article with regexes; parse only
the candidate sentences of candidate articles, all of the batch at once through ``nlp.pipe``; run
the value extractors on sentences that can hold a value; then assemble mentions per article.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Any

from extractors.budget import Deadline, TookTooLong
from extractors.companies import article_names, gazetteer_pattern
from extractors.gate import (
    gate_article,
    is_candidate_sentence,
    is_caps,
    non_deal_category,
)
from extractors.list_frames import is_bullet, list_item_claim, list_owner
from extractors.mentions import SentenceAnalysis, build_mentions
from extractors.models import Article, ArticleContext, ExtractionResult, Fact, Sentence
from extractors.parties import (
    DESCRIPTOR,
    SUBJECT_SLOT,
    CompanyMention,
    common_phrases,
    division_aliases,
    document_labels,
    find_companies,
    find_known_names,
    find_role_claims,
    mask_sentence,
    merge_mentions,
    names_pattern,
    owner_persons,
    place_prefixed,
    product_names,
    region_towns,
    role_patterns,
    speaker_names,
    title_persons,
)
from extractors.relations import backer_facts, drop_denied_pairs, sort_claims
from extractors.sentences import split_sentences
from extractors.version import extractor_version

log = logging.getLogger(__name__)

#: Derived from the extraction code and data files (extractors/version.py), stored with every fact.
EXTRACTOR_VERSION = extractor_version()
#: Text beyond this is not read (a news article is < 30k chars; 2 MB pages are junk or archives).
MAX_ARTICLE_CHARS = 100_000
#: Sentences per nlp.pipe batch.
BATCH_SIZE = 64
#: Sentences per batch of the NER alone: its greedy transition loop steps every sentence of a batch
#: together, so fewer, larger batches cost less (the same entities; ~7% less spaCy CPU than 64),
#: while the tagger's tok2vec runs best at 64.
NER_BATCH_SIZE = 256


@dataclass
class _Work:
    article: Article
    sentences: list[Sentence] = field(default_factory=list)
    candidates: list[Sentence] = field(default_factory=list)
    result: ExtractionResult | None = None
    note: str | None = None


def extract_articles(
    articles: list[Article], stats: dict[str, float] | None = None
) -> list[ExtractionResult]:
    """One ExtractionResult per article, in order. Never raises.

    ``stats``, when given, receives this call's counters (added to what it holds): articles, gated
    (passed the gate), sentences, parsed_sentences, and gate_s / extract_s seconds. The caller owns
    it, so batches can run in other processes and report back (no module-level state).
    """
    t0 = time.perf_counter()
    works = [_prepare(a) for a in articles or []]
    t_gate = time.perf_counter() - t0
    pending = [w for w in works if w.result is None]
    try:
        parsed = _parse_candidates(pending)
    except Exception:  # noqa: BLE001 - no model or a parser crash: degrade to gazetteer names
        log.exception("spaCy parsing failed; extracting with gazetteer names only")
        parsed = {}
    for w in pending:
        try:
            w.result = _extract_one(w, parsed)
        except TookTooLong as exc:
            log.warning("gave up extracting %s: %s", _aid(w.article), exc)
            w.result = ExtractionResult(_aid(w.article), False, reason=str(exc))
        except Exception as exc:  # noqa: BLE001 - one bad article must not cost the batch
            log.exception("extraction failed for %s", getattr(w.article, "article_id", "?"))
            w.result = ExtractionResult(
                _aid(w.article), False, reason=f"error: {type(exc).__name__}: {exc}"[:300]
            )
    if stats is not None:
        counts = {
            "articles": len(works),
            "gated": len(pending),
            "sentences": sum(len(w.sentences) for w in works),
            "parsed_sentences": sum(len(w.candidates) for w in pending),
            "gate_s": t_gate,
            "extract_s": time.perf_counter() - t0 - t_gate,
        }
        for key, value in counts.items():
            stats[key] = stats.get(key, 0) + value
    return [w.result for w in works]  # type: ignore[misc]


def _aid(article: Any) -> str:
    return str(getattr(article, "article_id", "") or "")


def _prepare(article: Article) -> _Work:
    """Split and gate one article; sets ``result`` when it needs no parsing."""
    w = _Work(article)
    deadline = Deadline("extraction")
    try:
        text = article.text if isinstance(article.text, str) else ""
        if not text.strip():
            w.result = ExtractionResult(_aid(article), False, reason="empty text")
            return w
        if len(text) > MAX_ARTICLE_CHARS:
            w.note = f"too long: truncated to {MAX_ARTICLE_CHARS} chars"
            text = text[:MAX_ARTICLE_CHARS]
        w.sentences = split_sentences(text)
        deadline.check("splitting sentences")
        ok, reason = gate_article(w.sentences)
        if not ok:
            w.result = ExtractionResult(_aid(article), False, reason=_join(reason, w.note))
            return w
        w.candidates = [s for s in w.sentences if is_candidate_sentence(s)]
        deadline.check("the gate")
    except TookTooLong as exc:
        w.result = ExtractionResult(_aid(article), False, reason=str(exc))
    except Exception as exc:  # noqa: BLE001
        log.exception("gate failed for %s", _aid(article))
        w.result = ExtractionResult(_aid(article), False, reason=f"error: {type(exc).__name__}: {exc}"[:300])
    return w


def _join(*parts: str | None) -> str | None:
    text = "; ".join(p for p in parts if p)
    return text or None


def _parse_candidates(works: list[_Work]) -> dict[tuple[int, int], Any]:
    """Parse every candidate sentence of the batch in one nlp.pipe stream: (work#, sentence#) → Doc."""
    keys, texts = [], []
    for wi, w in enumerate(works):
        for s in w.candidates:
            keys.append((wi, s.index))
            # The tagger reads ALL-CAPS headlines as a run of proper nouns; Title Case reads better
            # and keeps every offset (same length).
            t = s.text.title() if _is_caps(s.text) else s.text
            texts.append(t if len(t) == len(s.text) else s.text)
    if not texts:
        return {}
    from extractors.nlp import get_nlp

    nlp = get_nlp()
    # A sentence repeated in the batch (boilerplate, a quote carried by two stories) is parsed once:
    # a Doc depends on its text alone, and the rules only read it.
    unique = list(dict.fromkeys(texts))
    cfg = {"ner": {"batch_size": NER_BATCH_SIZE}}
    by_text = dict(zip(unique, nlp.pipe(unique, batch_size=BATCH_SIZE, component_cfg=cfg), strict=True))
    return {(id(works[k[0]]), k[1]): by_text[t] for k, t in zip(keys, texts, strict=True)}


def extract_with_docs(article: Article, sentences: list[Sentence], docs: dict[int, Any]) -> ExtractionResult:
    """The per-article step on the caller's own parses (sentence index → spaCy Doc), every
    sentence a candidate: the benchmark's naive baseline parses whole texts itself and must then
    run exactly the flow's party and value rules."""
    w = _Work(article, sentences=sentences, candidates=sentences)
    return _extract_one(w, {(id(w), i): d for i, d in docs.items()})


def _extract_one(w: _Work, parsed: dict[tuple[int, int], Any]) -> ExtractionResult:
    """One article's parties, values and mentions; its own time budget (the batch's shared spaCy
    pass is not counted against it) is checked after every sentence."""
    article = w.article
    deadline = Deadline("extraction")
    ctx = ArticleContext(published_at=article.published_at, title=article.title)
    found, persons = _article_companies(w, parsed)
    names = article_names(found.values())
    plain = names_pattern(names)
    upper = names_pattern(names, upper=True) if any(_is_caps(s.text) for s in w.sentences) else None
    analyses = []
    paragraph, seen_to = 0, 0
    antecedent: str | None = None  # the subject company of the previous sentence (a new paragraph keeps it)
    related: list[Fact] = []  # lenders, guarantors, partners …: told, never paired
    denied: set[frozenset[str]] = set()  # pairs the article says have no deal
    told: set[frozenset[str]] = set()  # pairs an earlier sentence told as a deal
    owner: str | None = None  # the owner of a customer list whose bullets follow (extractors.list_frames)
    for s in w.sentences:
        a = SentenceAnalysis(s)
        paragraph += article.text.count("\n", seen_to, s.start) and 1
        seen_to = s.start
        a.paragraph = paragraph
        known = find_known_names(s.text, s.start, upper if _is_caps(s.text) else plain)
        if s.index not in found:
            known = merge_mentions(known, find_known_names(s.text, s.start, gazetteer_pattern(), known=True))
        a.companies = merge_mentions(found.get(s.index, []), known)
        if persons:
            a.companies = [m for m in a.companies if m.text not in persons]
        if owner is not None and not is_bullet(s.text):
            owner = None  # the list under a heading ends with its last bullet
        if a.companies:
            masked, table = mask_sentence(s.text, s.start, a.companies, antecedent)
            a.claims = find_role_claims(masked, table, s.index)
            item = list_item_claim(masked, table, s.index, owner) if owner is not None else None
            a.claims += [item] if item is not None else []
            a.claims = sort_claims(a.claims, s, told, denied, related)
            a.aliases = division_aliases(masked, table)
            antecedent = _subject_of(s, table)
        if owner is None:
            owner = list_owner(masked, table) if a.companies else list_owner(s.text, {})
        # Every sentence of a deal article: each value extractor checks its own cue words first,
        # and facility, location, "either party may exit" or "announced Monday" carry no digit.
        a.facts = _values(s, ctx)
        related.extend(backer_facts(s))
        analyses.append(a)
        deadline.check(f"sentence {s.index + 1} of {len(w.sentences)}")
    drop_denied_pairs([a.claims for a in analyses], denied)
    mentions = build_mentions(_aid(article), analyses)
    if mentions and related:
        mentions[0].facts.extend(related)
    if mentions and _only_existing_customers(mentions[0], w.sentences):
        return ExtractionResult(
            _aid(article), False, reason=_join("not a deal: existing customers only", w.note)
        )
    if not mentions:
        return ExtractionResult(
            _aid(article), False, reason=_join("deal language but no parties found", w.note)
        )
    return ExtractionResult(_aid(article), True, mentions=mentions, reason=w.note)


def _article_companies(
    w: _Work, parsed: dict[tuple[int, int], Any]
) -> tuple[dict[int, list[CompanyMention]], set[str]]:
    """Company mentions per parsed sentence, and the names the whole article uses for people,
    places and phrases (no party anywhere in it); a place before a name is cut off the name."""
    article = w.article
    found: dict[int, list[CompanyMention]] = {}
    for s in w.sentences:
        doc = parsed.get((id(w), s.index))
        if doc is not None:
            found[s.index] = find_companies(doc, s.start)
            if _is_caps(s.text):  # parsed in Title Case; keep the text as written ("AI", not "Ai")
                for m in found[s.index]:
                    m.text = article.text[m.start : m.end]
    persons: set[str] = speaker_names(article.text)
    for s in w.sentences:
        doc = parsed.get((id(w), s.index))
        if doc is not None:
            persons |= title_persons(doc) | owner_persons(doc)
    seen = {m.text for ms in found.values() for m in ms}
    persons |= common_phrases(seen, article.text) | region_towns(seen, article.text)
    persons |= document_labels(seen, article.text) | product_names(seen, article.text)
    renamed = place_prefixed(seen - persons)
    for ms in found.values():  # "Irish Okapi" beside "Okapi Cloud": the place is not part of the name
        for m in ms:
            if m.text in renamed:
                m.start += len(m.text) - len(renamed[m.text])
                m.text = renamed[m.text]
    if persons:  # a person named once with a title (or a phrase also written in lower case) is no party
        found = {i: [m for m in ms if m.text not in persons] for i, ms in found.items()}
    return found, persons


_DEAL_VALUES = frozenset(["total_value", "monthly_fee", "term_months", "start_date", "end_date"])


def _only_existing_customers(main: Any, sentences: list[Sentence]) -> bool:
    """A funding, earnings or stock story whose only 'deal' is a customer list ("counts Microsoft
    among its customers") with no value of its own: it names existing customers, not a new deal."""
    existing = {f"parties.{r['id']}" for r in role_patterns() if r.get("existing")}
    parties = [f for f in main.facts if f.field in ("provider", "customer")]
    if not parties or any(f.extractor not in existing for f in parties):
        return False
    if any(f.field in _DEAL_VALUES for f in main.facts):
        return False
    lead = " ".join(s.text for s in sentences[:2])
    return non_deal_category(lead) in ("funding", "earnings", "stock")


def _subject_of(s: Sentence, table: dict[str, tuple[str, int, int]]) -> str | None:
    """The company a sentence is about, for references in the next one: its first slot when that
    opens the sentence, a name or a reference already resolved ("The broker resells …")."""
    first = min(table.values(), key=lambda v: v[1], default=None)
    if first is None or first[0] == DESCRIPTOR or not SUBJECT_SLOT.match(s.text[: first[1] - s.start]):
        return None
    return first[0]


def _is_caps(text: str) -> bool:
    return is_caps(text)


def _values(sentence: Sentence, ctx: ArticleContext) -> list[Fact]:
    """The value extractors' facts (money, dates, terms, hardware, place, termination)."""
    try:
        from extractors.values import extract_values
    except ImportError:  # the values module not present yet: parties still work
        return []
    return extract_values(sentence, ctx)
