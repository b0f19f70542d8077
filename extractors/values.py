"""Entry point of the value extractors: one candidate sentence → every value Fact it states.

The pipeline calls :func:`extract_values` on candidate sentences and assigns the facts to deal
mentions. Each field family lives in its own module; this one only runs them, isolates their
failures (one broken rule must not cost the article its other facts) and drops duplicates.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from extractors.dates import date_facts
from extractors.hardware import hardware_facts
from extractors.models import ArticleContext, Fact, Sentence
from extractors.money import money_facts
from extractors.places import place_facts
from extractors.termination import termination_facts
from extractors.terms import term_facts

log = logging.getLogger(__name__)

#: Longest sentence text handed to the regexes; longer "sentences" are unsplit pages and are
#: cut so that no pattern can take long on them.
MAX_SENTENCE_CHARS = 5000

#: Wire-copy credit lines ("(Reporting by A in <city>; Editing by B)") name where the reporters sat
#: and who edited ("Editing by Jan ..."), never a deal's place or date: no value comes from them.
_CREDIT_LINE = re.compile(
    r"^\W{0,3}(?:(?:additional\s+)?reporting|writing|editing|compiled|reported)\s+by\b", re.I
)
#: A link to another story ("Related: X to link up to 800,000 GPUs", "Read next: …"): its figures
#: are that story's.
_TEASER = re.compile(
    r"^\W{0,3}(?:related|read\s+(?:more|next|also)|also\s+read|more\s+from\s+[^:]{1,40}|see\s+also|"
    r"recommended|further\s+reading|you\s+may\s+also\s+like)\s*:",
    re.I,
)
#: Press-release legal boilerplate restates figures as hedged examples ("statements about the
#: expected value of the agreement"), never as facts.
_SAFE_HARBOR = re.compile(
    r"forward-looking\s+statements?|safe\s+harbor|Private\s+Securities\s+Litigation\s+Reform\s+Act", re.I
)
#: Photo captions name where a picture was taken ("a logo at a trade show in <city>"): a place
#: in one is the picture's, unless it names a facility ("<Name> campus in <state>").
_CAPTION = re.compile(r"^\W{0,3}(?:image\s+caption|caption|photo|image|picture|file\s+photo)\s*[:|]", re.I)

#: A sentence about one part of the deal other than its first ("Around 100,000 of the chips will sit
#: in Ohio", "A further 9,000 will be housed in Norway", "The biggest chunk ... goes into Texas"):
#: its count, place and power are the tranche's, not the deal's.
_TRANCHE_HEAD = re.compile(
    r"^\W{0,3}(?:(?:around|about|some|roughly|nearly|another)\s+)?[\d,.]+\s+of\s+the\b"
    r"|^\W{0,3}(?:a\s+further|the\s+remaining|the\s+rest|the\s+(?:biggest|largest|second|next)\s+"
    r"(?:chunk|share|portion|tranche|phase|batch))\b",
    re.I,
)
_TRANCHE_FIELDS = frozenset({"location", "accelerator_count", "capacity_mw", "start_date", "facility"})

Extractor = Callable[[Sentence, ArticleContext], list[Fact]]
#: The value extractors, run in this order on every sentence (a tuple: fixed when the module loads).
EXTRACTORS: tuple[Extractor, ...] = (
    money_facts,
    date_facts,
    term_facts,
    hardware_facts,
    place_facts,
    termination_facts,
)


def extract_values(sentence: Sentence, ctx: ArticleContext) -> list[Fact]:
    """All value facts (money, dates, term, hardware, capacity, place, termination) in a sentence.

    Offsets are absolute (``sentence.start`` + offset in the text). Never raises: bad input gives
    an empty list, and a failing extractor is logged and skipped. Facts a field extractor marked
    ``in_passing`` (another system's hardware, a fleet-wide power figure, a company's other site)
    are dropped here: they belong to no deal, and a list field like ``hardware`` would take them.
    """
    try:
        if (
            not isinstance(sentence, Sentence)
            or not isinstance(sentence.text, str)
            or not sentence.text.strip()
        ):
            return []
        if ctx is None or not isinstance(ctx, ArticleContext):
            ctx = ArticleContext()
        if len(sentence.text) > MAX_SENTENCE_CHARS:
            sentence = Sentence(
                sentence.text[:MAX_SENTENCE_CHARS], sentence.start, sentence.index, sentence.is_title
            )
        if (
            _CREDIT_LINE.match(sentence.text)
            or _SAFE_HARBOR.search(sentence.text)
            or _TEASER.match(sentence.text)
        ):
            return []
        caption = bool(_CAPTION.match(sentence.text))
        tranche = bool(_TRANCHE_HEAD.match(sentence.text))
    except Exception:  # noqa: BLE001 - bad input must not escape
        return []
    facts: list[Fact] = []
    seen: set[tuple[str, int, int, str]] = set()
    for extractor in EXTRACTORS:
        try:
            found = extractor(sentence, ctx)
        except Exception:  # noqa: BLE001 - isolate one extractor's bug from the others
            log.exception(
                "value extractor %s failed on sentence %r",
                getattr(extractor, "__name__", extractor),
                sentence.text[:80],
            )
            continue
        for f in found:
            if f.attrs.get("in_passing"):
                continue
            if caption and f.field == "location" and not f.extractor.startswith("places.facility"):
                continue
            if tranche and f.field in _TRANCHE_FIELDS:
                continue
            key = (f.field, f.start_char, f.end_char, repr(f.value))
            if key not in seen:
                seen.add(key)
                facts.append(f)
    return facts
