"""Cheap rules that decide, before any neural work, whether an article and a sentence matter.

Most news is not about compute deals; regexes over plain text cost ~1% of a spaCy parse, so every
article passes here first and only candidate sentences of candidate articles reach the parser.
Cue words live in patterns/deal_cues.toml.
"""

from __future__ import annotations

import re
import tomllib
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from extractors.alternation import grouped_alternation, literal_alternation
from extractors.models import Sentence
from extractors.vocabulary import legal_suffix_alternation

_CUES = Path(__file__).parent / "patterns" / "deal_cues.toml"


def _low(text: str) -> str:
    """``text`` in lower case, offset for offset (the rare letters whose lower case is longer,
    such as 'İ', are left as they are)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in text)


class Cue:
    """A case-insensitive cue pattern. Entries are lower case and matched against lowered text:
    Python's IGNORECASE makes a long alternation 2-3x slower, and every article passes here."""

    __slots__ = ("pattern",)

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern

    def search(self, text: str) -> re.Match[str] | None:
        return self.pattern.search(_low(text))

    def match(self, text: str) -> re.Match[str] | None:
        return self.pattern.match(_low(text))

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self.pattern.finditer(_low(text))

    def findall(self, text: str) -> list[Any]:
        return self.pattern.findall(_low(text))


@dataclass(frozen=True)
class Cues:
    transaction: Cue
    candidate_transaction: Cue
    weak_transaction: Cue
    negated: Cue
    compute: Cue
    strong: Cue
    signed: Cue
    signed_overrides: frozenset[str]
    not_deal: dict[str, Cue]
    not_compute: dict[str, Cue]
    not_compute_decisive: dict[str, Cue]
    claim_negation: Cue | None = None
    claim_modal: Cue | None = None
    financing_before: Cue | None = None
    financing_after: Cue | None = None


def _lower_case(words: list[str]) -> list[str]:
    for w in words:
        if w != w.lower():
            raise ValueError(
                f"{_CUES.name}: {w!r}: cues are matched against lower-cased text, write them in lower case"
            )
    return words


def _join(words: list[str]) -> Cue:
    return Cue(re.compile(r"(?<![\w-])(?:" + grouped_alternation(_lower_case(words)) + r")(?![\w])"))


@lru_cache(maxsize=1)
def cues() -> Cues:
    data = tomllib.loads(_CUES.read_text(encoding="utf-8"))
    return Cues(
        transaction=_join(data["transaction"]),
        candidate_transaction=_join(
            [w for w in data["transaction"] if w not in set(data["amount_only"])] + data["parse_only"]
        ),
        # anchored: a transaction cue found in a sentence is weak when it is one of these words
        weak_transaction=Cue(re.compile("(?:" + "|".join(_lower_case(data["weak_transaction"])) + r")\Z")),
        negated=_join(data["negated"]),
        compute=_join(data["compute"]),
        strong=_join(data["strong"]),
        signed=_join(data["signed"]),
        signed_overrides=frozenset(data["signed_overrides"]),
        not_deal={k: _join(v) for k, v in data["not_deal"].items()},
        not_compute={k: _join(v) for k, v in data.get("not_compute", {}).items()},
        not_compute_decisive={k: _join(v) for k, v in data.get("not_compute_decisive", {}).items()},
        claim_negation=_join(data["claim_negation"]["cues"]),
        claim_modal=_join(data["claim_negation"]["modal"]),
        financing_before=Cue(
            re.compile("(?:" + "|".join(_lower_case(data["financing_near_provider"]["before"])) + ")")
        ),
        financing_after=Cue(
            re.compile("(?:" + "|".join(_lower_case(data["financing_near_provider"]["after"])) + ")")
        ),
    )


def finances_deal(before: str, after: str) -> bool:
    """Words of lending or investing right around a name ("a loan from X", "from X to fund …"): X is a
    lender or investor of the deal, not its supplier. ``before`` ends at the name, ``after`` starts there."""
    c = cues()
    return bool(
        (c.financing_before and c.financing_before.search(before))
        or (c.financing_after and c.financing_after.match(after))
    )


def denies_deal(text: str) -> bool:
    """The words around a role claim say the two have no deal ("X has no contract with Y", "X denied
    a report that it would lease … to Y", "the letter of intent stalled")."""
    neg = cues().claim_negation
    return bool(neg and neg.search(text)) and not _INSTEAD.search(text)


def hypothetical_deal(text: str) -> bool:
    """The words up to a role claim's last party tell the rental as a possibility ("Y could rent
    capacity from X"), not as an agreement."""
    modal = cues().claim_modal
    return bool(modal and modal.search(text))


#: "… talks stalled, and it has instead signed with Y": the deal that was reached instead.
_INSTEAD = re.compile(r"\binstead\b|\brather\b", re.I)


def not_compute_sentence(text: str) -> str | None:
    """The kind of non-compute deal a sentence tells ('power', 'equity', 'backstop', ...), or None.

    A power-purchase agreement, a guarantee of someone else's lease or an equity stake names two
    companies and a data center but is not a compute deal; a strong rental cue ('will pay', 'access
    to', 'rent') keeps the sentence a deal sentence."""
    c = cues()
    for name, pattern in c.not_compute_decisive.items():
        if pattern.search(text):
            return name
    for name, pattern in c.not_compute.items():
        if pattern.search(text):
            return None if c.strong.search(text) else name
    return None


#: Something a value extractor could read: money, a count of accelerators, power, a date-ish year.
_VALUE = re.compile(
    r"[$€£]\s?\d|\d\s?(?:million|billion|bn|mn|[mb]\b)|\d\s?(?:mw|gw|megawatts?|gigawatts?)\b|"
    r"\b\d[\d,]*\s+(?:gpus?|chips|accelerators)|\b20\d\d\b|\bdays?'? notice\b",
    re.IGNORECASE,
)
#: A capitalised word that is not the sentence's first word, or an internal-capital brand (xAI).
_NAME = re.compile(r"(?<=[\s(“\"'—–-])[A-Z][\w&.-]*[a-z0-9][\w&-]*|\b[a-z]+[A-Z]\w*")


def non_deal_category(text: str) -> str | None:
    """The first non-deal category whose cue occurs in ``text`` (funding, acquisition, ...)."""
    for name, pattern in cues().not_deal.items():
        if pattern.search(text):
            return name
    return None


@lru_cache(maxsize=1)
def _provider_names() -> re.Pattern[str]:
    """Known clouds, GPU clouds and data-center firms: naming one is itself a compute cue."""
    from extractors.companies import known_companies

    names = {e.name for e in known_companies().values() if e.kind in ("cloud", "compute", "datacenter")}
    names |= {
        a
        for e in known_companies().values()
        if e.kind in ("cloud", "compute", "datacenter")
        for a in e.aliases
    }
    return re.compile(
        r"(?<![\w-])(?:" + literal_alternation(sorted(names, key=len, reverse=True)) + r")(?![\w-])"
    )


_DEAL_NOUN = re.compile(r"\b(?:deal|agreement|contract|pact|lease|commitment|partnership)s?\b", re.IGNORECASE)
_LEAD_SENTENCES = 8


#: Where one sentence joins two stories: "X is in talks to raise money; separately, X agreed to …".
STORY_BREAK = re.compile(r";|\b[Ss]eparately\b|\bMeanwhile\b|\bIn a separate (?:deal|announcement)\b")


def is_deal_sentence(text: str) -> bool:
    """A transaction cue and a compute cue, and not a funding/acquisition/... sentence (unless the
    transaction cue is a strong one such as 'will pay' or 'access to'). A sentence that joins two
    stories ("…; separately, …") is a deal sentence when one of its parts is."""
    parts = STORY_BREAK.split(text)
    if len(parts) > 1 and any(_is_deal_clause(p) for p in parts if p.strip()):
        return True
    return _is_deal_clause(text)


#: An amount a deal states: money, power, a number of accelerators.
_AMOUNT = re.compile(
    r"[$€£]\s?\d|\d\s?(?:million|billion|bn|mn)\b|\b(?:tens|hundreds) of (?:millions|billions)\b|"
    r"\d\s?(?:mw|gw|megawatts?|gigawatts?)\b|"
    r"\b\d[\d,.]*k?\s+(?:[\w'’-]+\s){0,4}(?:gpus?|chips|accelerators|processors|[a-z]{1,3}\d{2,4}[a-z]?s)\b",
    re.IGNORECASE,
)


def states_amount(text: str) -> bool:
    """Whether ``text`` states an amount a deal could have (money, power, a count of chips)."""
    return bool(_AMOUNT.search(text))


def _transaction(text: str) -> bool:
    """A transaction cue, where the weak ones ("customers", "a year", "host") count only next to
    an amount."""
    c = cues()
    weak = False
    for m in c.transaction.finditer(text):
        if not c.weak_transaction.match(m.group(0)):
            return True
        weak = True
    return weak and bool(_AMOUNT.search(text))


def _is_deal_clause(text: str) -> bool:
    c = cues()
    if not (c.compute.search(text) or _provider_names().search(text)):
        return False
    if not _transaction(text) or c.negated.search(text):
        return False
    if any(p.search(text) for p in c.not_compute_decisive.values()):
        return False  # electricity sold under a power-purchase agreement
    if c.strong.search(text):
        return True
    kinds = {name for name, pattern in c.not_deal.items() if pattern.search(text)}
    return not kinds or (kinds <= c.signed_overrides and bool(c.signed.search(text)))


#: Where full company names are introduced: "Acme Compute Corp. (NYSE: ACME)", "- Seller: Acme".
_INTRODUCES_NAME = re.compile(
    # Legal forms as written (case-sensitive): ignoring case made "company", "as" and "limited" count.
    rf"\b(?-i:{legal_suffix_alternation()})\b\.?|\((?:NYSE|NASDAQ|Nasdaq|TSX|LSE|ASX)\s*:|"
    r"^\W*(?:buyer|seller|provider|customer|client|supplier|vendor|tenant|landlord|lessee|lessor|who|parties)\s*:",
    re.IGNORECASE,
)
#: The headline and the first sentences are always parsed: they introduce the full names.
LEAD_PARSED = 3


_UPPER, _LOWER = re.compile(r"[A-Z]"), re.compile(r"[a-z]")


def is_caps(text: str) -> bool:
    """An ALL-CAPS line (headline): more than 8 letters, over 80% of them upper-case."""
    up = len(_UPPER.findall(text))
    if up < 8:  # up > 4 * low and up + low > 8 need 8 upper-case letters at least: skip the count
        return False
    low = len(_LOWER.findall(text))
    return up + low > 8 and up > 4 * low


def _named_first_word(text: str) -> bool:
    """A capitalised first word that is not a common sentence opener ("The", "However", "In")."""
    from spacy.lang.en.stop_words import STOP_WORDS

    m = re.match(r"\W*([A-Z][\w&-]+)", text)
    return bool(m) and len(m.group(1)) >= 3 and m.group(1).lower() not in STOP_WORDS


@lru_cache(maxsize=1)
def _full_company_name() -> re.Pattern[str]:
    """A capitalised word followed by a word that ends a compute supplier's name ("Quillon Cloud",
    "Tarn Compute"; companies.toml [name_rules] supplier_tails), as written."""
    data = tomllib.loads(
        (Path(__file__).parent / "gazetteers" / "companies.toml").read_text(encoding="utf-8")
    )
    tails = sorted(data["name_rules"]["supplier_tails"], key=len, reverse=True)
    return re.compile(
        r"(?<![\w-])[A-Z][\w&-]*[a-z][\w&-]*\s+(?:" + "|".join(map(re.escape, tails)) + r")(?![\w-])"
    )


def is_candidate_sentence(sentence: Sentence) -> bool:
    """Worth a parse: a company-like name plus a deal cue or a value; or a lead sentence or one
    that introduces a full name (legal suffix, ticker, "Seller:" bullet, a company-ending word as
    in "… runs its models on Quillon Cloud": a deal told in passing often has no cue word)."""
    text = sentence.text
    caps = is_caps(text)
    probe = text.title() if caps else text
    if not (_NAME.search(probe) or _named_first_word(probe)):
        return False
    if sentence.index < LEAD_PARSED or _INTRODUCES_NAME.search(text):
        return True
    if not caps and _full_company_name().search(text):
        return True
    c = cues()
    return bool(c.candidate_transaction.search(text) or _VALUE.search(text))


#: A list item or a short label line: "- Hardware: GPUs", "Term: five years", "The deal:".
_ITEM = re.compile(r"^\W*[A-Z][\w &/-]{0,25}:")


def _is_item(text: str) -> bool:
    return len(text.split()) <= 6 or bool(_ITEM.match(text))


def _sentences_hit(patterns: list[Cue | re.Pattern[str]], joined: str, starts: list[int]) -> set[int]:
    """Indexes of the sentences (joined by newlines, starting at ``starts``) that a match touches."""
    hit: set[int] = set()
    for pattern in patterns:
        for m in pattern.finditer(joined):
            first = bisect_right(starts, m.start()) - 1
            last = bisect_right(starts, max(m.end() - 1, m.start())) - 1
            hit.update(range(first, last + 1))
    return hit


def _hits(patterns: list[Cue | re.Pattern[str]], sentences: list[Sentence]) -> list[Sentence]:
    """The sentences a match of one of ``patterns`` touches, with one pass of each pattern over
    the sentences joined by newlines instead of one per sentence."""
    joined = "\n".join(s.text for s in sentences)
    starts, pos = [], 0
    for s in sentences:
        starts.append(pos)
        pos += len(s.text) + 1
    return [sentences[i] for i in sorted(_sentences_hit(patterns, joined, starts))]


def _maybe_deal_sentences(sentences: list[Sentence]) -> list[Sentence]:
    """The sentences with both a transaction cue and a compute cue (or a provider's name); the
    cheap lower-case transaction pattern runs first, the long list of names only on its hits."""
    c = cues()
    with_transaction = _hits([c.transaction], sentences)
    return _hits([c.compute, _provider_names()], with_transaction) if with_transaction else []


def gate_article(sentences: list[Sentence]) -> tuple[bool, str | None]:
    """Is the article possibly about a compute deal? Returns (candidate, reason if not)."""
    if not sentences:
        return False, "no sentences"
    if any(is_deal_sentence(s.text) for s in _maybe_deal_sentences(sentences)):
        return True, None
    # Bullet lists and short items spread the cues over lines: "The A-B deal:" / "- Hardware: GPUs".
    lead = " ".join(s.text for s in sentences[:_LEAD_SENTENCES])
    c = cues()
    if (
        any(_is_item(s.text) for s in sentences[:_LEAD_SENTENCES])
        and not any(p.search(lead) for p in c.not_compute_decisive.values())
        and not c.negated.search(lead)  # "calls off $1 billion cloud deal"
        and _DEAL_NOUN.search(lead)
        and (c.compute.search(lead) or _provider_names().search(lead))
        and non_deal_category(" ".join(s.text for s in sentences[:2])) not in ("funding", "acquisition")
    ):
        return True, None
    text = "\n".join(s.text for s in sentences[:_LEAD_SENTENCES])  # what the story is about
    counts = Counter({name: len(p.findall(text)) for name, p in cues().not_deal.items()})
    counts = +counts  # drop zero counts
    if counts:
        return False, f"not a deal: {counts.most_common(1)[0][0]}"
    return False, "no deal language"
