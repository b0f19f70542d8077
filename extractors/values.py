"""Entry point of the value extractors: one candidate sentence → every value Fact it states.

The pipeline calls :func:`extract_values` on candidate sentences and assigns the facts to deal
mentions. Each field family lives in its own module; this one only runs them, isolates their
failures (one broken rule must not cost the article its other facts) and drops duplicates.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from extractors.dates import date_facts
from extractors.models import ArticleContext, Fact, Sentence
from extractors.money import money_facts

log = logging.getLogger(__name__)

#: Longest sentence text handed to the regexes; longer "sentences" are unsplit pages and are
#: cut so that no pattern can take long on them.
MAX_SENTENCE_CHARS = 5000

Extractor = Callable[[Sentence, ArticleContext], list[Fact]]
EXTRACTORS: list[Extractor] = [money_facts, date_facts]

try:  # modules added in later increments; missing ones are skipped, not fatal
    from extractors.terms import term_facts

    EXTRACTORS.append(term_facts)
except ImportError:  # pragma: no cover
    pass
try:
    from extractors.hardware import hardware_facts

    EXTRACTORS.append(hardware_facts)
except ImportError:  # pragma: no cover
    pass
try:
    from extractors.places import place_facts

    EXTRACTORS.append(place_facts)
except ImportError:  # pragma: no cover
    pass
try:
    from extractors.termination import termination_facts

    EXTRACTORS.append(termination_facts)
except ImportError:  # pragma: no cover
    pass


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
            key = (f.field, f.start_char, f.end_char, repr(f.value))
            if key not in seen:
                seen.add(key)
                facts.append(f)
    return facts
