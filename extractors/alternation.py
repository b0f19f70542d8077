"""Long alternations written so that Python's regex engine tries fewer of their branches.

At each position ``re`` tries an alternation's branches one by one: a list of hundreds of cue
words or company names costs hundreds of first-character tests per word of every article.
Grouped under their first character (``a(?:cme|rgo)|b(?:eta)``) only the branches that can
match there are tried. Branches keep their order within a group, and a branch of another
group cannot match where the first character differs, so the branch the engine settles on
(and so every match, its end and its groups' text) is the one the flat alternation finds.
That holds for patterns compiled without IGNORECASE (the gate's: it lowers the text instead);
ignoring case, "A…" and "a…" groups could both match at one position in another order.
"""

from __future__ import annotations

import re
from re import _parser  # type: ignore[attr-defined]  # the stdlib's own parser: no second grammar


def literal_alternation(names: list[str]) -> str:
    """Regex source matching what ``"|".join(map(re.escape, names))`` matches."""
    return grouped_alternation([re.escape(n) for n in names])


def _first_literal(fragment: str) -> str | None:
    """The plain character a regex fragment starts with when the rest of it can be written after
    that character unchanged (no quantifier on it, no top-level ``|``), else None."""
    if not fragment or not (fragment[0].isalnum() or fragment[0] == " "):
        return None
    if top_level_bar(fragment):
        return None
    try:
        parsed = _parser.parse(fragment)
    except re.error:
        return None
    if parsed.state.groups > 1 or "\\" in fragment and re.search(r"\\\d|\(\?P=", fragment):
        return None  # capturing groups or backreferences: numbering would change
    first = parsed[0] if len(parsed) else None
    if first is None or first[0] is not _parser.LITERAL or first[1] != ord(fragment[0]):
        return None
    return fragment[0]


def top_level_bar(fragment: str) -> bool:
    """Whether the fragment is itself an alternation outside any group ("ab|cd"): it cannot be
    prefixed or spliced into another pattern as a unit."""
    depth, i, n = 0, 0, len(fragment)
    while i < n:
        ch = fragment[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":  # a class: its "|" and parentheses are plain characters
            i += 2 if fragment[i + 1 : i + 2] == "^" else 1
            i += 1 if fragment[i : i + 1] == "]" else 0
            while i < n and fragment[i] != "]":
                i += 2 if fragment[i] == "\\" else 1
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            return True
        i += 1
    return False


def grouped_alternation(fragments: list[str]) -> str:
    """Regex source matching what ``"|".join(fragments)`` matches, with each run of fragments that
    start with a plain character grouped by that character (a fragment that may start with
    anything keeps its place between the runs, so the order of branches that can match at any
    one position is unchanged)."""
    parts: list[str] = []
    run: dict[str, list[str]] = {}

    def flush() -> None:
        parts.extend(
            first + "(?:" + "|".join(rests) + ")" if len(rests) > 1 else first + rests[0]
            for first, rests in run.items()
        )
        run.clear()

    for fragment in fragments:
        first = _first_literal(fragment)
        if first is None:
            flush()
            parts.append(fragment)
        else:
            run.setdefault(first, []).append(fragment[1:])
    flush()
    return "|".join(parts)
