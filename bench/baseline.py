"""The naive baseline dealwatch is measured against: one article at a time, nothing skipped.

For every URL: fetch it with httpx (sequentially, one keep-alive client), extract text and metadata
with trafilatura, run the full spaCy pipeline (every component, the same model and company ruler
as the flow) on the whole text — no gate, no batching — then apply the same party and value rules
to every sentence, so its facts can be compared with the flow's. Nothing is stored.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

import httpx

from extractors.companies import gazetteer_patterns
from extractors.models import Article, DealMention, Sentence
from extractors.nlp import model_name
from extractors.sentences import split_sentences

STAGES = ("fetch", "parse", "extract")


@lru_cache(maxsize=1)
def full_nlp():  # -> spacy.Language
    """The same model as the flow with every component it has (parser, lemmatizer included), plus
    the flow's company ruler so that the party rules see the same names."""
    import spacy

    nlp = spacy.load(model_name())
    if "ner" in nlp.pipe_names:
        ruler = nlp.add_pipe(
            "span_ruler",
            name="company_ruler",
            before="ner",
            config={"annotate_ents": True, "overwrite": False, "spans_key": "companies"},
        )
        ruler.add_patterns(gazetteer_patterns())
    return nlp


@dataclass
class NaiveArticle:
    url: str
    seconds: dict[str, float] = field(default_factory=dict)
    mentions: list[DealMention] = field(default_factory=list)
    error: str | None = None


def trafilatura_text(html: str, url: str) -> tuple[str, datetime | None]:
    """Title + blank line + main text (the shape the flow's Article.text has) and the date."""
    import trafilatura

    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True)
    if doc is None:
        return "", None
    title = " ".join((doc.title or "").split())
    lines = [" ".join(line.split()) for line in (doc.text or "").split("\n")]
    lines = [line for line in lines if line]
    if lines and title and lines[0].lower() == title.lower():
        lines = lines[1:]
    body = "\n".join(lines)
    published = None
    if doc.date:
        try:
            published = datetime.fromisoformat(doc.date).replace(tzinfo=UTC)
        except ValueError:
            published = None
    return (f"{title}\n\n{body}" if title else body), published


def _sentence_doc(doc: Any, s: Sentence) -> Any | None:
    """The sentence as its own Doc (with its company spans), cut from the whole-text parse."""
    span = doc.char_span(s.start, s.end, alignment_mode="expand")
    if span is None:
        return None
    sdoc = span.as_doc()
    group = []
    for sp in doc.spans.get("companies", []):
        if sp.start >= span.start and sp.end <= span.end:
            cut = sdoc.char_span(
                sp.start_char - span.start_char, sp.end_char - span.start_char, label=sp.label_
            )
            if cut is not None:
                group.append(cut)
    sdoc.spans["companies"] = group
    return sdoc


def naive_extract(article_id: str, text: str, published: datetime | None) -> list[DealMention]:
    """Full pipeline on the whole text; then the flow's own per-article step
    (``extractors.pipeline.extract_with_docs``) with every sentence treated as a candidate, so the
    party and value rules are exactly the flow's and only the gate and the parse context differ."""
    from extractors.pipeline import extract_with_docs

    doc = full_nlp()(text)
    article = Article(article_id=article_id, url=article_id, text=text, title=text.split("\n", 1)[0])
    article.published_at = published
    sentences = split_sentences(text)
    docs = {}
    for s in sentences:
        sdoc = _sentence_doc(doc, s)
        if sdoc is not None:
            docs[s.index] = sdoc
    return extract_with_docs(article, sentences, docs).mentions


def run_one(client: httpx.Client, url: str, article_id: str) -> NaiveArticle:
    out = NaiveArticle(url)
    try:
        c0 = time.process_time()
        t0 = time.perf_counter()
        r = client.get(url)
        r.raise_for_status()
        html = r.text
        t1 = time.perf_counter()
        text, published = trafilatura_text(html, url)
        t2 = time.perf_counter()
        out.mentions = naive_extract(article_id, text, published) if text.strip() else []
        t3 = time.perf_counter()
        out.seconds = {
            "fetch": t1 - t0,
            "parse": t2 - t1,
            "extract": t3 - t2,
            "cpu": time.process_time() - c0,
        }
    except Exception as exc:  # noqa: BLE001 - a failed page is counted, not fatal
        out.error = f"{type(exc).__name__}: {exc}"
    return out


def run_baseline(urls: list[tuple[str, str]], progress=None) -> list[NaiveArticle]:
    """(url, article_id) pairs, fetched and processed one after the other."""
    results = []
    with httpx.Client(timeout=30.0) as client:
        for i, (url, aid) in enumerate(urls):
            results.append(run_one(client, url, aid))
            if progress and (i + 1) % 50 == 0:
                progress(f"baseline {i + 1}/{len(urls)}")
    return results
