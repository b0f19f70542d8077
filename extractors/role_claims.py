"""Role claims: who plays provider and who customer, from patterns on a masked sentence.

Roles come from patterns (patterns/roles.jsonl) matched on the sentence masked by
extractors.descriptors; a pattern names its rule id, which every claim carries so a trace can name it.
The hints say which way a name or its context leans when no pattern decides.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from extractors.companies import canonical_name, kind_of
from extractors.descriptors import DESCRIPTOR
from extractors.land_leases import is_land_lease
from extractors.literal_prefilter import LiteralIndex
from extractors.vendor_slots import vendor_slots
from extractors.vocabulary import customer_ranks, customer_role_nouns, ended_role_words, phrase_alternation

_ROLES = Path(__file__).parent / "patterns" / "roles.jsonl"
#: The passing-deal frames (issue 10, round 8): their own file, tried after roles.jsonl, with their
#: word lists in passing_frames.toml.
_FRAMES = Path(__file__).parent / "patterns" / "passing_roles.jsonl"
_FRAME_WORDS = Path(__file__).parent / "patterns" / "passing_frames.toml"


#: "Amazon Web Services (AWS)", "Nebius Group (NASDAQ: NBIS)": the aside repeats the name before it.
_NAME_ASIDE = re.compile(
    r"(⟦c\d+⟧)\s*\((?:⟦c\d+⟧|(?:NYSE|NASDAQ|Nasdaq|TSX|TSXV|LSE|AMEX|OTC|OTCQX|ASX|XETRA|Euronext|HKEX)"
    r"(?:\s+[A-Za-z]+)?\s*:\s*[A-Z][A-Z0-9.]{0,6}|[A-Z][A-Z0-9.]{1,6}|[A-Z]{3,5},[^()⟦]{0,40})\)"
)


_MACROS = MappingProxyType(
    {
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
        # A short object noun phrase: a few words, none of them a finite verb ("capacity", "50 MW of power",
        # "24 MW in the campus's first building": a possessive with either apostrophe).
        "{NP}": r"(?:(?!(?:adds?|is|are|was|were|has|have|had|gives?|makes?|brings?|to|will|would|said)\b)"
        r"[\w$.,%\"“”‘’'-]+\s+){0,12}?",
        "{DEAL}": r"(?:[\w$-]+\s+){0,3}?(?:deal|agreement|contract|pact|partnership|arrangement|accord|"
        r"lease|commitment|tie-up|ties|collaboration|(?:chip|silicon|hardware|supply)\s+program(?:me)?)s?",
        # Verbs of supplying: whoever does them to the deal's hardware or capacity is the provider.
        "{SUPPLY_VERB}": r"(?:build|make|manufacture|produce|fabricate|supply|provide|deliver|host|run|operate|"
        r"develop|design\s+and\s+build|stand\s+up|install|deploy|lease\s+out|rent\s+out|sell|ship)",
        "{HW_MODEL}": r"(?:[A-Z]{1,3}\d{2,4}\w*)",
        "{ASSET}": r"(?:supercomputers?|superclusters?|clusters?|data\s*cent(?:er|re)s?|campus|facility|"
        r"cloud|capacity|GPUs?|chips|compute|infrastructure|servers)\b",
    }
)


def _expanded_macros() -> dict[str, str]:
    """The macros with ``{DEMONYM}`` (in ``{APPO}``) filled from gazetteers/not_parties.toml."""
    demonyms = tomllib.loads((Path(__file__).parent / "gazetteers" / "not_parties.toml").read_text("utf-8"))
    alternatives = "|".join(re.escape(w) for w in demonyms["demonyms"])
    macros = {macro: rx.replace("{DEMONYM}", alternatives) for macro, rx in _MACROS.items()}
    # The customer side's role nouns and ranks, one list each (patterns/vocabulary.toml).
    nouns = sorted(customer_role_nouns(), key=len, reverse=True)
    macros["{CUSTOMER_NOUN}"] = r"(?:" + "|".join(re.escape(w) for w in nouns) + r")s?\b"
    ranks = sorted(customer_ranks(), key=len, reverse=True)
    macros["{RANK}"] = r"(?:" + "|".join(re.escape(w) for w in ranks) + r")\b"
    frames = tomllib.loads(_FRAME_WORDS.read_text("utf-8"))["frames"]
    for key, words in frames.items():
        macros["{" + key.upper() + "}"] = r"(?:" + phrase_alternation(words) + r")\b"
    return macros


_COORD = re.compile(
    r"^(?:\s*\([^)]{0,40}\))?(?:\s*,\s*|\s+and\s+|\s*,\s*and\s+|\s+as\s+well\s+as\s+)⟦(c\d+)⟧"
)


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
    names_role: bool = False  # the pattern names the role ("X's tenant, Y"), not just word order
    in_passing: bool = False  # a label of a standing relation ("X's biggest client, Y"): never the news
    standing: bool = False  # a state, not an event ("X is a customer of Y"): background past the lead


@lru_cache(maxsize=1)
def _spliced() -> dict[str, str]:
    """What role_patterns splices into each pattern, in order: the macros, then the two slots."""
    return {**_expanded_macros(), "{A}": r"⟦(?P<A>[cd]\d+)⟧", "{B}": r"⟦(?P<B>[cd]\d+)⟧"}


@lru_cache(maxsize=1)
def role_patterns() -> list[dict[str, Any]]:
    macros = _spliced()
    rows = []
    lines = _ROLES.read_text(encoding="utf-8").splitlines() + _FRAMES.read_text(encoding="utf-8").splitlines()
    for line in lines:
        if not line.strip():
            continue
        row = json.loads(line)
        pat = row["pattern"]
        for macro, rx in macros.items():
            pat = pat.replace(macro, rx)
        row["regex"] = re.compile(pat, re.IGNORECASE)
        row["pair"] = "A" in row["regex"].groupindex and "B" in row["regex"].groupindex
        rows.append(row)
    return rows


@lru_cache(maxsize=1)
def _role_index() -> LiteralIndex:
    """The role patterns indexed by the words each needs (extractors.literal_prefilter)."""
    return LiteralIndex(((row["regex"], row["pattern"]) for row in role_patterns()), _spliced())


#: A customer label of an ended or hoped-for relation: "former largest customer", "one-time anchor
#: tenant", "prospective client" (a rank or two may sit between; the word lists in vocabulary.toml).
_ENDED_ROLE = re.compile(
    rf"(?<![\w-])(?:{phrase_alternation(ended_role_words())})[\s-]+(?:[\w-]+\s+){{0,2}}?"
    rf"(?:{phrase_alternation(customer_role_nouns())}|buyer)s?\b",
    re.IGNORECASE,
)


@lru_cache(maxsize=1)
def passing_frame_rules() -> frozenset[str]:
    """The rules of passing_roles.jsonl: frames written for deals told in passing, which add no
    evidence to an article's main deal (its values and direction stay the main sentences')."""
    from extractors.list_frames import RULE as LIST_RULE  # a frame that spans a heading and its bullets

    ids = [json.loads(line)["id"] for line in _FRAMES.read_text("utf-8").splitlines() if line.strip()]
    return frozenset([*ids, LIST_RULE])


@lru_cache(maxsize=1)
def counterpart_rules() -> frozenset[str]:
    """Passing frames that may replace a one-sided role claim on the same name (``names_counterpart``)."""
    return frozenset(r["id"] for r in role_patterns() if r.get("names_counterpart"))


@lru_cache(maxsize=1)
def modifier_rules() -> frozenset[str]:
    """Rules that read a party from its place as the modifier of an agreement noun ("its Acme
    lease"): the name must be a company's full name (extractors.mentions checks it)."""
    return frozenset(r["id"] for r in role_patterns() if r.get("modifier"))


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
    vendor_masked, vendor_table = vendor_slots(masked, table)
    n_slots = masked.count("⟦")
    rows, plain = role_patterns(), _role_index().candidates(masked)  # the others lack a word they need
    vendor = plain if vendor_masked is masked else _role_index().candidates(vendor_masked)
    for i in sorted(
        {i for i in plain if not rows[i].get("fallback")} | {i for i in vendor if rows[i].get("fallback")}
    ):
        row = rows[i]
        if row["pair"] and n_slots < 2 and vendor_masked is masked:
            continue  # a rule that names two companies cannot match a sentence with one
        text, slots_of = (vendor_masked, vendor_table) if row.get("fallback") else (masked, table)
        for m in row["regex"].finditer(text):
            slots = {k: m.group(k) for k in ("A", "B") if k in row["regex"].groupindex and m.group(k)}
            if row.get("names_role") and _ENDED_ROLE.search(m.group(0)):
                continue  # "X's former largest customer, Y": no current deal
            if is_land_lease(text, m.start(), m.end()):
                continue  # "land that X leases from Y": Y is X's landlord, no compute deal
            later = max(slots, key=lambda k: m.end(k))
            claim = _claim_from(row, slots, slots_of, sentence_index, text[m.end(later) + 1 :], later)
            if claim is None:
                continue
            claim.extra.extend(_coordinated_before(row, slots, slots_of, text[: m.start()], later))
            if claim.fallback and all(v in table for v in slots.values()):
                claim.fallback = False  # the vendor was found as a company in its own right
            key = _claim_key(claim)
            if key in seen:
                # the same parties in the same roles: keep the firmer rule ("will be supplied by" over
                # "supplied by")
                i = next(i for i, c in enumerate(claims) if _claim_key(c) == key)
                if claim.weight > claims[i].weight and claim.rule not in passing_frame_rules():
                    claims[i] = claim  # (a passing frame never displaces a role rule's claim)
                elif _names_counterpart(claim, claims[i]):
                    claims[i] = claim
                continue
            seen.add(key)
            claims.append(claim)
    return _one_direction_per_pair(claims)


def _names_counterpart(frame: RoleClaim, held: RoleClaim) -> bool:
    """A frame marked ``names_counterpart`` that reads the same one name as a role rule ("…: its largest
    customer, Y,") but also says who the other party is (``other='implied'``) tells more. Only such
    frames: a label at the sentence's start stays the role rule's, evidence for the main deal."""
    return (
        frame.rule in counterpart_rules()
        and frame.other == "implied"
        and held.other is None
        and (held.provider is None or held.customer is None)
    )


def _one_direction_per_pair(claims: list[RoleClaim]) -> list[RoleClaim]:
    """One sentence tells one direction between two companies: where two patterns read the same
    pair both ways ("X's other tenant, Y, took 4 MW at the company's site"), the one that names the
    role (tenant, customer, client) wins over one read from word order; otherwise both stay for the
    cross-article vote to settle."""
    known = [c for c in claims if c.roles_known and c.provider and c.customer and c.provider != DESCRIPTOR]
    drop: set[int] = set()
    for c in known:
        for d in known:
            if (c.provider, c.customer) == (d.customer, d.provider) and c.names_role and not d.names_role:
                drop.add(id(d))
    return [c for c in claims if id(c) not in drop]


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
    claim.names_role = bool(row.get("names_role"))
    claim.in_passing = bool(row.get("in_passing"))
    claim.standing = bool(row.get("standing"))
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
    r"Friday|Saturday|Sunday|week|month|year|day)\s*,?\s*|in\s+(?:(?:early|late|mid-?)\s*)?(?:January|February|March|"
    r"April|May|June|July|August|September|October|November|December|\d{4})(?:\s+\d{4})?\s*,?\s*)?(?:for\s+(?:access\s+to|use\s+of|the\s+use\s+of|compute|computing|capacity|GPUs?|cloud)|"
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


#: "both ⟦c0⟧ and ⟦c1⟧ rent GPUs from …": names coordinated before a clause's first slot, which
#: itself opens the clause (sentence start, a colon, a semicolon, ", and", "both", "while").
_COORD_BEFORE = re.compile(
    r"(?:^|[:;]\s*|,\s*(?:and|but)\s+|\bboth\s+|\bwhile\s+|\bwhere\s+)(?:both\s+)?⟦(c\d+)⟧(?:\s+and\s+|\s*,\s*and\s+)$",
    re.IGNORECASE,
)


def _coordinated_before(
    row: dict[str, Any],
    slots: dict[str, str],
    table: dict[str, tuple[str, int, int]],
    before: str,
    later: str,
) -> list[tuple[str, str, tuple[int, int]]]:
    """A name coordinated with a directional rule's first slot plays the same role ("Kirkham and
    Yarrow rent GPUs from Halse": both rent). Undirected and counterpart rules are left alone."""
    first = next((k for k in slots if k != later), None)
    role = row.get(first) if first else None
    m = _COORD_BEFORE.search(before)
    if role not in ("customer", "provider") or not m or m.group(1) not in table:
        return []
    name, s, e = table[m.group(1)]
    if name in {table[v][0] for v in slots.values() if v in table}:
        return []
    return [(role, name, (s, e))]


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
