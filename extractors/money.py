"""Money in a sentence → ``monthly_fee`` and ``total_value`` facts.

A recurring amount ("$90 million per month", "$1.8bn annually", "annual payments of $2 billion")
becomes ``monthly_fee`` normalised to per month; any other amount the deal owns ("worth up to $6
billion", "a $2.4bn contract") becomes ``total_value``. Money that belongs to something else
(funding, valuation, revenue, capex, share moves) is recognised by cue words in the amount's clause
(patterns/money.toml) and not returned, because a wrong deal value is worse than a missing one.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from extractors.models import ArticleContext, Fact, Sentence
from extractors.numbers import NUMBER, SCALE, clause_around, make_fact, parse_number, parse_scale
from extractors.vocabulary import per_month, qualifiers

VERSION = "1"
_DATA = tomllib.loads((Path(__file__).parent / "patterns" / "money.toml").read_text("utf-8"))


def _alt(words: list[str] | dict[str, str], flags_word: bool = True) -> str:
    """Regex alternation of literal phrases, longest first, whitespace-tolerant."""
    items = sorted(words, key=len, reverse=True)
    parts = [re.escape(w).replace(r"\ ", r"\s+") for w in items]
    return "(?:" + "|".join(parts) + ")"


_PREFIX = _DATA["currency_prefix"]
_SUFFIX = _DATA["currency_suffix"]
_QUALS = qualifiers()
_PER = _DATA["periods"]

_CUR_PRE = _alt(_PREFIX)
_CUR_SUF = _alt(_SUFFIX)
_QUAL = _alt(_QUALS)

# One amount, or a range sharing a currency: "$3-4 billion", "$3 billion to $4 billion",
# "between $2 billion and $3 billion", "US$ 900m". The pattern starts with the currency so the
# regex engine can skip ahead to currency characters; the qualifier is read backwards after.
_PRE_AMOUNT = re.compile(
    rf"(?P<pre>{_CUR_PRE})\s?(?P<n1>{NUMBER})(?P<s1>{SCALE})?"
    rf"(?:\s*(?P<conn>-|–|to|and)\s*(?:{_CUR_PRE})?\s?(?P<n2>{NUMBER})(?P<s2>{SCALE})?)?"
)
# "six billion dollars", "1.5 billion euros": run only when such a word occurs.
_SUF_AMOUNT = re.compile(rf"(?<![\w.,])(?P<wn>{NUMBER})(?P<ws>{SCALE})?\s+(?P<suf>{_CUR_SUF})\b")
# "a billion dollars", "half a billion euros": a scale word with no digits.
_WORD_AMOUNT = re.compile(
    rf"(?<![\w-])(?P<wn>half\s+a|a|one)\s+(?P<ws>billion|million|trillion)\s+(?P<suf>{_CUR_SUF})\b", re.I
)
_SUF_HINT = tuple(sorted({k.split()[-1].lower()[:5] for k in _SUFFIX}))
_QUAL_BEFORE = re.compile(rf"(?<![\w-])(?P<qual>{_QUAL})(?:\s+|(?<=~))(?:a\s+total\s+of\s+)?$", re.I)
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
_PLUS = re.compile(r"(?:-|\s)plus\b(?!\s+(?:interest|fees|costs|expenses|options|an?\b))", re.I)
# "brings the total value of its contracts with X to $22 billion": a running total over several deals.
_CUMULATIVE_BEFORE = re.compile(
    r"\b(?:total|combined|cumulative|aggregate)\s+(?:contract\s+)?value\s+of\s+(?:[\w'’-]+\s+){0,2}?"
    r"(?:contracts|deals|agreements|commitments)\b[^$€£]{0,60}$",
    re.I,
)
_BUY = {"buy", "to buy", "buys", "bought", "buying"}
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


@dataclass
class Amount:
    """One money expression found in text (offsets relative to the searched text)."""

    start: int
    end: int
    value: float
    currency: str
    qualifier: str | None
    low: float | None = None
    high: float | None = None


#: Cheap test run before the big regex: most sentences carry no currency at all.
_HINT_CHARS = tuple(sorted({c for k in _PREFIX for c in k if not c.isalnum() and c not in ". "}))
_HINT_WORDS = tuple(
    sorted(
        {k.lower() for k in _PREFIX if k.isalpha() and len(k) == 3}
        | {k.split()[-1].lower()[:5] for k in _SUFFIX}
    )
)
_HINT_RS = re.compile(r"\bRs\.?\s?\d")


def has_money_hint(text: str) -> bool:
    """False when ``text`` cannot contain an amount (no currency sign, code or word)."""
    if any(c in text for c in _HINT_CHARS):
        return True
    low = text.lower()
    return any(w in low for w in _HINT_WORDS) or bool(_HINT_RS.search(text))


def find_amounts(text: str) -> list[Amount]:
    """Every money amount in ``text``, with currency, qualifier and range. Never raises."""
    out: list[Amount] = []
    if not has_money_hint(text):
        return out
    taken: list[tuple[int, int]] = []
    for m in _PRE_AMOUNT.finditer(text):
        if m.start() > 0 and text[m.start() - 1].isalpha():
            continue  # "NASDAQ: ..." or a word that ends in a currency code
        a = _safe(_prefixed, text, m)
        if a is not None:
            out.append(a)
            taken.append((m.start(), m.end()))
    low = text.lower()
    if any(w in low for w in _SUF_HINT):
        for m in _SUF_AMOUNT.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            a = _safe(_suffixed, text, m)
            if a is not None:
                out.append(a)
                taken.append((m.start(), m.end()))
        for m in _WORD_AMOUNT.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            a = _safe(_worded, text, m)
            if a is not None:
                out.append(a)
    out.sort(key=lambda a: a.start)
    return out


def _safe(fn, text: str, m: re.Match[str]) -> Amount | None:
    try:
        return fn(text, m)
    except (ValueError, OverflowError, TypeError, KeyError):
        return None


def _qualifier_before(text: str, start: int) -> tuple[str | None, int]:
    """(normalised qualifier, start offset) of "up to"/"about"/"between"... right before ``start``."""
    lo = max(0, start - 40)
    q = _QUAL_BEFORE.search(text, lo, start)
    if not q:
        return None, start
    key = _norm_key(q.group("qual"), _QUALS)
    if key.lower() == "between":
        return "between", q.start()
    return _QUALS.get(key) or None, q.start()


def _prefixed(text: str, m: re.Match[str]) -> Amount | None:
    n1 = parse_number(m.group("n1"))
    if n1 is None:
        return None
    currency = _PREFIX[_norm_key(m.group("pre"), _PREFIX)]
    qualifier, start = _qualifier_before(text, m.start())
    s1, s2, end = m.group("s1"), m.group("s2"), m.end()
    low = high = None
    if m.group("n2") and (m.group("conn") != "and" or qualifier == "between"):
        n2 = parse_number(m.group("n2"))
        if n2 is None:
            return None
        scale2 = parse_scale(s2)
        scale1 = parse_scale(s1) if s1 else scale2
        low, high = n1 * scale1, n2 * scale2
        if high < low:
            return None
        value = (low + high) / 2
    else:
        value = n1 * parse_scale(s1)
        end = m.end("s1") if s1 else m.end("n1")
    if value < 1000:
        return None  # "$2 per GPU-hour", "$6.3" (a split figure): not deal money
    if qualifier == "between":
        qualifier = None
    plus = _PLUS.match(text, end)
    if plus and qualifier is None:
        qualifier, end = "more than", plus.end()  # "$10 billion-plus"
    return Amount(start, end, value, currency, qualifier, low, high)


def _suffixed(text: str, m: re.Match[str]) -> Amount | None:
    n1 = parse_number(m.group("wn"))
    if n1 is None:
        return None
    scale = parse_scale(m.group("ws"))
    if scale == 1.0 and n1 < 1000:
        return None  # "two dollars" is never a deal figure worth reporting
    currency = _SUFFIX[_norm_key(m.group("suf"), _SUFFIX)]
    qualifier, start = _qualifier_before(text, m.start())
    return Amount(start, m.end(), n1 * scale, currency, None if qualifier == "between" else qualifier)


def _worded(text: str, m: re.Match[str]) -> Amount | None:
    n = 0.5 if m.group("wn").lower().startswith("half") else 1.0
    currency = _SUFFIX[_norm_key(m.group("suf"), _SUFFIX)]
    qualifier, start = _qualifier_before(text, m.start())
    value = n * parse_scale(" " + m.group("ws"))
    return Amount(start, m.end(), value, currency, None if qualifier == "between" else qualifier)


def _norm_key(text: str, table: dict[str, str]) -> str:
    t = " ".join(text.split())
    if t in table:
        return t
    low = {k.lower(): k for k in table}
    return low.get(t.lower(), t)


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


def classify(text: str, a: Amount) -> tuple[str, float, str | None]:
    """('deal'|'other'|'unknown', confidence, deciding cue) for an amount, from its clause's cues."""
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
    if _UPSIDE.search(text, lo, hi):
        return "other", 0.0, "upside"  # "renewal options could lift the total to $9 billion"
    if _LIST_PRICE.search(text):
        return "other", 0.0, "list price"  # "At list prices, a rack sells for $4 million, which would …"
    if _ATTACHED_OTHER.match(text, a.end):
        return "other", 0.0, "attached_other"  # "a $250 million equipment loan", "a $90 million round"
    if _ATTACHED_DEAL.match(text, a.end):
        # "a $10 billion cloud agreement", "$300 billion, five-year commitment": the amount is the
        # deal noun's own, whatever else the clause says.
        return "deal", 0.8, "attached"  # a touch below "worth"/"valued at": list headers round
    if (
        neg
        and neg[1] in _BUY
        and _BOUGHT_NOUN.match(text, a.end) is None
        and _BOUGHT_AFTER.match(text, a.end)
    ):
        # "agreed to buy $300 billion of computing capacity": buying compute is the deal itself.
        return "deal", 0.7, neg[1]
    if (
        neg
        and _ADDS.search(text, max(0, a.start - 30), a.start)
        and (neg[1] in _ADDED_TO or _BACKLOG_AFTER.match(text, a.end))
    ):
        # "the deal adds $14 billion of backlog": the contract's value, told as what it adds.
        return "deal", 0.6, neg[1]
    if neg and not pos:
        return "other", 0.0, neg[1]
    if pos and not neg:
        if _AGGREGATE.match(text, a.end) or _CUMULATIVE_BEFORE.search(text, max(0, a.start - 140), a.start):
            return "other", 0.0, "aggregate"
        return "deal", 0.85, pos[1]
    if pos and neg:
        if pos[0] <= neg[0]:
            return "deal", 0.6, pos[1]
        return "other", 0.0, neg[1]
    if _AGGREGATE.match(text, a.end) or _CUMULATIVE_BEFORE.search(text, max(0, a.start - 140), a.start):
        return "other", 0.0, "aggregate"
    # No cue in the amount's clause: the sentence decides. A strong metric word anywhere in it
    # (backlog, revenue, debt) with no deal cue nearer makes the amount the metric's.
    sneg = _nearest(_SENT_NEG, text, 0, len(text), a.start, a.end)
    if sneg:
        spos = _nearest(_POS, text, 0, len(text), a.start, a.end, names_skip=True)
        if not spos or sneg[0] < spos[0]:
            return "other", 0.0, sneg[1]
    return "unknown", 0.5, None


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
