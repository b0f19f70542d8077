"""Hardware, accelerator counts and power → ``hardware``, ``accelerator_count``, ``capacity_mw``.

Models and vendors come from patterns/hardware.jsonl, so a new chip is one line of data. A model
named in a clause that talks about another system ("the original cluster houses H100s") is kept
with low confidence and ``attrs['in_passing'] = True`` so the pipeline can drop it.
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

from extractors.models import ArticleContext, Fact, Sentence
from extractors.numbers import DIGIT_NUMBER, WORD_NUMBER, clause_around, make_fact, parse_number
from extractors.vocabulary import canonical_qualifier, phrase_alternation

VERSION = "1"
_DIR = Path(__file__).parent / "patterns"
MODELS: list[dict[str, str]] = [
    json.loads(line) for line in (_DIR / "hardware.jsonl").read_text("utf-8").splitlines() if line.strip()
]
_CUES = tomllib.loads((_DIR / "hardware.toml").read_text("utf-8"))


def _alt(words: list[str]) -> str:
    return phrase_alternation(words)


# One alternation, one named group per model, longest model names first ("Vera Rubin" before
# "Rubin", "TPU v5p" before "TPU").
_ORDER = sorted(
    range(len(MODELS)), key=lambda i: (len(MODELS[i]["model"]), len(MODELS[i]["pattern"])), reverse=True
)
_MODEL_RE = re.compile(
    r"(?<![\w-])(?=[A-Z]|[Tt]ensor)(?:"
    + "|".join(f"(?P<m{i}>{MODELS[i]['pattern']})" for i in _ORDER)
    + r")(?:['’]?s)?(?!\w|-(?!based|powered|class|equipped|era)\b)"
)
_PASSING = re.compile(r"(?<![\w-])(?:" + _alt(_CUES["in_passing"]) + r")(?![\w-])", re.I)
_COUNT_PASSING = re.compile(
    r"(?<![\w-])(?:" + _alt(_CUES["in_passing"] + _CUES["count_in_passing"]) + r")(?![\w-])", re.I
)


# Case-sensitive: "Stark Grid" or "Fleet Compute" are names, not cues.
# "across its fleet" is a fleet figure, "across eight buildings" is how one site's capacity is split;
# "a combined 250 MW" after the deal's own leases is what they add up to.
def _cap_passing(skip: tuple[str, ...] = ()) -> re.Pattern[str]:
    words = [w for w in _CUES["capacity_in_passing"] if w != "across" and w not in skip]
    return re.compile(
        r"(?<![\w-])(?:"
        + _alt(words)
        + r"|across(?!\s+(?:[\w-]+\s+){0,2}?(?:buildings|halls|data\s+halls|phases|stages|floors)\b)"
        + r")(?![\w-])"
    )


_CAP_PASSING = _cap_passing()
_CAP_PASSING_SUMMED = _cap_passing(("combined",))
_SUMMED_LEASES = re.compile(
    r"\b(?:leases|contracts|agreements|deals)\b[^.;]{0,80}?\b(?:a\s+)?combined\s+$", re.I
)
#: "The first phase, two buildings with 200 MW, is energized": one tranche's size, not the deal's.
_TRANCHE_SUBJECT = re.compile(
    r"^\W*(?:The|Its|Their)\s+(?:first|initial|opening)\s+(?:phase|stage|tranche|building|buildings|data\s+halls?|halls?)\b"
)
#: Family names that a specific model usually follows in the same article ("Trainium" → "Trainium2").
FAMILIES = {"TPU", "Blackwell", "Hopper", "Cerebras", "Trainium", "Gaudi", "Inferentia", "Rubin"}

_QUAL = (
    r"(?P<qual>up\s+to|as\s+many\s+as|about|around|roughly|approximately|some|nearly|almost|close\s+to|"
    r"more\s+than|over|at\s+least|in\s+excess\s+of|upwards\s+of)"
)
_MODEL_UNITS = "|".join(
    sorted(
        {re.sub(r"\(\?[=!].*$", "", m["pattern"]) for m in MODELS if not m["pattern"].startswith("TPU")},
        key=len,
        reverse=True,
    )
)
_COUNT = re.compile(
    rf"(?<![\w$€£.,-])(?:(?i:{_QUAL})\s+)?(?P<n>{DIGIT_NUMBER}|{WORD_NUMBER}|a)(?P<s>\s*(?:thousand|million|[kK])\b)?"
    r"(?:\s+(?:of\s+)?(?:the\s+)?(?:[\w’'-]+\s+){0,4}?)?(?:\s*|-)"
    rf"(?P<unit>{_alt(_CUES['count_units'])}|(?:{_MODEL_UNITS})['’]?s|Trainium\s?\d?\s+chips)(?![\w-])"
)
_NOT_A_COUNT = re.compile(
    r"(?i:\b(?:gigawatts?|megawatts?|GW|MW|billion|million\s+(?:worth|dollars)|worth)\b)"
)
_VAGUE = re.compile(r"(?:tens|hundreds|thousands|millions|dozens)\s+of\s+$", re.I)
_POWER = re.compile(
    rf"(?<![\w$.,-])(?:{_QUAL}\s+)?(?P<n>{DIGIT_NUMBER}|{WORD_NUMBER}|an?)\s*-?\s*"
    r"(?P<u>GW|gigawatts?|MW|megawatts?|kW|kilowatts?)(?![\w-])",
    re.I,
)
_UNIT_MW = {"g": 1000.0, "m": 1.0, "k": 0.001}


def _in_passing(text: str, start: int, end: int, pattern: re.Pattern[str] = _PASSING) -> bool:
    """A cue in the value's clause, or in a short sentence head before it ("Initech's first site,
    in Saskatchewan, runs A100s")."""
    lo, hi = clause_around(text, start, end)
    if pattern.search(text, lo, hi):
        return True
    if re.search(r"(?:\bwhile|\bbut|\bwhereas|;)\s*$", text[max(0, lo - 10) : lo]):
        return False  # "the old hall runs H100s, while the new one gets GB300s": a contrast
    return start - lo < 120 and bool(pattern.search(text, max(0, start - 80), lo))


_OWNER_BEFORE = re.compile(r"(?:\bits|\btheir|['’]s)\s+$", re.I)
_THE_BEFORE = re.compile(r"(?<!\bentire\s)(?<!\bwhole\s)(?<!\bof\s)\bthe\s+$", re.I)
_SITE_AFTER = re.compile(r"\s*-?\s*(?:campus|site|park|facility|data\s+center)\b", re.I)


def _site_size(text: str, start: int, end: int, others: bool = False) -> bool:
    """ "at the company's 750MW campus": the whole site's size, not what the deal takes of it. With
    another figure in the sentence, "the 2 GW campus X is developing, taking 250 MW" too (but "the
    entire 300 MW campus" is leased whole)."""
    if not _SITE_AFTER.match(text, end):
        return False
    if _OWNER_BEFORE.search(text, max(0, start - 20), start):
        return True
    return others and bool(_THE_BEFORE.search(text, max(0, start - 20), start))


def _qual(q: str | None) -> str | None:
    return canonical_qualifier(q)


_COUNT_HINT = re.compile(r"(?i:gpu|chip|accelerator|processor|unit|card|xpu|tpu|server)|\ds\b|[A-Z]s\b")
_POWER_HINT = re.compile(r"(?i:gw|mw|kw|watt)")


def hardware_facts(sentence: Sentence, ctx: ArticleContext | None = None) -> list[Fact]:
    """One ``hardware`` fact per model named, plus ``accelerator_count`` and ``capacity_mw``."""
    text = sentence.text
    facts = _model_facts(sentence)
    if _COUNT_HINT.search(text):
        facts += _count_facts(sentence)
    if _POWER_HINT.search(text):
        facts += _power_facts(sentence)
    return facts


def _model_facts(sentence: Sentence) -> list[Fact]:
    """``hardware`` facts: each model named, a family only where no specific model of its vendor is."""
    text = sentence.text
    facts: list[Fact] = []
    for m in _MODEL_RE.finditer(text):
        idx = next((int(k[1:]) for k, v in m.groupdict().items() if v is not None), None)
        if idx is None:
            continue
        spec = MODELS[idx]
        passing = _in_passing(text, m.start(), m.end())
        attrs = {"vendor": spec["vendor"], "model": spec["model"]}
        if passing:
            attrs["in_passing"] = True
        generic = spec["model"] in FAMILIES
        if generic:
            attrs["family"] = True
        conf = 0.3 if passing else (0.7 if generic else 0.9)
        value = f"{spec['vendor']} {spec['model']}" if spec["model"] != spec["vendor"] else spec["model"]
        facts.append(
            make_fact(
                sentence, "hardware", value, (m.start(), m.end()), "hardware.model", conf, attrs, VERSION
            )
        )
    specific = {
        f.attrs["vendor"] for f in facts if not f.attrs.get("family") and not f.attrs.get("in_passing")
    }
    # "GB300 Blackwell Ultra" or "Trainium2 ... Trainium": the family adds nothing to the model.
    return [f for f in facts if not (f.attrs.get("family") and f.attrs["vendor"] in specific)]


def _count_facts(sentence: Sentence) -> list[Fact]:
    """``accelerator_count`` facts: counts of chips, not vague ("thousands of"), years, power or money."""
    text = sentence.text
    facts: list[Fact] = []
    for m in _COUNT.finditer(text):
        if _VAGUE.search(text[max(0, m.start() - 20) : m.start()]):
            continue
        if _NOT_A_COUNT.search(m.group(0)):
            continue  # "10 gigawatts of custom chips", "$2 billion of GPUs": power or money, not a count
        n = parse_number(m.group("n")) if m.group("n").lower() != "a" else None
        if n is None:
            continue
        scale = (m.group("s") or "").strip().lower()
        n *= {"thousand": 1e3, "k": 1e3, "million": 1e6}.get(scale, 1.0)
        if n < 8 or (1990 <= n <= 2040 and "," not in m.group("n") and not scale):
            continue  # "the 2026 chips" is a year; a handful of servers is not a deal's scale
        passing = _in_passing(text, m.start(), m.end(), _COUNT_PASSING)
        attrs = {"qualifier": _qual(m.group("qual")), "unit": m.group("unit")}
        if passing:
            attrs["in_passing"] = True
        conf = 0.3 if passing else 0.85
        facts.append(
            make_fact(
                sentence,
                "accelerator_count",
                int(round(n)),
                (m.start(), m.end()),
                "hardware.count",
                conf,
                attrs,
                VERSION,
            )
        )
    return facts


def _power_facts(sentence: Sentence) -> list[Fact]:
    """``capacity_mw`` facts, in passing when summed leases, a whole site's size or a tranche."""
    text = sentence.text
    facts: list[Fact] = []
    powers = list(_POWER.finditer(text))
    for m in powers:
        if re.match(r"h\b", text[m.end() : m.end() + 2], re.I):
            continue
        raw = m.group("n")
        n = 1.0 if raw.lower() in ("a", "an") else parse_number(raw)
        if n is None:
            continue
        mw = n * _UNIT_MW[m.group("u")[0].lower()]
        summed = _SUMMED_LEASES.search(text, max(0, m.start() - 120), m.start())
        passing = (
            _in_passing(text, m.start(), m.end(), _CAP_PASSING_SUMMED if summed else _CAP_PASSING)
            or _site_size(text, m.start(), m.end(), others=len(powers) > 1)
            or bool(_TRANCHE_SUBJECT.match(text))
        )
        attrs = {"qualifier": _qual(m.group("qual"))}
        if passing:
            attrs["in_passing"] = True
        conf = 0.4 if passing else 0.85
        facts.append(
            make_fact(
                sentence,
                "capacity_mw",
                round(mw, 3),
                (m.start(), m.end()),
                "hardware.power",
                conf,
                attrs,
                VERSION,
            )
        )
    return facts
