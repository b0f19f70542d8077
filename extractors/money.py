"""Money in a sentence → ``monthly_fee`` and ``total_value`` facts.

A recurring amount ("$90 million per month", "$1.8bn annually", "annual payments of $2 billion")
becomes ``monthly_fee`` normalised to per month; any other amount the deal owns ("worth up to $6
billion", "a $2.4bn contract") becomes ``total_value``. Money that belongs to something else
(funding, valuation, revenue, capex, share moves) is recognised by cue words in the amount's clause
(patterns/money.toml) and not returned, because a wrong deal value is worse than a missing one.
Finding the amounts themselves is extractors/amounts.py.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from extractors.amounts import QUALIFIER as _QUAL
from extractors.amounts import Amount, find_amounts
from extractors.amounts import alternation as _alt
from extractors.models import ArticleContext, Fact, Sentence
from extractors.numbers import clause_around, make_fact
from extractors.vocabulary import per_month

VERSION = "1"
_DATA = tomllib.loads((Path(__file__).parent / "patterns" / "money.toml").read_text("utf-8"))
_PER = _DATA["periods"]

_PERIOD_WORD = _alt(list(_PER["words"]))
_PERIOD_ADV = _alt(list(_PER["adverbs"]))
_PERIOD_AFTER = re.compile(
    r"(?:\s+(?:are|is|will\s+be|to\s+be)?\s*(?:due|paid|payable|billed|charged|owed))?"
    rf"\s*(?:-\s*)?(?:(?:a|an|per|each|every|/|a\s+single)\s*-?\s*(?P<w>{_PERIOD_WORD})\b"
    rf"|(?:in\s+|of\s+)?(?P<a>{_PERIOD_ADV})\b)(?!\s+(?:earlier|ago|before|later|prior))",
    re.I,
)
_FEE_NOUN = _alt(_PER["fee_nouns"])
_PERIOD_BEFORE = re.compile(
    rf"\b(?P<a>{_PERIOD_ADV})\s+(?:[\w-]+\s+){{0,2}}?{_FEE_NOUN}\s+"
    r"(?:of|totaling|totalling|at|worth|amounting\s+to|to\s+the\s+tune\s+of|reaching|is|are|will\s+be)?"
    rf"\s*(?:{_QUAL}\s+)?$",
    re.I,
)
_UNIT_PRICE = re.compile(rf"\s*(?:per|/|an?|each)\s*-?\s*{_alt(_DATA['unit_price']['words'])}\b", re.I)
_OVER_TERM = re.compile(
    r"\s*(?:over|across|for|during)\s+(?:the\s+)?(?:next\s+|life\s+of|term|full|entire|\w+[- ]years?)", re.I
)


def _cue_re(words: list[str]) -> re.Pattern[str]:
    return re.compile(r"(?<![\w-])" + _alt(words) + r"(?![\w-])", re.I)


_NEG = _cue_re(_DATA["cues"]["negative"])
_POS = _cue_re(_DATA["cues"]["positive"])
_NEEDS_DEAL = {w.lower() for w in _DATA["cues"]["needs_deal_noun"]}
_WEAK_NEG = {w.lower() for w in _DATA["cues"]["weak_negative"]}
_DEAL_NOUN = _cue_re(_DATA["cues"]["deal_nouns"])
_BOUGHT_NOUN = _cue_re(_DATA["cues"]["bought_nouns"])
_SENT_NEG = _cue_re(_DATA["cues"]["sentence_negative"])
_UPSIDE = _cue_re(_DATA["cues"]["upside"])
#: "spend $12 billion on X's cloud / on computing capacity from X": spending on the service is the deal.
_SPEND_ON_SERVICE = re.compile(
    r"\s+(?:[\w-]+\s+){0,3}?on\s+(?:[\w'’.-]+\s+){0,3}?(?:cloud|compute|computing|capacity|GPUs?|services|"
    r"infrastructure|instances|chips|accelerators)\b",
    re.I,
)
#: A sentence that prices the deal from list prices is an estimate, whatever its clauses say.
#: "against $30 billion in annual revenue", "compared with …": a yardstick the deal is measured by.
_BENCHMARK = re.compile(
    r"\b(?:" + "|".join(re.escape(w) for w in _DATA["cues"]["benchmark"]) + r")\b(?:(?!\$)[^,;]){0,30}$", re.I
)
_LIST_PRICE = re.compile(r"\blist[- ]prices?\b", re.I)
# "the deal would generate $9 billion in revenue": the deal's value, told from the seller's side.
_GENERATES = re.compile(
    r"\b(?:generate|generates|generating|bring\s+in|brings\s+in|represent|represents|representing|"
    r"contribute|contributes|contributing|yield|yields)\b",
    re.I,
)
#: "… $4.5 billion of revenue over the initial 15-year term": the contract's value, seen from the seller.
_REVENUE_OVER_TERM = re.compile(
    r"\s+(?:of|in)\s+(?:[\w-]+\s+){0,2}?revenues?\s+over\s+(?:the|its|their)\s+(?:[\w-]+\s+){0,3}?"
    r"(?:terms?|life|lifetime|duration)\b",
    re.I,
)
#: "… which we calculate at roughly $300 million a year", "averaging about $290 million a year": the
#: same contract's money per period, right after its total.
_RESTATED = re.compile(
    r"\b(?:averag\w*|or|which\s+(?:\w+\s+){0,2}?(?:calculate|estimate|works?\s+out|put|puts)\w*\s+(?:at|to)|"
    r"works?\s+out\s+to|equivalent\s+to|roughly|about)\s*(?:about|roughly|around|some|approximately|nearly)?\s*$",
    re.I,
)
# "brings the total value of its contracts with X to $22 billion": a running total over several deals.
_CUMULATIVE_BEFORE = re.compile(
    r"\b(?:total|combined|cumulative|aggregate)\s+(?:contract\s+)?value\s+of\s+(?:[\w'’-]+\s+){0,2}?"
    r"(?:contracts|deals|agreements|commitments)\b[^$€£]{0,60}$",
    re.I,
)
_BUY = {"buy", "to buy", "buys", "bought", "buying"}
_BUY_VERB = re.compile(r"\b(?:buy|buys|bought|buying)\b", re.I)
#: Between a counted batch and its price: " - ", " from X for ", " at " (not ", is valued at ").
_PRICED_BATCH = re.compile(
    r"\s*(?:[-–—,(]\s*)?(?:from\s+(?:[A-Z][\w&.'’-]*\s+){1,4})?(?:for|at|worth|costing|priced\s+at)?\s*$"
)
#: A counted batch of hardware: "12,000 AMD MI355X GPUs", "4,608 accelerators" (not "a maker of servers").
_COUNTED_HARDWARE = re.compile(
    r"\b\d[\d,.]*\s*(?:[A-Za-z][\w-]*\s+){0,3}?(?:GPUs|accelerators|chips|servers|racks|processors)\b"
)
_BOUGHT_AFTER = re.compile(
    r"\s+(?:of|in|worth\s+of)\s+(?:\w+\s+){0,2}?(?:computing|compute|capacity|cloud|gpu|gpus|chips|"
    r"infrastructure|servers|services|equipment|hardware|systems|racks|accelerators)\b",
    re.I,
)
_ATTACHED_DEAL = re.compile(
    r"\s*,?\s*(?:(?!(?:of|in|for|to|from|and|or|with|after|before|since|under|by|at|on|than|as|the|a|an|its|their|this|that|is|was|were|are|be)\b)[\w-]+\s+){0,3}?"
    r"(?:deal|contract|commitment|agreement|lease|pact|order)\b(?!\s+(?:book|backlog|pipeline|flow))",
    re.I,
)
_ATTACHED_OTHER = re.compile(
    r"\s*(?:[\w-]+\s+){0,2}?(?:"
    + "|".join(re.escape(w) for w in sorted(_DATA["cues"]["attached_negative"], key=len, reverse=True))
    + r")\b",
    re.I,
)
_ADDED_TO = {"backlog", "backlogs", "rpo", "performance obligations", "order book"}
_BACKLOG_AFTER = re.compile(
    r"\s+(?:of|to)\s+(?:its|the|their)?\s*(?:[\w-]+\s+){0,2}?(?:backlog|order\s+book|performance\s+obligations)\b",
    re.I,
)
_ADDS = re.compile(r"\b(?:adds|add|added|adding)\b", re.I)
# "$50 billion of AI infrastructure contracts", "$60 billion of neocloud deals this year": a sum
# over several deals, not one deal's value.
_AGGREGATE = re.compile(
    r"\s+(?:worth\s+)?of\s+(?:[\w-]+\s+){0,4}?(?:contracts|deals|agreements|leases|orders|commitments)\b",
    re.I,
)


def _titleish(text: str) -> bool:
    """True for Title Case or ALL-CAPS headlines, where capitals say nothing about names."""
    words = [w for w in text.split() if w[:1].isalpha()]
    return bool(words) and sum(w[0].isupper() for w in words) / len(words) > 0.6


def _nearest(
    pattern: re.Pattern[str], text: str, lo: int, hi: int, a_start: int, a_end: int, names_skip: bool = False
):
    """(distance in chars, matched phrase) of the cue nearest to the amount within [lo, hi).

    A capitalised cue inside a normal sentence is part of a name ("Pallas Compute"), not a cue.
    """
    best: tuple[int, str] | None = None
    titleish: bool | None = None
    for m in pattern.finditer(text, lo, hi):
        if m.start() >= a_start and m.end() <= a_end:
            continue
        if names_skip and m.group(0)[0].isupper() and m.start() > 0:
            if titleish is None:
                titleish = _titleish(text)
            if not titleish:
                continue
        d = a_start - m.end() if m.end() <= a_start else m.start() - a_end
        if best is None or d < best[0]:
            best = (max(d, 0), m.group(0).lower())
    return best


Verdict = tuple[str, float, str | None]


@dataclass(frozen=True)
class _Cues:
    """What the rules of ``classify`` read about one amount: its clause and the nearest cues."""

    text: str
    a: Amount
    lo: int
    hi: int
    neg: tuple[int, str] | None
    pos: tuple[int, str] | None


def _cues(text: str, a: Amount) -> _Cues:
    lo, hi = clause_around(text, a.start, a.end)
    # A cue may sit just outside a short clause ("worth, in total, $2bn"): look a few chars wider.
    neg = _nearest(_NEG, text, lo, hi, a.start, a.end)
    pos = _nearest(_POS, text, lo, hi, a.start, a.end, names_skip=True)
    if (
        pos
        and pos[1] in _NEEDS_DEAL
        and not _DEAL_NOUN.search(text, max(0, a.start - 90), a.start)
        and not _BOUGHT_NOUN.search(text, max(0, a.start - 40), a.start)
        and not _BOUGHT_AFTER.match(text, a.end)  # "$30 billion worth of computing capacity"
    ):
        # "a startup valued at $25 billion" – a valuation unless a deal noun is near.
        neg, pos = (neg if neg and neg[0] < pos[0] else (pos[0], "valuation-like")), None
    return _Cues(text, a, lo, hi, neg, pos)


def _aggregate(c: _Cues) -> bool:
    """ "$40 billion in contracts so far", "brings its commitments to $9 billion": a running total."""
    return bool(
        _AGGREGATE.match(c.text, c.a.end)
        or _CUMULATIVE_BEFORE.search(c.text, max(0, c.a.start - 140), c.a.start)
    )


def _buys_compute(c: _Cues) -> bool:
    """ "agreed to buy $300 billion of computing capacity": buying compute is the deal itself; so is
    buying a counted batch of hardware priced after it ("is buying 12,000 GPUs - about $1.6 billion
    worth", "to buy servers with 4,608 accelerators from X for $310 million")."""
    if not c.neg or c.neg[1] not in (*_BUY, "valuation-like"):
        return False
    if (
        c.neg[1] in _BUY
        and _BOUGHT_NOUN.match(c.text, c.a.end) is None
        and _BOUGHT_AFTER.match(c.text, c.a.end)
    ):
        return True
    before = re.split(r"[;:]", c.text[max(0, c.a.start - 160) : c.a.start])[-1]
    buys = list(_BUY_VERB.finditer(before))
    if not buys:
        return False
    batches = list(_COUNTED_HARDWARE.finditer(before, buys[-1].end()))
    return bool(batches) and bool(_PRICED_BATCH.match(before[batches[-1].end() :]))


def _adds_backlog(c: _Cues) -> bool:
    """ "the deal adds $14 billion of backlog": the contract's value, told as what it adds."""
    return bool(
        c.neg
        and _ADDS.search(c.text, max(0, c.a.start - 30), c.a.start)
        and (c.neg[1] in _ADDED_TO or _BACKLOG_AFTER.match(c.text, c.a.end))
    )


def _sentence_metric(c: _Cues) -> Verdict | None:
    """No cue in the amount's clause: a strong metric word anywhere in the sentence (backlog,
    revenue, debt) with no deal cue nearer makes the amount the metric's."""
    sneg = _nearest(_SENT_NEG, c.text, 0, len(c.text), c.a.start, c.a.end)
    if sneg:
        spos = _nearest(_POS, c.text, 0, len(c.text), c.a.start, c.a.end, names_skip=True)
        if not spos or sneg[0] < spos[0]:
            return "other", 0.0, sneg[1]
    return None


def _when(
    condition: Callable[[_Cues], object], verdict: Callable[[_Cues], Verdict]
) -> Callable[[_Cues], Verdict | None]:
    return lambda c: verdict(c) if condition(c) else None


#: The decision of ``classify`` as a table of (rule id, rule): the first rule that gives a verdict
#: decides. Order matters: an amount's own noun ("a $90 million round") beats the clause's cues.
CLASSIFY_RULES: tuple[tuple[str, Callable[[_Cues], Verdict | None]], ...] = (
    # "renewal options could lift the total to $9 billion"
    ("upside", _when(lambda c: _UPSIDE.search(c.text, c.lo, c.hi), lambda c: ("other", 0.0, "upside"))),
    # "At list prices, a rack sells for $4 million, which would …"
    ("list_price", _when(lambda c: _LIST_PRICE.search(c.text), lambda c: ("other", 0.0, "list price"))),
    # "a $250 million equipment loan", "a $90 million round"
    (
        "attached_other",
        _when(lambda c: _ATTACHED_OTHER.match(c.text, c.a.end), lambda c: ("other", 0.0, "attached_other")),
    ),
    # "a $10 billion cloud agreement": the deal noun's own amount, whatever else the clause says
    # (a touch below "worth"/"valued at": list headers round)
    (
        "attached_deal",
        _when(lambda c: _ATTACHED_DEAL.match(c.text, c.a.end), lambda c: ("deal", 0.8, "attached")),
    ),
    ("buys_compute", _when(_buys_compute, lambda c: ("deal", 0.7, c.neg[1]))),
    ("adds_backlog", _when(_adds_backlog, lambda c: ("deal", 0.6, c.neg[1]))),
    ("negative_cue_only", _when(lambda c: c.neg and not c.pos, lambda c: ("other", 0.0, c.neg[1]))),
    (
        "positive_cue_running_total",
        _when(lambda c: c.pos and not c.neg and _aggregate(c), lambda c: ("other", 0.0, "aggregate")),
    ),
    ("positive_cue_only", _when(lambda c: c.pos and not c.neg, lambda c: ("deal", 0.85, c.pos[1]))),
    (
        "positive_cue_first",
        _when(lambda c: c.pos and c.neg and c.pos[0] <= c.neg[0], lambda c: ("deal", 0.6, c.pos[1])),
    ),
    ("negative_cue_first", _when(lambda c: c.pos and c.neg, lambda c: ("other", 0.0, c.neg[1]))),
    ("running_total", _when(_aggregate, lambda c: ("other", 0.0, "aggregate"))),
    ("sentence_metric", _sentence_metric),
)


def classify(text: str, a: Amount) -> Verdict:
    """('deal'|'other'|'unknown', confidence, deciding cue) for an amount, from its clause's cues:
    the first of CLASSIFY_RULES that decides, else unknown."""
    return classify_traced(text, a)[1]


def classify_traced(text: str, a: Amount) -> tuple[str | None, Verdict]:
    """``classify`` with the id of the rule that decided (None: no rule did)."""
    cues = _cues(text, a)
    for rule_id, rule in CLASSIFY_RULES:
        verdict = rule(cues)
        if verdict is not None:
            return rule_id, verdict
    return None, ("unknown", 0.5, None)


#: Positive cues that only name what is bought: "will spend 1.2 trillion won on new capacity" is a plan.
_ONLY_WHAT = frozenset(
    {"capacity", "compute", "computing power", "for capacity", "for compute", "for computing"}
)


def _deal_cue_beyond_capacity(text: str, a: Amount) -> bool:
    """A deal cue in the amount's clause other than the bare name of what is bought ("to rent … from",
    "under the contract"), which makes a spend the deal's."""
    lo, hi = clause_around(text, a.start, a.end)
    cue = _nearest(_POS, text, lo, hi, a.start, a.end, names_skip=True)
    return cue is not None and cue[1].lower() not in _ONLY_WHAT


def _spend_with_named_seller(text: str, a: Amount) -> bool:
    """'to spend $3 billion on Globex cloud', '… buying capacity from Globex': spending with a named seller is the deal's;
    'will spend 1.2 trillion won on new capacity' names no seller and is a capital plan."""
    m = _SPEND_ON_SERVICE.match(text, a.end)
    if m and re.search(r"\bon\s+(?:[\w'’.-]+\s+)*?[A-Z][a-z]", m.group(0)):
        return True
    _, hi = clause_around(text, a.start, a.end)  # "spend C$725 million buying capacity from Globex"
    return bool(re.search(r"\b(?:from|with)\s+(?:the\s+)?[A-Z][a-z]", text[a.end : max(hi, a.end + 80)]))


def _has_cue(pattern: re.Pattern[str], text: str, a: Amount) -> bool:
    lo, hi = clause_around(text, a.start, a.end)
    return _nearest(pattern, text, lo, hi, a.start, a.end, names_skip=True) is not None


def recurring_period(text: str, a: Amount) -> str | None:
    """The payment period stated next to the amount, or None for a one-off/total amount."""
    m = _PERIOD_AFTER.match(text, a.end)
    if m:
        word = (m.group("w") or m.group("a")).lower()
        return _PER["words"].get(word) or _PER["adverbs"].get(word)
    before = text[max(0, a.start - 60) : a.start]
    m = _PERIOD_BEFORE.search(before)
    if m:
        return _PER["adverbs"].get(m.group("a").lower())
    return None


def money_facts(sentence: Sentence, ctx: ArticleContext | None = None) -> list[Fact]:
    """``monthly_fee`` and ``total_value`` facts stated in one sentence."""
    text = sentence.text
    facts: list[Fact] = []
    seller_side = False  # an earlier amount of the sentence was the deal's, told as revenue
    prev_end = 0  # where the previous amount ended: a deal noun before it already has its amount
    for a in find_amounts(text):
        since, prev_end = prev_end, a.end
        if _UNIT_PRICE.match(text, a.end):
            continue
        kind, conf, cue = classify(text, a)
        period = recurring_period(text, a)
        if (
            kind == "other"
            and cue in ("revenue", "revenues")
            and _BENCHMARK.search(text, max(0, a.start - 40), a.start)
        ):
            pass  # "meaningful against roughly $30 billion in annual revenue": the company's own size
        elif kind == "other" and cue in ("revenue", "revenues"):
            generates = _GENERATES.search(text, max(0, a.start - 30), a.start)
            if (period or generates) and _DEAL_NOUN.search(
                text, max(since, a.start - (200 if generates else 60)), a.start
            ):
                # "the contract works out to $2 billion a year in revenue", "two leases …, which it
                # expects to generate about $7 billion in revenue": the deal's money, seen from the seller.
                kind, conf = "deal", 0.6
            elif _REVENUE_OVER_TERM.match(text, a.end):
                kind, conf = "deal", 0.6  # "guides to $4.5 billion of revenue over the term"
            elif period and seller_side and _RESTATED.search(text, max(0, a.start - 60), a.start):
                kind, conf = "deal", 0.6  # "…, averaging about $290 million a year"
        seller_side = seller_side or kind == "deal"
        if (
            kind == "other"
            and cue in _WEAK_NEG
            and (period or _deal_cue_beyond_capacity(text, a) or _spend_with_named_seller(text, a))
        ):
            # "to spend $3 billion annually on <a cloud>": a recurring spend is usually the fee.
            kind, conf = "deal", 0.6
        if kind == "other":
            continue
        attrs: dict = {"currency": a.currency, "qualifier": a.qualifier}
        if a.low is not None:
            attrs["low"], attrs["high"] = a.low, a.high
        if cue:
            attrs["cue"] = cue
        if period:
            factor = per_month()[period]
            attrs.update(period=period, stated_amount=a.value)
            if period != "month":  # "€9.6m a year" → 0.8m a month: a computed figure, not a stated one
                attrs["derived"] = True
            if a.low is not None:
                attrs["low"], attrs["high"] = a.low * factor, a.high * factor
            conf = max(conf, 0.75) if kind == "unknown" else min(0.95, conf + 0.05)
            facts.append(
                make_fact(
                    sentence,
                    "monthly_fee",
                    a.value * factor,
                    (a.start, a.end),
                    "money.recurring",
                    conf,
                    attrs,
                    VERSION,
                )
            )
        else:
            rule = "money.total"
            if _OVER_TERM.match(text, a.end):
                rule, conf = "money.total.over_term", max(conf, 0.7)
            facts.append(
                make_fact(sentence, "total_value", a.value, (a.start, a.end), rule, conf, attrs, VERSION)
            )
    return facts
