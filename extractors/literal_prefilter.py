"""Which literal text a compiled pattern cannot match without, read from the pattern itself.

Most role patterns need a verb or noun ("pay", "lease", "access to") that most sentences lack;
trying ~170 patterns on every sentence with companies cost more than anything else in the rules.
:func:`required_literals` walks the parsed pattern (``re``'s own parser) and returns clauses: each
a set of lower-case ASCII strings of which one must occur in any text the pattern matches. It is a
necessary condition derived from the pattern, so skipping a pattern whose clause fails can never
change a result; patterns and word lists stay in their data files.

Case: the check runs on :func:`folded` text, where every character that ``re.IGNORECASE`` lets
match an ASCII letter (``K`` Kelvin sign, ``ſ``, dotless ``ı``, ``İ``) is first mapped to it, then
lower-cased; a text with a character beyond the Basic Multilingual Plane is not filtered at all.
"""

from __future__ import annotations

import re
import re._constants as C  # noqa: N812 - re's own parser, so the reading matches re's
import re._parser as sre
from collections.abc import Iterable, Mapping
from functools import lru_cache

from extractors.alternation import literal_alternation, top_level_bar

#: Most strings one run of exact items may expand to (``pa(?:y|ys|id)`` → pay, pays, paid).
_MAX_STRINGS = 48
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")

#: A macro spliced where a quantifier follows is read in place, not as a unit.
_QUANTIFIER = re.compile(r"[?*+]|\{\d*(?:,\d*)?\}")
#: Private-use characters stand for macros while a template is parsed.
_MARK = 0xE000

Clause = frozenset[str]
_Exact = set[str] | None
_Atoms = Mapping[int, tuple[_Exact, list[Clause]]]


def folded(text: str) -> str | None:
    """The text as the clauses are checked against it; None when it cannot be filtered."""
    if not text.isascii() and _ASTRAL.search(text):
        return None
    if not text.isascii():
        text = text.translate(_letters())
    return text.lower()


@lru_cache(maxsize=1)
def _letters() -> dict[int, str]:
    """Each non-ASCII BMP character that ``re.IGNORECASE`` matches to an ASCII letter → that letter."""
    any_letter = re.compile("[a-z]", re.IGNORECASE)
    found = [chr(c) for c in range(0x80, 0x10000) if any_letter.fullmatch(chr(c))]
    return {
        ord(ch): next(a for a in "abcdefghijklmnopqrstuvwxyz" if re.fullmatch(a, ch, re.I)) for ch in found
    }


def required_literals(
    pattern: re.Pattern[str], template: str | None = None, macros: Mapping[str, str] | None = None
) -> tuple[Clause, ...]:
    """Clauses (sets of lower-case strings, one of each must occur) of a pattern; most selective
    first. Empty when nothing is required (the pattern is always tried).

    When the pattern was written as ``template`` with ``macros`` spliced in (each replaced in
    order, as text), each macro is read once and stands as a unit in the template: the same
    reading as the spliced pattern's, at a fraction of the cost; any doubt reads the pattern."""
    tree = _template_tree(pattern, template, macros or {}) if template is not None else None
    items, atoms = tree or (sre.parse(pattern.pattern, pattern.flags), {})
    exact, clauses = _sequence(items, atoms)
    if exact is not None and "" not in exact:
        clauses.append(frozenset(exact))
    useful = {_shortest(c) for c in clauses if c and "" not in c}
    return tuple(sorted(useful, key=lambda c: (-min(map(len, c)), len(c), sorted(c))))


def _template_tree(
    pattern: re.Pattern[str], template: str, macros: Mapping[str, str]
) -> tuple[sre.SubPattern, dict[int, tuple[_Exact, list[Clause]]]] | None:
    """The template parsed with a mark for each macro that is a unit there, and what each mark
    requires; None when the template does not splice to the pattern exactly."""
    units = _units(tuple(macros.items()))
    if units is None or any(_MARK <= ord(ch) < _MARK + 0x100 for ch in template):
        return None
    spliced, marked, atoms = template, template, {}
    for k, (name, rx) in enumerate(macros.items()):
        spliced = spliced.replace(name, rx)
        if not units[k]:
            marked = marked.replace(name, rx)
            continue
        head, *rest = marked.split(name)
        marked = head + "".join((rx if _QUANTIFIER.match(part) else chr(_MARK + k)) + part for part in rest)
        atoms[_MARK + k] = _macro(rx, pattern.flags)
    if spliced != pattern.pattern:
        return None
    return sre.parse(marked, pattern.flags), atoms


@lru_cache(maxsize=8)
def _units(macros: tuple[tuple[str, str], ...]) -> tuple[bool, ...] | None:
    """Per macro, whether it can stand as a unit (no alternation at its top level); None when a
    macro names another or holds a mark character (then every pattern is read in full)."""
    if any(name in rx for name, _ in macros for _, rx in macros) or any(
        _MARK <= ord(ch) < _MARK + 0x100 for _, rx in macros for ch in rx
    ):
        return None
    return tuple(not top_level_bar(rx) for _, rx in macros)


@lru_cache(maxsize=256)
def _macro(rx: str, flags: int) -> tuple[_Exact, list[Clause]]:
    return _sequence(sre.parse(rx, flags), {})


def names_alternation(names: Iterable[str]) -> str:
    """Word-bounded alternation of names, longest first, behind a lookahead for their first
    letters: the same matches (every match starts with one of them), but ``re`` tries the long
    alternation only where a name can start (half the CPU of the gazetteer's pattern)."""
    alts = sorted(names, key=len, reverse=True)
    starts = "".join(sorted({re.escape(n[0]) for n in alts})) if all(alts) else ""
    guard = f"(?=[{starts}])" if starts else ""
    return guard + r"(?<![\w-])(?:" + "|".join(re.escape(n) for n in alts) + r")(?![\w-])"


def _shortest(clause: Clause) -> Clause:
    """The clause without strings that hold another of its strings (it occurs wherever they do)."""
    return frozenset(s for s in clause if not any(t != s and t in s for t in clause))


class LiteralIndex:
    """Which of a list of patterns a text may match, by the strings their clauses need.

    Each pattern is listed under the strings of its most selective clause, so one pass over those
    strings names the few patterns worth trying; only those have their other clauses checked.
    """

    def __init__(
        self, patterns: Iterable[tuple[re.Pattern[str], str | None]], macros: Mapping[str, str] | None = None
    ) -> None:
        """``patterns``: each compiled pattern with the template it was spliced from (or None)."""
        self._needs = [required_literals(p, template, macros) for p, template in patterns]
        self._always = {i for i, needs in enumerate(self._needs) if not needs}
        self._by_string: dict[str, list[int]] = {}
        for i, needs in enumerate(self._needs):
            for s in needs[0] if needs else ():
                self._by_string.setdefault(s, []).append(i)
        self._scan, self._starts_with = _string_scan({s for needs in self._needs for c in needs for s in c})

    def candidates(self, text: str) -> set[int]:
        """Indices of the patterns that may match the text; the others cannot."""
        low = folded(text)
        if low is None:
            return set(range(len(self._needs)))
        if self._scan is None:
            hit = set(self._always)
            for s, ids in self._by_string.items():
                if s in low:
                    hit.update(ids)
            memo: dict[Clause, bool] = {}
            return {i for i in hit if _holds(self._needs[i][1:], low, memo)}
        present: set[str] = set()
        for longest in set(self._scan.findall(low)):
            present |= self._starts_with[longest]
        hit = set(self._always)
        for s in present:
            hit.update(self._by_string.get(s, ()))
        return {i for i in hit if all(not present.isdisjoint(c) for c in self._needs[i][1:])}


def _string_scan(strings: set[str]) -> tuple[re.Pattern[str] | None, dict[str, frozenset[str]]]:
    """One scan that tells which of the strings occur in a text (what ``s in text`` for each would).

    Strings that occur at one position all start that position, so each is a prefix of the longest
    one there: a lookahead over the strings, longest first, finds that one at every position, and
    stands for every listed string it starts with. One pass in ``re`` instead of a test per string
    (hundreds for the role patterns, on every sentence with a company)."""
    if not strings or "" in strings:
        return None, {}
    ordered = sorted(strings, key=lambda s: (-len(s), s))
    scan = re.compile("(?=(" + literal_alternation(ordered) + "))")
    return scan, {x: frozenset(s for s in ordered if x.startswith(s)) for x in ordered}


def can_match(pattern: re.Pattern[str], text: str) -> bool:
    """False only when the pattern cannot match anywhere in the text: a string it needs is
    missing. A cheap test before a full scan with a long case-insensitive alternation."""
    low = _folded_once(text)
    return low is None or _holds(_needs(pattern), low, {})


@lru_cache(maxsize=64)
def _needs(pattern: re.Pattern[str]) -> tuple[Clause, ...]:
    return required_literals(pattern)


@lru_cache(maxsize=16)
def _folded_once(text: str) -> str | None:
    """:func:`folded`, kept for the few extractors that test the same sentence in turn."""
    return folded(text)


def _holds(clauses: Iterable[Clause], text: str, memo: dict[Clause, bool]) -> bool:
    """Whether the folded text holds one string of every clause (``memo`` is per text)."""
    for clause in clauses:
        hit = memo.get(clause)
        if hit is None:
            hit = memo[clause] = any(s in text for s in clause)
        if not hit:
            return False
    return True


def _sequence(items: Iterable[tuple[object, object]], atoms: _Atoms) -> tuple[_Exact, list[Clause]]:
    """Exact strings of a sequence (when it matches only a few fixed strings) and its clauses."""
    clauses: list[Clause] = []
    run: set[str] = {""}
    exact_all = True
    for op, av in items:
        exact, inner = _node(op, av, atoms)
        clauses.extend(inner)
        if exact is not None and len(run) * len(exact) <= _MAX_STRINGS:
            run = {a + b for a in run for b in exact}
            continue
        clauses.append(frozenset(run))
        if exact is None:
            exact_all, run = False, {""}
        else:
            exact_all, run = False, set(exact)
    clauses.append(frozenset(run))
    return (run if exact_all else None), clauses


def _node(op: object, av: object, atoms: _Atoms) -> tuple[_Exact, list[Clause]]:
    """One parsed item: its exact strings (or None) and the clauses it requires."""
    if op is C.LITERAL and av in atoms:
        exact, clauses = atoms[av]  # type: ignore[index]
        return (set(exact) if exact is not None else None), list(clauses)
    if op is C.LITERAL:
        ch = chr(av)  # type: ignore[arg-type]
        return ({ch.lower()} if ch.isascii() else None), []
    if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
        return {""}, []  # zero width: the text around it is contiguous
    if op is C.IN:
        return _char_set(av), []  # type: ignore[arg-type]
    if op is C.SUBPATTERN:
        return _sequence(av[3], atoms)  # type: ignore[index]
    if op is C.ATOMIC_GROUP:
        return _sequence(av, atoms)  # type: ignore[arg-type]
    if op is C.BRANCH:
        return _branch(av[1], atoms)  # type: ignore[index]
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
        low, high, sub = av  # type: ignore[misc]
        exact, inner = _sequence(sub, atoms)
        if low == 0:
            return ((exact | {""}) if exact is not None and high == 1 else None), []
        return (exact if exact is not None and low == high == 1 else None), inner
    return None, []


def _char_set(items: list[tuple[object, object]]) -> _Exact:
    out: set[str] = set()
    for op, av in items:
        if op is not C.LITERAL or not chr(av).isascii():  # type: ignore[arg-type]
            return None
        out.add(chr(av).lower())  # type: ignore[arg-type]
    return out or None


def _branch(alternatives: list[list[tuple[object, object]]], atoms: _Atoms) -> tuple[_Exact, list[Clause]]:
    """Exact strings when every alternative has them; else one clause: a required string of each."""
    parts = [_sequence(alt, atoms) for alt in alternatives]
    if all(exact is not None for exact, _ in parts):
        return set().union(*(exact for exact, _ in parts if exact is not None)), []
    union: set[str] = set()
    for exact, clauses in parts:
        best = _best([*clauses, *([frozenset(exact)] if exact is not None else [])])
        if best is None:
            return None, []
        union |= best
    return None, [frozenset(union)]


def _best(clauses: list[Clause]) -> Clause | None:
    useful = [c for c in clauses if c and "" not in c]
    return max(useful, key=lambda c: (min(map(len, c)), -len(c)), default=None)


def first_char_guard(pattern: str, flags: int = 0) -> str:
    """The pattern behind a lookahead for the characters its matches can start with, or the
    pattern itself when that set is not known for sure. Same matches: the lookahead holds wherever
    the pattern can match; ``re`` then skips most positions without trying a leading lookbehind
    and a long alternation (a pattern that opens with a lookbehind gets no such skip from ``re``)."""
    first = _first_items(list(sre.parse(pattern, flags)))
    if first is None or first[1] or not first[0]:
        return pattern
    return "(?=[" + "".join(dict.fromkeys(first[0])) + "])" + pattern


_CATEGORIES = {C.CATEGORY_DIGIT: r"\d", C.CATEGORY_WORD: r"\w", C.CATEGORY_SPACE: r"\s"}


def _first_items(seq: list[tuple[object, object]]) -> tuple[list[str], bool] | None:
    """Class items for every character a match of the sequence can start with, and whether it
    can match the empty string; None if unsure (an inline flag, a negated class, any character)."""
    out: list[str] = []
    for op, av in seq:
        found = _first_of(op, av)
        if found is None:
            return None
        out += found[0]
        if not found[1]:
            return out, False
    return out, True


def _first_of(op: object, av: object) -> tuple[list[str], bool] | None:
    if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
        return [], True  # zero width: the first character comes later
    if op is C.LITERAL:
        return [re.escape(chr(av))], False  # type: ignore[arg-type]
    if op is C.IN:
        items = _class_items(av)  # type: ignore[arg-type]
        return None if items is None else (items, False)
    if op is C.SUBPATTERN:
        return None if av[1] or av[2] else _first_items(list(av[3]))  # type: ignore[index]
    if op is C.BRANCH:
        alts = [_first_items(list(alt)) for alt in av[1]]  # type: ignore[index]
        if any(a is None for a in alts):
            return None
        return [i for a in alts for i in a[0]], any(a[1] for a in alts)  # type: ignore[index]
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
        inner = _first_items(list(av[2]))  # type: ignore[index]
        return None if inner is None else (inner[0], inner[1] or av[0] == 0)  # type: ignore[index]
    return None


def _class_items(items: list[tuple[object, object]]) -> list[str] | None:
    out = []
    for op, av in items:
        if op is C.LITERAL:
            out.append(re.escape(chr(av)))  # type: ignore[arg-type]
        elif op is C.RANGE:
            out.append(re.escape(chr(av[0])) + "-" + re.escape(chr(av[1])))  # type: ignore[index]
        elif op is C.CATEGORY and av in _CATEGORIES:
            out.append(_CATEGORIES[av])  # type: ignore[index]
        else:
            return None
    return out
