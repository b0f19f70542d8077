"""Descriptors and appositives: a sentence masked so one role pattern covers any name.

Each company is replaced by a placeholder ⟦c0⟧ and each descriptor ("the startup", "it", "its
founder's company") by ⟦d0⟧; appositive divisions and defined terms ("(the Lessee)") become aliases.
Descriptors are resolved to the main deal's party later (extractors.mentions).
"""

from __future__ import annotations

import re

from extractors.party_names import CompanyMention
from extractors.vocabulary import word_alternation

_TICKER_AFTER = re.compile(
    r"^\s*\((?:(?:NYSE|NASDAQ|Nasdaq|TSX|TSXV|LSE|AMEX|OTC|ASX|XETRA|Euronext|HKEX|SIX|TYO)(?:\s+[A-Za-z]+)?\s*:\s*([A-Z][A-Z0-9.]{0,6})\)"
    # an analyst's bare ticker, alone or before its rating: "Acme (ACMX)", "Acme (ACMX, Buy, PT $88)"
    r"|([A-Z]{3,5})(?:\)|,[^()]{0,40}\)))"
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


#: Descriptors that can stand in a role slot and refer to a company named elsewhere.
#: "…, which it leases from …", "… that they rent": a relative clause whose subject is a pronoun.
_RELATIVE_BEFORE = re.compile(r"\b(?:which|that)\s+$")

#: A sentence opening with a possessive pronoun and a compute asset or workload of its owner.
_ITS_WORK = re.compile(
    r"^(Its|Their)\s+(?:[\w-]+\s+){0,3}?(?:work|workloads?|models?|training|inference|clusters?|compute|"
    r"GPUs|servers|infrastructure|jobs|pipelines?|render(?:ing)?|racks|machines|hardware)\s+(?:runs?|ran|has\s+run|"
    r"is\s+run|was\s+run|lives?|lived|sits?|sat|will\s+sit|is\s+hosted|was\s+hosted|runs\s+today)\b"
)

#: A sentence opening with the owner's possessive and its landlord: "Its landlord is …".
_ITS_LANDLORD = re.compile(r"^(Its|Their)\s+(?:[\w-]+\s+){0,2}?(?:landlord|lessor)\b")

#: The owner's possessive before its customer list at a clause start: "Its customers include …",
#: "…; their clients are …".
_ITS_LIST = re.compile(
    r"(?:^|[;:]\s*|,\s*and\s+)([Ii]ts|[Tt]heir)\s+(?:[\w-]+\s+){0,2}?"
    rf"(?:{word_alternation('descriptors', 'its_list_nouns')})\b"
)


def _its_list(
    text: str, slots: list[tuple[int, int, str, str]], antecedent: str | None
) -> list[tuple[int, int, str, str]]:
    """A slot for "its" before a customer list or landlord: the sentence's first company when one
    comes before it ("X is small; its customers include …"), else the last sentence's subject."""
    m = _ITS_LIST.search(text)
    if m is None or any(sl[0] < m.end(1) and sl[1] > m.start(1) for sl in slots):
        return []
    before = [sl for sl in slots if sl[1] <= m.start(1) and sl[3] != DESCRIPTOR]
    name = min(before)[3] if before else antecedent
    return [(m.start(1), m.end(1), "d91", name)] if name else []


_DESCRIPTOR = re.compile(
    r"(?<!\bas\s)\b(?:[Tt]he|[Aa]n?|[Ii]ts|[Tt]his|[Tt]hat|[Bb]oth)\s+"
    # "the Round Rock, Texas-based hardware maker": a town and its region before the noun
    r"(?:[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){0,2},\s+(?=[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?-based\b))?"
    r"(?:[\w-]+\s+){0,3}?"
    rf"(?:{word_alternation('descriptors', 'company_nouns')})\b"
    # a role noun stands for a company only with a definite article ("the broker"), not "its landlord"
    r"|(?<!\bas\s)\b(?:[Tt]he|[Tt]his|[Tt]hat)\s+(?:[\w-]+\s+){0,2}?"
    rf"(?:{word_alternation('descriptors', 'definite_role_nouns')})\b"
    r"|\b[A-Z][\w-]+(?:'s|’s)\s+(?:[\w-]+\s+){0,3}?"
    rf"(?:{word_alternation('descriptors', 'possessive_company_nouns')})\b"
    r"|\b(?:[Ii]t|[Tt]hey)\b(?!['’])"
    # a company speaking in the first person (a call transcript, an interview): "So in June we signed X"
    r"|(?<![\w'’])[Ww]e\b(?!['’])"
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


DESCRIPTOR = "<descriptor>"


_COMPOUND_AFTER = re.compile(
    r"^[-\s]+(?:agreements?|contracts?|deals?|relationships?|base|list|wins?|concentration)\b"
)


#: A pronoun that opens a coordinated clause ("…, and it will use …"): that clause's subject.
_NEW_CLAUSE_BEFORE = re.compile(r"(?:,\s*(?:and|but|while|so)|;)\s+$")


_GIVES_ACCESS_BEFORE = re.compile(r",\s*(?:giving|which\s+gives|that\s+gives|allowing|letting|enabling)\s+$")


_ROLE_PREDICATE = re.compile(
    rf"^(?:[Tt]he|[Aa]n?)\s+(?:[\w-]+\s+){{0,3}}?(?:{word_alternation('descriptors', 'role_predicate_nouns')})$"
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


#: A pronoun object right after its clause's subject name: "⟦c1⟧ signed up with (it)", "⟦c1⟧ moved to (it)".
_OBJECT_AFTER_SUBJECT = re.compile(
    r"^\s+(?:(?:has|had|have|also|already|since|then|later)\s+)*[a-z]+(?:\s+(?:up|on|in|over|out))?"
    r"(?:\s+[\w-]+){0,3}?\s+(?:with|to|from|by|through|via|on|for|at)\s+$"
)
_CLAUSE_START = re.compile(r"(?:^|[:;]\s*|,\s*(?:and|but|while)\s+|\.\s+)(?:[Bb]oth\s+)?$")
_AND = re.compile(r"^(?:\s*,\s*|\s+and\s+|\s*,\s*and\s+)$")


#: Between a clause's subject name and "the company's": a verb phrase with no comma or clause break,
#: then the possessive ("⟦c0⟧ already occupies 5 MW of the company's first hall").
#: A clause link between them ("Amazon shares rose after the company's unit signed …") starts another
#: clause, whose subject the company may well be.
_OWNER_AFTER_VERB = re.compile(
    r"^\s+(?:(?!(?:after|when|because|as|while|since|before|until|once|if|that|which|who|and|but|so|said|says)\b)"
    r"[\w$.%-]+\s+){1,8}?\0(?:'s|’s)\s"
)


#: Descriptors that stand for a company named in an earlier sentence.
_ANAPHOR = re.compile(rf"\b(?:{word_alternation('descriptors', 'anaphor_nouns')})$")


def _object_pronoun(
    text: str, offset: int, d: re.Match[str], companies: list[CompanyMention], antecedent: str | None
) -> str | None:
    """The company an object pronoun stands for when the name right before it is its own clause's
    subject ("… for a year: Y signed up with it"): a pronoun never refers to its clause's subject, so
    it is the company named before that one, or the last sentence's subject."""
    before = [c for c in companies if c.end - offset <= d.start()]
    if not before:
        return None
    if not _OBJECT_AFTER_SUBJECT.match(text[before[-1].end - offset : d.start()]):
        return None
    first = len(before) - 1  # "Both A and B rent GPUs from the company": the whole subject
    while first and _AND.match(text[before[first - 1].end - offset : before[first].start - offset]):
        first -= 1
    if not _CLAUSE_START.search(text[: before[first].start - offset]):
        return None
    subject = {c.text for c in before[first:]}
    others = [c.text for c in before[:first] if c.text not in subject]
    return others[-1] if others else antecedent


def _pronoun_name(
    text: str,
    offset: int,
    d: re.Match[str],
    companies: list[CompanyMention],
    slots: list[tuple[int, int, str, str]],
    antecedent: str | None,
    name: str,
) -> str:
    """The company a pronoun ("it", "they") or an object "the company" stands for, by where it sits:
    the name before it, the subject of the clause before, the sentence's subject in a relative clause
    or after "giving", never its own clause's subject, else a reference before it or the last
    sentence's subject."""
    head = text[: d.start()]
    before = [c for c in companies if c.end - offset <= d.start()]
    if d.group().lower() not in ("it", "they"):
        return _object_pronoun(text, offset, d, companies, antecedent) or name
    if before:  # "Crusoe said it will deliver …": the pronoun is the name before it
        name = before[-1].text
    if len(before) > 1 and _OBJECT_SLOT.search(text[before[-1].end - offset : d.start()]):
        # "OpenAI has a deal with X, and Y agreed to supply it with …": an object pronoun is not
        # its own clause's subject (Y) but the sentence's topic
        name = before[0].text
    first = min((sl for sl in slots if sl[1] <= d.start()), default=None)
    if first is not None and _NEW_CLAUSE_BEFORE.search(head):
        name = first[3]  # "X signed with Y …, and it will use …": the subject of the clause before
    if first is not None and _RELATIVE_BEFORE.search(head) and SUBJECT_SLOT.match(text[: first[0]]):
        # "X serves Y from its hall, which it leases from Z": the pronoun inside a relative
        # clause is not the thing the clause describes but the sentence's subject
        name = first[3]
    if before and _GIVES_ACCESS_BEFORE.search(head):
        name = before[0].text  # "X signed a deal with Y, giving it access to …": 'it' is the subject X
    name = _object_pronoun(text, offset, d, companies, antecedent) or name
    if name == DESCRIPTOR and not any(sl[0] < d.start() for sl in slots if sl[2].startswith("c")):
        earlier = [sl[3] for sl in slots if sl[0] < d.start() and sl[3] != DESCRIPTOR]
        if earlier or antecedent:  # "The reseller rents capacity it leases …": the reference before it
            name = earlier[-1] if earlier else antecedent  # type: ignore[assignment]
    return name


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
        if (
            nxt is not None
            and re.search(r"(?:customer|client|tenant)$", d.group())
            and re.fullmatch(r"\s+(?:of|at)\s+", follow[: nxt - d.end()])
        ):
            continue  # "The first tenant of Acme's campus was X": a role of the named owner, told later
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
            between = text[before[-1].end - offset : d.start()] if before else ""
            if before and (
                _OWNER_AFTER_VERB.match(between + "\0" + follow)
                or (antecedent and _OBJECT_AFTER_SUBJECT.match(between.removeprefix(",")))
            ):
                # "Acme has rented the company's GPUs", "Acme rents GPUs from the company": an object
                # of the name's own verb is someone else (the writer would say "its" for itself): a
                # company named before that subject ("Zed's tenant, Acme, took … at the company's
                # building"), else the last sentence's subject
                others = [c.text for c in before[:-1] if c.text != before[-1].text]
                name = others[-1] if others else antecedent or DESCRIPTOR
        if d.group().lower() in ("it", "they", "the company", "the firm"):
            name = _pronoun_name(text, offset, d, companies, slots, antecedent, name)
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
    its = (_ITS_WORK.match(text) or _ITS_LANDLORD.match(text)) if antecedent else None
    if its and not any(s[0] < its.end(1) for s in slots):
        # "Its earlier render work ran on X": the possessor is the last sentence's subject
        slots.append((0, its.end(1), "d90", antecedent))
    elif not its:
        slots.extend(_its_list(text, slots, antecedent))
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
            pairs.append((t.group(1) or t.group(2), table[m.group(1)][0]))
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
