"""Who is in a sentence and in which role: company mentions, descriptors, and role claims.

Names come from several weak sources, none trusted alone: the gazetteer SpanRuler, the NER (any of
ORG/PERSON/GPE/PRODUCT, since the small model mislabels companies), and runs of proper nouns from
the tagger — so invented companies are found without any list. Filters drop places, hardware,
facilities, investors ("Nvidia-backed"), outlets and sources.

Roles come from patterns (patterns/roles.jsonl) matched on the sentence with each company replaced by
a placeholder ⟦c0⟧ and each descriptor ("the startup", "it", "its founder's company") by ⟦d0⟧, so one
pattern covers any name. Descriptors are resolved to the main deal's party later (extractors.mentions).
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from extractors.companies import canonical_name, kind_of, known_companies, not_party_names

_ROLES = Path(__file__).parent / "patterns" / "roles.jsonl"

_ENT_LABELS = frozenset({"ORG", "PERSON", "GPE", "PRODUCT", "FAC", "WORK_OF_ART", "LOC"})
_HARDWARE_NAME = re.compile(
    r"^(?:[A-Z]{1,3}\d{2,4}[A-Z]{0,2}|(?:GB|MI|TPU|H|B)\s?\d+\w*|TPUs?|GPUs?|Blackwell|Rubin|Hopper|"
    r"Vera Rubin|Trainium\d?|Inferentia\d?|Ironwood|Maia\s?\d*|Gaudi\s?\d*)$"
)
_HARDWARE_AFTER = re.compile(
    r"^(?:'s|’s)?\s*(?:(?:latest|newest|new|next-generation|flagship|advanced|top-end|high-end|"
    r"[A-Z]{1,3}\d{2,4}\w*|GB\d+\w*|Blackwell|Rubin|Hopper|Vera|Grace|H\d+\w*|B\d+\w*|MI\d+\w*|Trainium\d?)\s+)*"
    r"(?:chips?|GPUs?|TPUs?|accelerators?|processors?|silicon|graphics|[A-Z]{1,3}\d{2,4}\w*|GB\d+\w*|"
    r"Blackwell|Rubin|Hopper|H\d{3}s?|B\d{3}s?|MI\d{3}\w*|systems?\b|hardware|servers?|clusters?\b|superchips?|"
    r"generation\b|line-?up\b|family\b|product\s+line\b)",
)
_FACILITY_AFTER = re.compile(
    r"^[\"”’']?\s*\d*\s*(?:data\s*cent(?:er|re)s?|supercomputers?|superclusters?|clusters?|campus(?:es)?|"
    r"facility|facilities|site|project|AI factory)\b",
    re.IGNORECASE,
)
_MODIFIER_AFTER = re.compile(r"^[-–](?:backed|based|owned|led|funded|affiliated|controlled|made)\b")
_INVESTOR_BEFORE = re.compile(
    r"(?i:(?:backed|led|funded|financed|supported|owned)\s+by|backing\s+from|investors?\s+(?:including|such\s+as|like)|"
    r"investment\s+from|according\s+to|told|reported\s+by|founded\s+by|(?:former|ex-)\s*)"
    r"(?:[\s,]+(?:[A-Z][\w.&'’-]*|and|among|others|other|including|investors))*?[\s,]*(?:and\s+)?$",
)
#: "CALGARY, June 11 (Northline Newswire) -", "SAN JOSE, Calif., Aug 4 (Wire) -", "OSLO, Norway, July 8, 2026 --"
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]{0,6}\.?"
DATELINE = re.compile(
    r"^(?:[A-Z][A-Z.'’ -]+|[A-Z][a-z]+(?: [A-Z][a-z]+)?)(?:,\s*[A-Z][\w.]*(?: [A-Z][\w.]*)?)?,?\s+"
    r"(?:" + _MONTH + r"\s+\d{1,2}(?:,\s*\d{4})?|\d{1,2}\s+" + _MONTH + r"(?:\s+\d{4})?)?\s*"
    r"(?:\([^)]{1,60}\)|/[^/\n]{1,40}/)?\s*(?:--|[-–—](?=\s)|[—–])\s*"
    # "NEW YORK--(BUSINESS WIRE)--", and a date first: "Nov 3 (Reuters) -"
    r"|^(?:[A-Z][A-Z.'’ -]+(?:,\s*[A-Z][\w.]*(?: [A-Z][\w.]*)?)*)?\s*--\([^)]{1,40}\)--\s*"
    r"|^" + _MONTH + r"\s+\d{1,2}(?:,\s*\d{4})?\s*\([^)]{1,60}\)\s*(?:--|[-–—])\s*"
)
_TRADEMARK = re.compile(r"\((?:TM|R|SM)\b|[™®℠]")
_TRADEMARK_AFTER = re.compile(r"^[^,;.()]{0,30}(?:\((?:TM|R|SM)\)|[™®℠])")
_TICKER_BEFORE = re.compile(r"\((?:[A-Za-z]+\s*)?:\s*$")
_TICKER_AFTER = re.compile(
    r"^\s*\((?:NYSE|NASDAQ|Nasdaq|TSX|TSXV|LSE|AMEX|OTC|ASX|XETRA|Euronext|HKEX|SIX|TYO)(?:\s+[A-Za-z]+)?\s*:\s*([A-Z][A-Z0-9.]{0,6})\)"
)


@lru_cache(maxsize=1)
def _run_breakers() -> frozenset[str]:
    """Words that end a run of capitalised tokens (verbs and nouns of Title-Case headlines)."""
    data = tomllib.loads(
        (Path(__file__).parent / "gazetteers" / "companies.toml").read_text(encoding="utf-8")
    )
    return frozenset(w.lower() for w in data["name_rules"]["run_breakers"])


#: "at Halvard Grid's Iowa campus": the owner of a site, not a place.
_OWNER_OF_SITE = re.compile(
    r"^(?:'s|’s|['’])\s+(?:[\w.,-]+\s+){0,4}?(?:campus|site|data\s*cent(?:er|re)|facility|park)\b"
)
_PLACE_BEFORE = re.compile(r"(?:\b(?:in|near|outside|at|of)\s+)$")
_PERSON_AROUND = re.compile(
    r"^,?\s*(?:the\s+)?(?:chief|CEO|founder|co-founder|president|analyst|director|head|partner)\b"
    r"(?!(?:\s+(?:executive|officer|financial|operating|technology))*\s+[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){0,2},?"
    r"\s+(?:said|says|told|added|noted|wrote)\b)"
)


@lru_cache(maxsize=1)
def _title_alternation() -> str:
    data = tomllib.loads(
        (Path(__file__).parent / "gazetteers" / "not_parties.toml").read_text(encoding="utf-8")
    )
    titles = sorted(data.get("person_titles", []), key=len, reverse=True)
    return "|".join(re.escape(t).replace(r"\ ", r"\s+") for t in titles)


@lru_cache(maxsize=1)
def _person_title_res() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """A name next to a job title is a person: "Chief executive Jane Roe", "CEO John Doe",
    "Jane Roe, the company's chief executive,", "John Doe, an analyst at Mizuho"."""
    t = _title_alternation()
    # The title ends right before the name; "head of sales Jane Roe", but not "head of Acme".
    before = re.compile(
        r"(?i:\b(?:" + t + r")(?<!\bof)(?:\s+of\s+(?!the\b)[a-z][\w&-]*(?:\s+[a-z][\w&-]*)?)?\s*,?\s+$)"
    )
    after = re.compile(
        r"(?i:^\s*,\s*(?:(?:the|an?|former)\s+)?(?:[\w.&-]+(?:'s|’s)\s+)?"
        r"(?:(?!(?:whose|which|who|where|and|or|with|to|for|its|their|said|says)\b)[\w-]+\s+){0,2}?"
        r"(?:" + t + r")\b)"
        # … unless the title is the next speaker's: "from Acme, Chief Executive Jane Roe said"
        r"(?!\s+[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){0,2},?\s+(?:said|says|told|added|noted|wrote)\b)"
    )
    leading = re.compile(r"(?i:^(?:" + t + r")\s+[A-Z])")
    return before, after, leading


def is_person_by_title(name: str, before: str, after: str) -> bool:
    """The name stands next to a job title (or starts with one): a person, never a party."""
    b, a, lead = _person_title_res()
    return bool(b.search(before[-80:]) or a.match(after) or lead.match(name))


#: Nouns that describe a company just before its name ("AI lab X", "Oslo start-up Y").
_NAME_DESCRIPTOR_NOUNS = r"(?:lab|start-?up|developer|firm|company|operator|outfit)"
_INNER_DESCRIPTOR = re.compile(
    r"(?:[A-Z][\w.-]*\s+){1,3}(?:[a-z][\w-]*\s+)?" + _NAME_DESCRIPTOR_NOUNS + r"\s+(?=[A-Z])"
)
#: After a role noun, the name told as its appositive: " to date, the Amsterdam-based developer ⟦c1⟧".
_NAMED_AFTER = re.compile(
    r"^(?:\s+(?:to\s+date|so\s+far|yet))?\s*[,:—–]\s*(?:(?:the|an?)\s+)?(?:[\w-]+\s+){0,4}$"
)
#: A press release's defined terms: 'Acme Compute, Inc. (NASDAQ: ACME) ("Acme" or "the Company")'.
_DEFINED_TERMS = re.compile(
    r"⟦(c\d+)⟧(?:,?\s+(?:Inc|Corp|Ltd|LLC|plc|AG|SE|N\.V|S\.A)\.?)?\s*(?:\([^()]{0,40}\)\s*)?"
    r"\(((?:\s*(?:,|or|and)?\s*(?:the\s+)?[\"“](?:[Tt]he\s+)?(?:⟦c\d+⟧|[^\"”⟦]{1,40})[\"”]){1,3})\s*\)"
)
_QUOTED_TERM = re.compile(r"[\"“](?:[Tt]he\s+)?(⟦c\d+⟧|[^\"”⟦]{1,40})[\"”]")
_QUANTITY_NAME = re.compile(r"\d[\d.,]*\s*(?:[kMG]W|MWh|GWh|[TP]B|K)")
#: "London AI lab Corvid Labs", "Oslo start-up Fennel": a modifier of a descriptor before the real name.
_DESCRIBES_AFTER = re.compile(r"^\s+(?:[a-z][\w-]*\s+){0,2}" + _NAME_DESCRIPTOR_NOUNS + r"\s+[A-Z]")
#: "Round Rock, Texas-based": the name is a town whose region makes a company's home.
_PLACE_MODIFIER_AFTER = re.compile(r"^,\s*[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?[-–]based\b")


def _is_place(name: str) -> bool:
    """A town, region or country of the places gazetteer ("Prague", "Oklahoma"), never a company."""
    from extractors.places import CITIES, REGIONS

    return name in CITIES or name in REGIONS


def _town_of_region(after: str) -> bool:
    """The name is followed by ", <state or country>" ("the Roseland, New Jersey GPU cloud",
    "Kolding, Denmark"): a town, told with its region."""
    from extractors.places import REGIONS

    m = _REGION_AFTER.match(after)
    if not m:
        return False
    words = m.group(1).split(" ")
    return any(
        " ".join(words[:n]).rstrip(".,") in REGIONS or " ".join(words[:n]) in REGIONS for n in (1, 2, 3)
    )


_REGION_AFTER = re.compile(r"^,\s+((?:[A-Z][\w.]*)(?:\s+[A-Z][\w.]*){0,2})")

_OWNER_AFTER = re.compile(r"^(?:'s|’s)\s+(?:[\w-]+\s+){0,3}?(?:company|firm|startup|venture)\b")
_SOURCE_AFTER = re.compile(
    r"^(?:'s|’s)\s+(?:calculations?|estimates?|sources)\b|"
    # "Bloomberg reported", but not "Nebius reported third-quarter revenue" (a company's results).
    r"^\s+(?:reports?|reported)\b(?!\s+(?:[\w$.,%-]+\s+){0,3}?(?:revenues?|sales|earnings|results|profits?|"
    r"losses|loss|income|growth|bookings|backlog)\b)|"
    # "Gridline Journal values the contract at $4.5 billion": an outlet or analyst sizing the deal.
    r"^\s+(?:values|valued|estimates|estimated|puts|put|pegs|pegged|reckons|calculates|calculated)\s+"
    r"(?:the\s+|that\s+|this\s+)?(?:[\w-]+\s+){0,2}?(?:contract|deal|agreement|pact|lease|order|arrangement|value|total)\b"
)

#: Descriptors that can stand in a role slot and refer to a company named elsewhere.
_DESCRIPTOR = re.compile(
    r"(?<!\bas\s)\b(?:[Tt]he|[Aa]n?|[Ii]ts|[Tt]his|[Tt]hat|[Bb]oth)\s+"
    # "the Round Rock, Texas-based hardware maker": a town and its region before the noun
    r"(?:[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){0,2},\s+(?=[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?-based\b))?"
    r"(?:[\w-]+\s+){0,3}?"
    r"(?:startup|start-up|lab|company|firm|developer|provider|operator|customer|client|buyer|tenant|"
    r"hyperscaler|neocloud|maker|giant|partner|group|business|outfit|venture|Company|division|unit|arm|subsidiary)\b"
    r"|\b[A-Z][\w-]+(?:'s|’s)\s+(?:[\w-]+\s+){0,3}?(?:company|firm|startup|venture|businesses)\b"
    r"|\b(?:[Ii]t|[Tt]hey)\b(?!['’])"
    # a company speaking in the first person (a call transcript, an interview): "So in June we signed X"
    r"|(?<![\w'’])[Ww]e\b(?!['’])"
)
#: "Amazon Web Services (AWS)", "Nebius Group (NASDAQ: NBIS)": the aside repeats the name before it.
_NAME_ASIDE = re.compile(
    r"(⟦c\d+⟧)\s*\((?:⟦c\d+⟧|(?:NYSE|NASDAQ|Nasdaq|TSX|TSXV|LSE|AMEX|OTC|OTCQX|ASX|XETRA|Euronext|HKEX)"
    r"(?:\s+[A-Za-z]+)?\s*:\s*[A-Z][A-Z0-9.]{0,6}|[A-Z][A-Z0-9.]{1,6})\)"
)
_ITS_SUPPLIER = re.compile(r"^(?:[Ii]ts|[Tt]heir)\s+(?:[\w-]+\s+){0,3}?(?:partner|provider)$")
_OWN_UNIT = re.compile(r"^[Ii]ts\s+(?:[\w-]+\s+){0,3}?(?:division|unit|arm|subsidiary)$")
_DIVISION = re.compile(
    r"⟦(c\d+)⟧(?:'s|’s)\s+(?:[\w-]+\s+){0,3}?(?:division|unit|arm|subsidiary|business|segment)\b"
    r"(?:\s*(?:[—–-]|,|\()\s*(?:now\s+|formerly\s+|also\s+)?(?:known\s+as|called|named|dubbed)\s+⟦(c\d+)⟧)?"
)
_APPOSITIVE_DIVISION = re.compile(
    r"⟦(c\d+)⟧\s*,\s*⟦(c\d+)⟧(?:'s|’s)\s+(?:[\w-]+\s+){0,3}?(?:division|unit|arm|subsidiary)\b"
)

_MACROS = {
    # Up to ~90 chars with no other name; a comma-enclosed aside may hold one (", an investor in X,").
    # A name just before ", which …" starts a relative clause whose verb is that name's, so the
    # aside cannot end there ("For A, the deal widens its bets beyond B, which agreed to buy …").
    "{GAP}": r"(?:(?!⟦)[^;]|,(?=\s)[^,;]{1,70}?,(?!\s*(?:which|who)\b)){0,90}?",
    # An appositive descriptor before a name: "from the Norwegian company X", "with AI cloud provider X".
    "{APPO}": r"(?:(?:(?:the|an?)\s+)?(?:[\w.&]+-based\s+)?(?:[\w-]+\s+){0,3}?(?:company|firm|provider|operator|startup|start-up|group|developer|lab|"
    r"maker|producer|manufacturer|specialist|outfit|cloud|neocloud|hyperscaler|chipmaker|designer|landlord|miner)\s+)?"
    # "with Nvidia-backed Acme", "from London-based Acme", "with Australia's Acme"
    # "to Zed Corrin's Quillon": a founder's or owner's name before the company (up to three words).
    r"(?:[\w.&]+-(?:backed|based|owned|funded|controlled|headquartered)\s+|(?:[A-Z][\w.]+\s+){0,2}[A-Z][\w.]+(?:'s|’s)\s+)?"
    # "with Irish Okapi": a demonym before the name
    r"(?:(?:{DEMONYM})\s+)?",
    "{POS}": r"(?:'s|’s|')",
    # A short object noun phrase: a few words, none of them a finite verb ("capacity", "50 MW of power").
    "{NP}": r"(?:(?!(?:adds?|is|are|was|were|has|have|had|gives?|makes?|brings?|to|will|would|said)\b)"
    r"[\w$.,%\"“”‘’-]+\s+){0,12}?",
    "{DEAL}": r"(?:[\w$-]+\s+){0,3}?(?:deal|agreement|contract|pact|partnership|arrangement|accord|"
    r"lease|commitment|tie-up|ties|collaboration|(?:chip|silicon|hardware|supply)\s+program(?:me)?)s?",
    # Verbs of supplying: whoever does them to the deal's hardware or capacity is the provider.
    "{SUPPLY_VERB}": r"(?:build|make|manufacture|produce|fabricate|supply|provide|deliver|host|run|operate|"
    r"develop|design\s+and\s+build|stand\s+up|install|deploy|lease\s+out|rent\s+out|sell|ship)",
    "{HW_MODEL}": r"(?:[A-Z]{1,3}\d{2,4}\w*)",
    "{ASSET}": r"(?:supercomputers?|superclusters?|clusters?|data\s*cent(?:er|re)s?|campus|facility|"
    r"cloud|capacity|GPUs?|chips|compute|infrastructure|servers)\b",
}
_MACROS["{APPO}"] = _MACROS["{APPO}"].replace(
    "{DEMONYM}",
    "|".join(
        re.escape(w)
        for w in tomllib.loads(
            (Path(__file__).parent / "gazetteers" / "not_parties.toml").read_text("utf-8")
        )["demonyms"]
    ),
)
_COORD = re.compile(
    r"^(?:\s*\([^)]{0,40}\))?(?:\s*,\s*|\s+and\s+|\s*,\s*and\s+|\s+as\s+well\s+as\s+)⟦(c\d+)⟧"
)


@dataclass
class CompanyMention:
    """A company name in a sentence: raw text and absolute offsets in Article.text."""

    text: str
    start: int
    end: int
    known: bool = False  # matched the gazetteer


@dataclass
class RoleClaim:
    """What one pattern says about who plays which role in one sentence.

    ``provider``/``customer`` hold raw names (resolve with CompanyResolver) or the marker
    DESCRIPTOR when a phrase like "the startup" fills the slot. ``roles_known`` is False for
    "A signed a deal with B": a pair whose direction other evidence must settle.
    """

    rule: str
    sentence_index: int
    provider: str | None = None
    customer: str | None = None
    provider_span: tuple[int, int] | None = None
    customer_span: tuple[int, int] | None = None
    roles_known: bool = True
    weight: float = 1.0
    other: str | None = None  # 'implied': the missing party is the main deal's
    counterpart_of: str | None = None  # for "X has similar deals with A": X's name/marker
    extra: list[tuple[str, str, tuple[int, int]]] = field(default_factory=list)  # coordinated names
    fallback: bool = False  # a chip vendor named only by its hardware: a party when nobody else is


DESCRIPTOR = "<descriptor>"


@lru_cache(maxsize=1)
def role_patterns() -> list[dict[str, Any]]:
    rows = []
    for line in _ROLES.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        pat = row["pattern"]
        for macro, rx in _MACROS.items():
            pat = pat.replace(macro, rx)
        pat = pat.replace("{A}", r"⟦(?P<A>[cd]\d+)⟧").replace("{B}", r"⟦(?P<B>[cd]\d+)⟧")
        row["regex"] = re.compile(pat, re.IGNORECASE)
        row["pair"] = "A" in row["regex"].groupindex and "B" in row["regex"].groupindex
        rows.append(row)
    return rows


def find_companies(doc: Any, offset: int) -> list[CompanyMention]:
    """Company mentions in a parsed sentence ``doc`` whose text starts at ``offset`` in the article."""
    text = doc.text
    dateline = DATELINE.match(text)
    skip_until = dateline.end() if dateline else 0
    spans: list[tuple[int, int, bool]] = []
    for span in doc.spans.get("companies", []):
        spans.append((span.start_char, span.end_char, True))
    for ent in doc.ents:
        if ent.label_ in _ENT_LABELS:
            spans.append(_extend(doc, ent.start, ent.end))
    run: list[Any] = []
    for tok in list(doc) + [None]:
        if tok is not None and _name_token(tok, bool(run)):
            run.append(tok)
        elif run:
            spans.append(_extend(doc, run[0].i, run[-1].i + 1))
            run = []
    mentions = []
    owners = _person_owners(doc)
    for start, end, known in _merge_spans(spans):
        cut = next((r for r in owners if r[0] < end and start < r[1]), None)
        if cut is not None:  # "to Zed Corrin's Quillon": the founder owns the party, is not one
            if end <= cut[1] + 1:
                continue
            start = max(start, cut[1])
        raw = re.sub(r"(?:'s|’s|(?<=s)['’])$", "", text[start:end])  # "Acme's", "Acme Data Centers'"
        if not known:  # "Pellucid GPU (contract)": a trailing hardware or headline word is not the name
            words = raw.split(" ")
            while len(words) > 1 and _deal_object_word(words[-1]):
                words.pop()
            raw = " ".join(words)
        if not known:  # "Tindall for c.$310m. Deliveries", "Marbleway S-1": the name ends before
            raw = _NAME_STOP.split(raw, maxsplit=1)[0]
            words = raw.split(" ")
            while len(words) > 1 and words[-1].lower() in _filing_words():
                words.pop()
            raw = " ".join(words)
        inner = None if known else _INNER_DESCRIPTOR.match(raw)
        if inner:  # "Berlin AI lab Pellucid Systems" tagged as one name: the name is after the descriptor
            start += inner.end()
            raw = raw[inner.end() :]
        words = raw.split(" ")
        while not known and len(words) > 1 and _COUNT_WORD.fullmatch(words[-1]):
            words.pop()  # "sell Tamsin AI 20,000 GPUs": the count is not part of the name
            raw = " ".join(words)
        while len(words) > 1 and words[0].lower() in _CALENDAR_WORDS:
            start += len(words[0]) + 1  # "Monday Acme AI" (the tagger ran a weekday into the name)
            raw = raw[len(words[0]) + 1 :]
            words.pop(0)
        end = start + len(raw)
        if start < skip_until:
            continue
        for a, b in _split_pair(text, start, end):
            if _keep(text, a, b, text[a:b], known):
                mentions.append(CompanyMention(text[a:b], offset + a, offset + b, known))
    return mentions


#: Where a tagged name runs on past its end: a preposition, or a full stop before the next sentence.
_NAME_STOP = re.compile(
    r"\s+(?:for|to|from|with|at|in|on|by|under|after|before|over|via|said|says)\s+|(?<=[a-z0-9]{2})\.\s"
)


@lru_cache(maxsize=1)
def _filing_words() -> frozenset[str]:
    data = tomllib.loads(
        (Path(__file__).parent / "gazetteers" / "not_parties.toml").read_text(encoding="utf-8")
    )
    return frozenset(w.lower() for w in data.get("filings", []))


@lru_cache(maxsize=1)
def _place_words() -> frozenset[str]:
    """Demonyms and place names that may stand before a company's name ("Irish Okapi")."""
    from extractors.places import CITIES, REGIONS

    data = tomllib.loads(
        (Path(__file__).parent / "gazetteers" / "not_parties.toml").read_text(encoding="utf-8")
    )
    return frozenset([*data.get("demonyms", []), *data.get("places", []), *CITIES, *REGIONS])


def place_prefixed(names: set[str]) -> dict[str, str]:
    """Names made of a place or demonym and another name of the same article ("Singapore Zephyrine",
    "Dutch Junco Labs" next to "Zephyrine Systems", "Junco Labs") → that name's leading form."""
    out = {}
    for name in names:
        words = name.split(" ")
        lead = 1 if words[0] in ("The", "the") else 0  # "The Dutch Junco Labs company"
        for n in (lead + 2, lead + 1):
            head, rest = " ".join(words[lead:n]), " ".join(words[n:])
            if len(words) <= n or head not in _place_words() or name.lower() in known_companies():
                continue
            if any(o != name and (o == rest or o.startswith(rest + " ")) for o in names):
                out[name] = rest
                break
    return out


#: "a data center in X", "a former paper mill in X", "near X", "the town of X": X is a place.
_SITE_IN = re.compile(
    r"\b(?:(?:mill|site|campus|cent(?:er|re)|hall|facility|plant|park|region|based|located|headquartered|"
    r"town|city|village|municipality)\s+(?:in|of)|near|outside)\s+$"
)


def region_towns(names: set[str], text: str) -> set[str]:
    """Unknown names the article writes as a town with its region somewhere ("in Kajaani, Finland"):
    a place in every sentence of the article, also where the region is left out ("rents from Kajaani")."""
    out = set()
    for name in names:
        if " " in name or name.lower() in known_companies():
            continue
        for m in re.finditer(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])", text):
            if _town_of_region(text[m.end() : m.end() + 40]) or _SITE_IN.search(
                text[max(0, m.start() - 40) : m.start()]
            ):
                out.add(name)
                break
    return out


def _person_owners(doc: Any) -> list[tuple[int, int]]:
    """Spans of "First Last's " before another name ("Zed Corrin's Quillon"): a person named as the
    owner or founder of the company after the possessive. The tagger must call the owner a PERSON and
    the owner must look like a personal name (two or three plain capitalised words, none a company
    word such as "AI" or "Labs", not a known company), so "Acme Cloud's Nimbus unit" is untouched."""
    out = []
    for tok in doc:
        if tok.tag_ != "POS" or tok.i + 1 >= len(doc) or tok.i < 2:
            continue
        nxt = doc[tok.i + 1]
        if not (nxt.text[:1].isupper() or any(c.isupper() for c in nxt.text[1:])):
            continue
        i = tok.i
        while i > 0 and tok.i - i < 3 and doc[i - 1].is_title and doc[i - 1].is_alpha:
            i -= 1
        words = [t.text for t in doc[i : tok.i]]
        if len(words) < 2 or any(w in _tails() or w.lower() in _descriptor_set() for w in words):
            continue
        if canonical_name(" ".join(words)) is None or " ".join(words).lower() in known_companies():
            continue
        if any(e.label_ == "PERSON" and e.start <= i and e.end >= tok.i for e in doc.ents):
            out.append((doc[i].idx, tok.idx + len(tok.text) + len(tok.whitespace_)))
    return out


@lru_cache(maxsize=1)
def _tails() -> frozenset[str]:
    data = tomllib.loads(
        (Path(__file__).parent / "gazetteers" / "companies.toml").read_text(encoding="utf-8")
    )
    return frozenset(data["name_rules"]["tails"])


@lru_cache(maxsize=1)
def _descriptor_set() -> frozenset[str]:
    data = tomllib.loads(
        (Path(__file__).parent / "gazetteers" / "companies.toml").read_text(encoding="utf-8")
    )
    return frozenset(w.lower() for w in data["name_rules"]["descriptor_words"])


def common_phrases(names: set[str], text: str) -> set[str]:
    """Capitalised names the article also writes in lower case ("Total AI" … "total AI capacity",
    "Strategic Scale" … "strategic scale"): a headline's or a heading's words, not a company. Only
    unknown names of two or more plain words are tested; a company's name is not written in lower case."""
    out = set()
    for name in names:
        words = name.split(" ")
        if len(words) < 2 or name.lower() in known_companies() or not all(w.isalpha() for w in words):
            continue
        if not any(w.istitle() for w in words):
            continue
        low = " ".join(w[0].lower() + w[1:] if w.istitle() else w for w in words)
        if re.search(r"(?<![\w-])" + re.escape(low) + r"(?![\w-])", text):
            out.add(name)
    return out


_SPEAKER_LINE = re.compile(r"^\s*([A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){1,2})\s*\(([^()\n]{2,60})\)\s*:", re.M)


def speaker_names(text: str) -> set[str]:
    """Speakers of a call transcript or interview ("Leah Dorsey (Northfield Securities): …"), with
    their first and last names ("Sure, Leah."), and the outside firm a speaker is labelled with (an
    analyst's broker): never parties. A label that is a job title names no firm."""
    out = set()
    for m in _SPEAKER_LINE.finditer(text):
        name, label = m.group(1), m.group(2).strip()
        words = name.split(" ")
        if name.lower() in known_companies() or any(w in _tails() for w in words):
            continue  # "Brightwater Cloud (BWCL): …": a company and its ticker, not a speaker
        if re.fullmatch(r"(?:[A-Za-z]+\s*:\s*)?[A-Z][A-Z0-9.]{0,6}", label):
            continue
        out |= {name, words[0], words[-1]}
        if not is_person_by_title("", "", ", " + label) and label.lower() not in known_companies():
            out.add(label)
    return out


def owner_persons(doc: Any) -> set[str]:
    """People named as a company's owner ("Elon Musk's xAI"), with their surnames: the headline's
    "Musk's xAI" is the same person, never a party."""
    out = set()
    for a, b in _person_owners(doc):
        name = re.sub(r"\s*(?:'s|’s)\s*$", "", doc.text[a - doc[0].idx : b - doc[0].idx]).strip()
        out.add(name)
        if name.split(" ")[-1].lower() not in known_companies():  # "Michael Dell's …" keeps Dell
            out.add(name.split(" ")[-1])
    return out


def title_persons(doc: Any) -> set[str]:
    """People named next to a job title in a parsed sentence, with their surnames: later bare
    mentions ("Roe said", "Jane Roe added") are the same person, never a party."""
    text, out = doc.text, set()
    for ent in doc.ents:
        if ent.label_ not in _ENT_LABELS:
            continue
        a, b, _ = _extend(doc, ent.start, ent.end)
        name = canonical_name(text[a:b])
        if name and name.lower() not in known_companies() and is_person_by_title(name, text[:a], text[b:]):
            words = [w for w in name.split(" ") if w[:1].isupper()]
            lead = _person_title_res()[2]
            while len(words) > 1 and lead.match(" ".join(words)):
                words.pop(0)  # "Managing Director Jane Roe" → "Jane Roe"
            out.add(" ".join(words))
            if len(words) >= 2 and words[-1].lower() not in known_companies():
                out.add(words[-1])  # but "Michael Dell … Dell will supply": the surname is a company
    return out


_PAIR = re.compile(r"^([A-Z][\w.&]{2,}(?: [A-Z][\w.&]*)*)(?:[-–/]| / )([A-Z][\w.&]{2,}(?: [A-Z][\w.&]*)*)$")
_X_PAIR = re.compile(r"^([A-Z][\w.&-]*(?: [A-Z][\w.&-]*){0,3}) [x×] ([A-Z][\w.&-]*(?: [A-Z][\w.&-]*){0,3})$")
_PAIR_AFTER = re.compile(
    r"^\s+(?:[\w-]+\s+){0,2}?(?:deal|agreement|contract|pact|partnership|order|lease|tie-up)s?\b", re.I
)


_DEAL_OBJECT_WORDS = frozenset(
    [
        "deal",
        "deals",
        "contract",
        "contracts",
        "pact",
        "agreement",
        "agreements",
        "lease",
        "leases",
        "order",
        "chips",
        "capacity",
    ]
)


#: Headline verbs ("Acme Expands Agreement …") that never end a company name.
_HEADLINE_VERBS = frozenset(
    [
        "commits",
        "signs",
        "inks",
        "taps",
        "pays",
        "rents",
        "leases",
        "lands",
        "wins",
        "agrees",
        "strikes",
        "seals",
        "books",
        "buys",
        "secures",
        "expands",
        "extends",
        "picks",
        "selects",
        "hires",
        "orders",
        "announces",
        "unveils",
        "reveals",
        "enters",
        "launches",
        "completes",
        "closes",
        "finalizes",
        "finalises",
        "reaches",
        "forms",
        "adds",
        "gets",
        "nabs",
        "bags",
        "clinches",
        "boosts",
        "doubles",
        "triples",
        "soars",
        "surges",
        "jumps",
        "climbs",
        "rallies",
    ]
)


def _deal_object_word(word: str) -> bool:
    """A word naming what was agreed ("GPU", "Contract") or a headline verb, never the last word of a
    company name."""
    low = word.lower()
    return low in _DEAL_OBJECT_WORDS or low in _HEADLINE_VERBS or bool(_HARDWARE_NAME.match(word))


def _split_pair(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """ "the Hooli-Vandelay cloud deal" names two companies, not one."""
    x = _X_PAIR.match(text[start:end])
    if x:  # "Orrin Cloud x Pellmark AI": a roundup's item header names two companies
        return [(start, start + x.end(1)), (start + x.start(2), end)]
    m = _PAIR.match(text[start:end])
    if not m:
        return [(start, end)]
    # "the Acme-Globex GPU contract": words of what was agreed are not part of the second name.
    second = m.group(2).split(" ")
    while len(second) > 1 and _deal_object_word(second[-1]):
        second.pop()
    end2 = start + m.start(2) + len(" ".join(second))
    if _PAIR_AFTER.match(text[end2:]):
        return [(start, start + m.end(1)), (start + m.start(2), end2)]
    return [(start, end)]


_COUNT_WORD = re.compile(r"\d{1,3}(?:,\d{3})+|\d{5,}|\d+(?:\.\d+)?%")
_CALENDAR_WORDS = frozenset(
    [
        *("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "on"),
        *("january", "february", "march", "april", "june", "july", "august", "september"),
        *("october", "november", "december"),
    ]
)

#: Penn tags of proper nouns (the attribute ruler that maps them to PROPN is not run: it cost a
#: quarter of the parse).
_PROPER_TAGS = frozenset({"NNP", "NNPS"})


def _name_token(tok: Any, inside: bool) -> bool:
    if tok.text.lower() in _run_breakers() or _HARDWARE_NAME.match(tok.text):
        return False
    if tok.tag_ in _PROPER_TAGS:
        return True
    return inside and tok.text == "&"


def _extend(doc: Any, i: int, j: int) -> tuple[int, int, bool]:
    """Widen a name over neighbouring capitalised words the tagger missed ("Wayne" before
    "Robotics"), and trim lower-case words at its edges ("Tyrell Power AS and")."""
    while i > 0 and _capital_word(doc[i - 1]):
        i -= 1
    if j > i + 1 and doc[j - 1].tag_ == "POS":
        j -= 1  # "Halvard Grid's" (tagged as one entity): the owner ends at the possessive …
    else:  # … and never runs on into what it owns ("Halvard Grid's Marlow campus")
        while j < len(doc) and _capital_word(doc[j]):
            j += 1
    while j > i + 1 and doc[j - 1].is_lower:
        j -= 1
    while i < j - 1 and doc[i].is_lower:
        i += 1
    return (doc[i].idx, doc[j - 1].idx + len(doc[j - 1].text), False)


def _capital_word(tok: Any) -> bool:
    return (
        tok.is_title
        and tok.is_alpha
        and tok.text.lower() not in _run_breakers()
        and tok.text.lower() not in not_party_names()
        and not tok.is_stop
    )


def find_known_names(
    sentence_text: str, offset: int, names: re.Pattern[str] | None, known: bool = False
) -> list[CompanyMention]:
    """Names already found elsewhere in the article, matched as strings (no parse needed).

    This catches what the tagger misses (a name as the first word, an ALL-CAPS headline) and
    lets sentences that were never parsed still be read for roles and values.
    """
    if names is None:
        return []
    out = []
    dateline = DATELINE.match(sentence_text)
    for m in names.finditer(sentence_text):
        if dateline and m.start() < dateline.end():
            continue
        if _keep(sentence_text, m.start(), m.end(), m.group(), known):
            out.append(CompanyMention(m.group(), offset + m.start(), offset + m.end(), known))
    return out


def names_pattern(names: set[str], upper: bool = False) -> re.Pattern[str] | None:
    """One regex for a set of names, longest first, word-bounded."""
    if not names:
        return None
    alts = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(r"(?<![\w-])(?:" + alts + r")(?![\w-])", re.IGNORECASE if upper else 0)


def merge_mentions(found: list[CompanyMention], extra: list[CompanyMention]) -> list[CompanyMention]:
    """Add string-matched names that do not overlap names the parser already found."""
    out = list(found)
    for e in extra:
        if all(e.end <= f.start or e.start >= f.end for f in out):
            out.append(e)
    return sorted(out, key=lambda m: m.start)


def _merge_spans(spans: list[tuple[int, int, bool]]) -> list[tuple[int, int, bool]]:
    """Overlapping candidates → one: a gazetteer span wins, else the longest."""
    spans = sorted(spans, key=lambda s: (not s[2], -(s[1] - s[0]), s[0]))
    taken: list[tuple[int, int, bool]] = []
    for s in spans:
        if all(s[1] <= t[0] or s[0] >= t[1] for t in taken):
            taken.append(s)
    return sorted(taken)


def _keep(text: str, start: int, end: int, raw: str, known: bool) -> bool:
    name = canonical_name(raw)
    if not name or not any(c.isupper() for c in name[:3]) and not known:
        return False
    if _HARDWARE_NAME.match(name) or _QUANTITY_NAME.fullmatch(name):
        return False  # "GB200", "4MW": hardware or a quantity the tagger made a name
    before, after = text[:start], text[end:]
    if _TRADEMARK.search(raw) or _TRADEMARK_AFTER.match(after):
        return False  # "the Essential Cloud for AI(TM)": a slogan or product mark, not a company
    if _TICKER_BEFORE.search(before[-12:]) or (
        raw.isupper() and before.endswith("(") and after.startswith(")")
    ):
        return False  # "(NYSE: AMBL)": a ticker, aliased to the name before it
    if _OWNER_AFTER.match(after) and not known:
        return False  # "Dana Holt's company": the owner, not a party
    if _MODIFIER_AFTER.match(after) or _INVESTOR_BEFORE.search(before) or _SOURCE_AFTER.match(after):
        return False
    if not known and (
        _PLACE_MODIFIER_AFTER.match(after)
        or _is_place(name)
        or _DESCRIBES_AFTER.match(after)
        or _town_of_region(after)
    ):
        return False  # "the Round Rock, Texas-based maker", "Prague start-up Brnik Labs": a place
    kind = kind_of(name) if known or name.lower() in known_companies() else None
    if kind in ("chipmaker", "hardware") and _HARDWARE_AFTER.match(after):
        return False  # "Nvidia GB300 chips": the vendor of the hardware, not a party
    if not known and _APPOSITIVE_THE.search(before[-8:]) and _APPOSITIVE_NOUN_AFTER.match(after):
        return False  # "Alpenstrom Compute, the Ticino GPU cloud, …": a place describing the name before
    if not known and _THE_BEFORE.search(before[-5:]) and _NOUN_MODIFIER_AFTER.match(after):
        return False  # "The Edinburgh provider is renting …": the name only describes the noun after it
    if not known and _is_product(name, before, after):
        return False  # "its Quill-3 model", "Microsoft's Bing search", "H200 Tensor Core GPUs": a product
    if not known and _FACILITY_AFTER.match(after):
        return False  # "Halden 3 data center": a facility name
    if (
        not known
        and _PLACE_BEFORE.search(before[-12:])
        and not re.search(r"\s(?:AI|Labs?|Compute|Cloud)$", name)
        and not _OWNER_OF_SITE.match(after)
    ):
        return False  # "in Dallas", "near Oslo"
    if _PERSON_AROUND.match(after) or re.search(r"(?:CEO|chief executive|founder|analyst)\s+$", before):
        return False
    if (
        not known
        and _SPEAKER_AFTER.match(after)
        and not before.strip()
        and not any(w in _tails() for w in name.split(" "))
    ):
        return False  # "Leah Dorsey (Northfield Securities): …": a speaker in a transcript
    if is_person_by_title(name, before, after):
        return False  # "Chief executive Jane Roe said …", "Jane Roe, the company's CFO,": a person
    # A lone capitalised first word of the sentence that the tagger made a proper noun.
    return not (start == 0 and " " not in name and not known and raw.lower() in _COMMON_STARTERS)


_MODEL_NUMBER = re.compile(r"[A-Z][a-z]+-\d+(?:\.\d+)?[a-z]?")
_TRAINED_BEFORE = re.compile(
    r"\b(?:train(?:s|ed|ing)?|fine-tun\w+|releas\w+|launch\w+|serv(?:e|es|ed|ing))\s+"
    r"(?:(?:its|the|their|upcoming|new|next|future|latest|next-generation)\s+){0,2}$",
    re.I,
)
#: "Leah Dorsey (Northfield Securities): …" — but not "Acme Cloud (ACME): …", a company and its ticker.
_SPEAKER_AFTER = re.compile(r"^\s*\((?!(?:[A-Za-z]+\s*:\s*)?[A-Z][A-Z0-9.]{0,6}\))[^()]{2,60}\)\s*:")
_APPOSITIVE_THE = re.compile(r"\w,\s+the\s+$")
_APPOSITIVE_NOUN_AFTER = re.compile(
    r"^\s+(?:[\w-]+\s+){0,2}?(?:cloud|neocloud|provider|operator|company|firm|start-?up|lab|developer|maker|"
    r"landlord|hyperscaler|group|giant|miner|specialist)\b"
)
_THE_BEFORE = re.compile(r"\b[Tt]he\s+$")
_NOUN_MODIFIER_AFTER = re.compile(
    r"^\s+(?:[\w-]+\s+)?(?:provider|operator|company|firm|start-?up|developer|group|giant|maker|landlord|"
    r"supplier|vendor|outfit|business)\b"
)
#: An owner just before a product name: "its ", "their ", "Acme's AI-driven ".
_OWNER_BEFORE = re.compile(r"(?:\b(?:its|their|his|her)|(?:'s|’s))\s+(?:[\w-]+\s+){0,2}$", re.I)
#: A chip model or vendor just before a name that goes on to a hardware noun: "NVIDIA H200 Tensor Core GPUs".
_CHIP_BEFORE = re.compile(r"(?:\b[A-Z]{1,3}\d{2,4}\w*|\bGB\d+\w*)\s+$")
_GPU_NOUN_AFTER = re.compile(r"^\s+(?:GPUs?|chips?|accelerators?|superchips?|processors?|graphics)\b", re.I)


@lru_cache(maxsize=1)
def _product_after() -> re.Pattern[str]:
    data = tomllib.loads(
        (Path(__file__).parent / "gazetteers" / "companies.toml").read_text(encoding="utf-8")
    )
    nouns = sorted(data["name_rules"]["product_nouns"], key=len, reverse=True)
    return re.compile(r"^(?:-[\w.]+)?\s+(?:" + "|".join(re.escape(n) for n in nouns) + r")\b", re.I)


def _is_product(name: str, before: str, after: str) -> bool:
    """A product or model rather than its maker: a product noun after the name, with an owner before
    it or a model number in it; or a product line between a chip model and "GPUs"."""
    if _GPU_NOUN_AFTER.match(after) and _CHIP_BEFORE.search(before[-20:]):
        return True
    if _MODEL_NUMBER.fullmatch(name) or (re.search(r"\d", name) and _TRAINED_BEFORE.search(before[-20:])):
        return True  # "Gripper-2", "trained Quill 3 on …": a model, not its developer
    if not _product_after().match(after):
        return False
    return bool(
        _OWNER_BEFORE.search(before[-40:]) or re.search(r"\d", name) or _TRAINED_BEFORE.search(before[-40:])
    )


_COMMON_STARTERS = frozenset(
    [
        "previously",
        "meanwhile",
        "however",
        "details",
        "under",
        "according",
        "thus",
        "now",
        "separately",
        "both",
        "compute",
    ]
)


_COMPOUND_AFTER = re.compile(
    r"^[-\s]+(?:agreements?|contracts?|deals?|relationships?|base|list|wins?|concentration)\b"
)
#: A pronoun that opens a coordinated clause ("…, and it will use …"): that clause's subject.
_NEW_CLAUSE_BEFORE = re.compile(r"(?:,\s*(?:and|but|while|so)|;)\s+$")
_GIVES_ACCESS_BEFORE = re.compile(r",\s*(?:giving|which\s+gives|that\s+gives|allowing|letting|enabling)\s+$")
_ROLE_PREDICATE = re.compile(
    r"^(?:[Tt]he|[Aa]n?)\s+(?:[\w-]+\s+){0,3}?(?:tenant|customer|client|buyer|provider|operator|partner)$"
)
#: Before a sentence-initial subject: nothing, or an opener ("Separately, ", "On Monday, ").
SUBJECT_SLOT = re.compile(
    r"^\W*(?:(?:[Ll]ast|[Ee]arlier|[Tt]his|[Ll]ater)\s+(?:this\s+|that\s+|last\s+)?(?:week|month|year|quarter)\s*,?\s*|"
    r"[Oo]n\s+[A-Z][a-z]+day\s*,?\s*|(?:\w+\s+)?(?:days?|weeks?|months?)\s+ago\s*,?\s*)?(?:(?:[A-Z][\w-]*\s*){1,3},\s*)?$"
)
#: "Chief executive Jane Roe said the company …": after a (person's) quote attribution that names no
#: company, "the company" is the one the speaker works for — the last subject.
_ATTRIBUTION_SLOT = re.compile(
    r"^\W*[^,;⟦]{0,80}?\b(?:said|says|told\s+(?:\w+\s+){0,2}?|added|adds|wrote|noted|explained)"
    r"\s*,?\s*(?:that\s+)?$"
)
#: From a clause's subject to an object pronoun: "Y agreed in October to supply (it)", "Y will sell (it)".
_OBJECT_SLOT = re.compile(
    # "Y, the New Jersey GPU cloud, is building and operating for (it)": an appositive may come between
    r"^(?:\s*,[^;⟦]{1,60}?,)?[^,;⟦]{0,60}?\b(?:supply|supplies|supplied|provide|provides|provided|sell|sells|sold|"
    r"give|gives|gave|offer|offers|offered|lease|leases|leased|rent|rents|rented|host|hosts|hosted|serve|serves|"
    r"served|ship|ships|shipped|deliver|delivers|delivered|build|builds|building|built|operat\w*|run|runs|"
    r"running|deploy\w*|reserv\w*|dedicat\w*)(?:\s+and\s+\w+)?\s+(?:(?:for|to)\s+)?$"
)
#: Descriptors that stand for a company named in an earlier sentence.
_ANAPHOR = re.compile(
    r"\b(?:company|firm|neocloud|provider|operator|group|hyperscaler|developer|landlord|giant|It|it|They)$"
)


def mask_sentence(
    text: str, offset: int, companies: list[CompanyMention], antecedent: str | None = None
) -> tuple[str, dict[str, tuple[str, int, int]]]:
    """Replace companies by ⟦cN⟧ and descriptors by ⟦dN⟧; return masked text and the slot map.

    Descriptors right before or after a company ("the startup Acme", "Acme, a startup
    backed by …") are appositives, not stand-ins, and are left as text.
    """
    slots: list[tuple[int, int, str, str]] = []
    for i, m in enumerate(companies):
        start = m.start - offset
        if m.text.split(" ")[-1].islower() and re.search(r"\b[Tt]he\s+$", text[max(0, start - 4) : start]):
            start -= 4  # "the ChatGPT maker": a descriptor alias takes its article into the slot
        slots.append((start, m.end - offset, f"c{i}", m.text))
    for j, d in enumerate(_DESCRIPTOR.finditer(text)):
        if any(not (d.end() <= s[0] or d.start() >= s[1]) for s in slots):
            continue
        follow = text[d.end() :]
        if _COMPOUND_AFTER.match(follow):
            continue  # "a three-year customer agreement", "the company's customer base": a compound noun
        if any(re.match(r"^\s*,?\s*$", follow[: max(0, s[0] - d.end())]) for s in slots if s[0] >= d.end()):
            continue  # "the startup Acme": the name itself fills the slot
        nxt = min((s[0] for s in slots if s[0] >= d.end()), default=None)
        if (
            nxt is not None
            and re.search(r"(?:customer|client|tenant)$", d.group())
            and _NAMED_AFTER.match(follow[: nxt - d.end()])
        ):
            continue  # "its largest customer to date, the Dutch lab Acme": the name is told right after
        if any(re.match(r"^\s*[,—–-]\s*$", text[s[1] : d.start()]) for s in slots if s[1] <= d.start()):
            continue  # "Acme, a startup backed by …,": an appositive of the name before it
        if _ITS_SUPPLIER.match(d.group()) and re.search(
            r"\b(?:is|remains|was|been|be|became|becomes)\s+$", text[: d.start()]
        ):
            continue  # "Amazon remains its primary training partner": a role word, not a stand-in
        if _ROLE_PREDICATE.match(d.group()) and re.search(
            r"\b(?:is|remains|was|been|be|become|became|becomes|as)\s+$", text[: d.start()]
        ):
            continue  # "Lambda will be the anchor tenant at …": a predicate, not a stand-in
        name = DESCRIPTOR
        if _OWN_UNIT.match(d.group()) or re.fullmatch(r"(?:[Tt]hat\s+)?[Tt]he\s+(?:company|firm)", d.group()):
            before = [c for c in companies if c.end - offset <= d.start()]
            if before:  # "Amazon … after the company('s cloud unit) signed": the name said before
                name = before[-1].text
        if d.group().lower() in ("it", "they"):
            before = [c for c in companies if c.end - offset <= d.start()]
            if before:  # "Crusoe said it will deliver …": the pronoun is the name before it
                name = before[-1].text
            if len(before) > 1 and _OBJECT_SLOT.search(text[before[-1].end - offset : d.start()]):
                # "OpenAI has a deal with X, and Y agreed to supply it with …": an object pronoun is not
                # its own clause's subject (Y) but the sentence's topic
                name = before[0].text
        if d.group().lower() in ("it", "they") and _NEW_CLAUSE_BEFORE.search(text[: d.start()]):
            first = min((sl for sl in slots if sl[1] <= d.start()), default=None)
            if first is not None:  # "X signed with Y …, and it will use …": the subject of the clause before
                name = first[3]
        if d.group().lower() in ("it", "they") and _GIVES_ACCESS_BEFORE.search(text[: d.start()]):
            first = [c for c in companies if c.end - offset <= d.start()]
            if first:  # "X signed a deal with Y, giving it access to …": 'it' is the subject X
                name = first[0].text
        if (
            name == DESCRIPTOR
            and antecedent
            and (
                SUBJECT_SLOT.match(text[: d.start()])
                or (_ATTRIBUTION_SLOT.match(text[: d.start()]) and not any(s[0] < d.start() for s in slots))
            )
            and _ANAPHOR.search(d.group())
        ):
            name = antecedent  # "Nebius rose. The Amsterdam-based company disclosed …": the last subject
        slots.append((d.start(), d.end(), f"d{j}", name))
    slots.sort()
    out, pos, table = [], 0, {}
    for start, end, key, name in slots:
        out.append(text[pos:start])
        out.append(f"⟦{key}⟧")
        table[key] = (name, start + offset, end + offset)
        pos = end
    out.append(text[pos:])
    return "".join(out), table


def division_aliases(masked: str, table: dict[str, tuple[str, int, int]]) -> list[tuple[str, str]]:
    """(alias, parent) pairs: tickers "X (NYSE: XY)", divisions "X, Y's AI division" and
    "Y's AI division, now known as X"."""
    pairs = []
    for m in re.finditer(r"⟦(c\d+)⟧", masked):
        t = _TICKER_AFTER.match(masked[m.end() :])
        if t and m.group(1) in table:
            pairs.append((t.group(1), table[m.group(1)][0]))
    for m in _DEFINED_TERMS.finditer(masked):
        if m.group(1) not in table:
            continue
        parent = table[m.group(1)][0]
        for term in _QUOTED_TERM.findall(m.group(2)):
            key = term[1:-1] if term.startswith("⟦") else term
            alias = table[key][0] if key in table else re.sub(r"^(?:[Tt]he)\s+", "", key).strip()
            if alias and alias != parent:
                pairs.append((alias, parent))
    for m in _DIVISION.finditer(masked):
        if m.group(2) and m.group(2) in table:
            pairs.append((table[m.group(2)][0], table[m.group(1)][0]))
    for m in _APPOSITIVE_DIVISION.finditer(masked):
        pairs.append((table[m.group(1)][0], table[m.group(2)][0]))
    return pairs


def find_role_claims(
    masked: str, table: dict[str, tuple[str, int, int]], sentence_index: int
) -> list[RoleClaim]:
    """Every role pattern that matches the masked sentence, as claims (first match per pair wins)."""
    claims: list[RoleClaim] = []
    seen: set[tuple[str | None, str | None]] = set()
    masked = _NAME_ASIDE.sub(r"\1", masked)
    masked = _OWN_PRODUCT.sub(lambda m: _own_product(m, table), masked)
    # Vendors named by their hardware get slots for the fallback rows only: another slot would
    # break the other rows' gaps ("buy 9,000 Nvidia GPUs from Acme").
    vendor_masked, vendor_table = _vendor_slots(masked, table)
    n_slots = masked.count("⟦")
    for row in role_patterns():
        if row["pair"] and n_slots < 2 and vendor_masked is masked:
            continue  # a rule that names two companies cannot match a sentence with one
        text, slots_of = (vendor_masked, vendor_table) if row.get("fallback") else (masked, table)
        for m in row["regex"].finditer(text):
            slots = {k: m.group(k) for k in ("A", "B") if k in row["regex"].groupindex and m.group(k)}
            later = max(slots, key=lambda k: m.end(k))
            claim = _claim_from(row, slots, slots_of, sentence_index, text[m.end(later) + 1 :], later)
            if claim is None:
                continue
            if claim.fallback and all(v in table for v in slots.values()):
                claim.fallback = False  # the vendor was found as a company in its own right
            key = _claim_key(claim)
            if key in seen:
                # the same parties in the same roles: keep the firmer rule ("will be supplied by" over
                # "supplied by")
                i = next(i for i, c in enumerate(claims) if _claim_key(c) == key)
                if claim.weight > claims[i].weight:
                    claims[i] = claim
                continue
            seen.add(key)
            claims.append(claim)
    return claims


@lru_cache(maxsize=1)
def _vendor_before_hardware() -> re.Pattern[str]:
    """A chip or server maker's name (left as text because it only names hardware) right before
    what it makes: "10,000 Nvidia GPUs", "24,000 Acme Instinct accelerators"."""
    names = {
        n
        for e in known_companies().values()
        if e.kind in ("chipmaker", "hardware")
        for n in (e.name, *e.aliases)
        if n[:1].isupper() and len(n) > 2
    }
    alts = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(
        r"(?<![\w⟦-])(?:" + alts + r")(?=(?:'s|’s)?\s+(?:[\w-]+\s+|⟦c\d+⟧\s+){0,3}?"
        r"(?:GPUs?|chips|accelerators|processors|superchips|systems|servers|[A-Z]{1,3}\d{2,4}\w*)\b)"
    )


_SLOT = re.compile(r"⟦([cd]\d+)⟧")


def _vendor_slots(
    masked: str, table: dict[str, tuple[str, int, int]]
) -> tuple[str, dict[str, tuple[str, int, int]]]:
    """Give a chip vendor named only before its hardware a slot of its own (⟦c100⟧ …), so that
    "X will buy 10,000 Nvidia GPUs" can name the seller; its offset is counted from the nearest slot."""
    if not table or not any(ch.isupper() for ch in masked):
        return masked, table
    found = list(_vendor_before_hardware().finditer(masked))
    if not found:
        return masked, table
    anchors = [(m.start(), m.end(), table[m.group(1)]) for m in _SLOT.finditer(masked) if m.group(1) in table]
    if not anchors:
        return masked, table
    table = dict(table)
    out, pos = [], 0
    for i, v in enumerate(found):
        before = [a for a in anchors if a[1] <= v.start()]
        if before:
            m_end, orig_end = before[-1][1], before[-1][2][2]
            start = orig_end + (v.start() - m_end)
        else:
            m_start, orig_start = anchors[0][0], anchors[0][2][1]
            start = orig_start - (m_start - v.start())
        key = f"c{100 + i}"
        table[key] = (v.group(), start, start + len(v.group()))
        out.append(masked[pos : v.start()] + f"⟦{key}⟧")
        pos = v.end()
    out.append(masked[pos:])
    return "".join(out), table


def _claim_key(claim: RoleClaim) -> tuple[str | None, str | None]:
    return (
        claim.provider_span and str(claim.provider_span),
        claim.customer_span and str(claim.customer_span),
    )


#: "Microsoft's Azure cloud", "Google's Google Cloud": the owner's possessive before its own product.
_OWN_PRODUCT = re.compile(r"⟦(c\d+)⟧((?:'s|’s)\s+)⟦(c\d+)⟧")


def _own_product(m: re.Match[str], table: dict[str, tuple[str, int, int]]) -> str:
    owner, product = table.get(m.group(1)), table.get(m.group(3))
    if owner and product and canonical_name(owner[0]) == canonical_name(product[0]):
        return f"⟦{m.group(1)}⟧{m.group(2)}"
    return m.group()


def _claim_from(
    row: dict[str, Any],
    slots: dict[str, str],
    table: dict[str, tuple[str, int, int]],
    sentence_index: int,
    rest: str,
    later: str,
) -> RoleClaim | None:
    if not slots or any(v not in table for v in slots.values()):
        return None
    names = {k: table[v] for k, v in slots.items()}
    if len(names) == 2 and names["A"][0] == names["B"][0] and names["A"][0] != DESCRIPTOR:
        return None
    claim = RoleClaim(rule=row["id"], sentence_index=sentence_index, weight=row.get("weight", 1.0))
    claim.other = row.get("other")
    claim.fallback = bool(row.get("fallback"))
    roles = {k: row.get(k) for k in slots}
    if "counterpart" in roles.values():
        b = names.get("B")
        a = names["A"]
        claim.counterpart_of = b[0] if b else DESCRIPTOR  # no holder named: the article's deal's
        claim.customer, claim.customer_span = a[0], (a[1], a[2])
        claim.roles_known = False
        claim.extra = _coordinated(rest, table, "counterpart")
        return claim
    if "party" in roles.values():
        a, b = names["A"], names["B"]
        orient = _orientation(rest[:160])
        if orient is not None and _WEAK_FOR.match(rest) and _kinds_disagree(a[0], b[0], orient):
            orient = None  # "X signed a contract with Y for GPU capacity": who sells GPUs decides
        if orient == "customer":
            a, b = b, a
        claim.roles_known = orient is not None
        claim.provider, claim.provider_span = a[0], (a[1], a[2])
        claim.customer, claim.customer_span = b[0], (b[1], b[2])
        return claim
    for k, (name, s, e) in names.items():
        if roles[k] == "provider":
            claim.provider, claim.provider_span = name, (s, e)
        elif roles[k] == "customer":
            claim.customer, claim.customer_span = name, (s, e)
    claim.extra = _coordinated(rest, table, roles[later] or "customer")
    return claim


_A_PROVIDES = re.compile(
    r"\b(?:to\s+(?:provide|supply|give|deliver|host|lease|rent\s+out)|giving|that\s+gives|which\s+gives|under\s+which\s+it\s+will\s+provide)\b"
    r"(?!\s+(?:it|them)\b|\s+⟦d\d+⟧)"
)
#: "…, giving it access to …": the first party gets the access.
_A_GETS = re.compile(
    r"^\W{0,3}\s*(?:giving|which\s+gives|that\s+gives|to\s+give)\s+(?:it|them|⟦d\d+⟧)\s+access\b"
)
_A_RENTS = re.compile(
    r"^\W{0,3}\s*(?:(?:on|this|last|late|earlier|early)\s+(?:\w+\s+){0,1}?(?:Monday|Tuesday|Wednesday|Thursday|"
    r"Friday|Saturday|Sunday|week|month|year|day)\s*,?\s*)?(?:for\s+(?:access\s+to|use\s+of|the\s+use\s+of|compute|computing|capacity|GPUs?|cloud)|"
    r"to\s+(?:rent|lease|buy|use|access|secure|reserve|tap)|"
    # "X signed a second contract with Y, taking another 2,304 GPUs": the taker rents
    r"(?:taking|to\s+take|which\s+takes)\s+(?:on\s+)?(?:another|additional|more|an\s+additional|a\s+further|[\d,.]+)\b)\b"
)


#: "… for GPU capacity": a weak cue of who rents (either side can be said to sign "for" capacity).
_WEAK_FOR = re.compile(
    r"^\W{0,3}\s*for\s+(?:(?:dedicated|additional|more|new|cloud|AI|GPU|computing|compute)\s+){0,3}"
    r"(?:compute|computing|capacity|GPUs?|cloud|infrastructure)\b",
    re.IGNORECASE,
)


def _kinds_disagree(a: str, b: str, orient: str) -> bool:
    """The companies' lines of business say the opposite of ``orient`` (A's role), firmly: a GPU
    cloud or landlord against an AI lab or big-tech buyer."""
    if a == DESCRIPTOR or b == DESCRIPTOR:
        return False
    lean = name_hint(a) - name_hint(b)  # > 0: A looks like the seller
    return (orient == "customer" and lean >= 1.0) or (orient == "provider" and lean <= -1.0)


def _orientation(rest: str) -> str | None:
    """Direction of "A signed a deal with B …" from what follows: "to provide …" makes A the provider,
    "for access to …" the customer; None when the text does not say."""
    if _A_RENTS.search(rest) or _A_GETS.search(rest):
        return "customer"
    if _A_PROVIDES.search(rest):
        return "provider"
    return None


def _coordinated(
    rest: str, table: dict[str, tuple[str, int, int]], role: str
) -> list[tuple[str, str, tuple[int, int]]]:
    """Names coordinated right after a slot ("with Google ($30 billion) and Anthropic")."""
    out = []
    while True:
        m = _COORD.match(rest)
        if not m or m.group(1) not in table:
            return out
        name, s, e = table[m.group(1)]
        out.append((role, name, (s, e)))
        rest = rest[m.end() :]


#: How strongly a known company's line of business makes it the supplier when paired with another:
#: a landlord hosts a GPU cloud, a GPU cloud rents to a hyperscaler, a hyperscaler sells to a lab.
_KIND_LEAN = {
    "datacenter": 0.9,
    "compute": 0.8,
    "hardware": 0.7,
    "cloud": 0.5,
    "chipmaker": 0.3,
    "tech": 0.0,
    "other": 0.0,
    "ailab": -0.5,
}


def role_hint(name: str, sentence_text: str, start_in_sentence: int) -> float:
    """Positive when the words around a name suggest a provider, negative for a customer.

    Uses the gazetteer kind, the name's own tail ("… Compute", "… Labs") and descriptors placed
    before it ("AI startup Acme", "cloud provider Globex").
    """
    return name_hint(name) + context_hint(sentence_text, start_in_sentence)


def name_hint(name: str) -> float:
    """Role leaning from the name alone: gazetteer kind and the name's tail."""
    score = _KIND_LEAN.get(kind_of(name) or "", 0.0)
    if re.search(
        r"\b(?:Compute|Cloud|Data|Datacenters?|Digital|Infrastructure|Hosting|Power|Energy|Grid)\b", name
    ):
        score += 0.4
    if re.search(r"\b(?:AI|Labs?|Intelligence|Research|Robotics|Bio)\b", name):
        score -= 0.3
    return score


def context_hint(sentence_text: str, start_in_sentence: int) -> float:
    """Role leaning from a descriptor right before one mention of a name."""
    score = 0.0
    before = sentence_text[max(0, start_in_sentence - 40) : start_in_sentence].lower()
    if re.search(
        r"(?:startup|start-up|lab|ai firm|ai company|model developer|developer|chatbot maker)\s*,?\s*$",
        before,
    ):
        score -= 0.6
    if re.search(
        r"(?:cloud provider|neocloud|operator|data[- ]cent(?:er|re) (?:company|firm|developer)|hyperscaler|"
        r"gpu cloud|compute provider|host|landlord)\s*,?\s*$",
        before,
    ):
        score += 0.6
    return score
