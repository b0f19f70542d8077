"""Statuses are written and read through the enums of extractors/models.py, never as bare strings.

A status typed twice drifts: a reader that filters on 'acknowleged' or a writer that stores
'interupted' fails silently, and an analyst's `WHERE status = …` stops matching. This scans the
product code for a status value written as a literal where a status is meant: quoted inside SQL
text, compared with, assigned or passed as a status. The enum module itself and docstrings and
comments (which explain the values in words) are not scanned; `storage/views.sql` and the
migrations are plain SQL files, outside this scan.
"""

from __future__ import annotations

import ast
import re
from enum import StrEnum
from pathlib import Path

import pytest

from extractors import models

ROOT = Path(__file__).resolve().parent.parent
SCANNED = ("flows", "storage", "reconciliation")
STATUS_ENUMS = [
    obj
    for obj in vars(models).values()
    if isinstance(obj, type) and issubclass(obj, StrEnum) and obj is not StrEnum
]
VALUES = frozenset(m.value for enum in STATUS_ENUMS for m in enum)
SQL_QUOTED = re.compile("'(" + "|".join(re.escape(v) for v in sorted(VALUES, key=len, reverse=True)) + ")'")


def _docstrings(tree: ast.AST) -> set[int]:
    """ids of the string nodes that are docstrings (module, class, function)."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                out.add(id(body[0].value))
    return out


def _status_slots(tree: ast.AST) -> set[int]:
    """ids of the string constants that stand where a status is meant: compared with anything,
    assigned to or passed as ``status``, the value of a ``"status"`` key."""
    slots: set[int] = set()

    def take(node: ast.AST | None) -> None:
        if node is None:
            return
        if isinstance(node, ast.Tuple | ast.List | ast.Set):
            for elt in node.elts:
                take(elt)
        elif isinstance(node, ast.IfExp):
            take(node.body)
            take(node.orelse)
        elif isinstance(node, ast.BoolOp):
            for v in node.values:
                take(v)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            slots.add(id(node))

    def named_status(target: ast.AST) -> bool:
        name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
        return name == "status" or name.endswith("_status")

    def statusish(expr: ast.AST) -> bool:
        """``status``, ``x.status``, ``x.fetch_status``, ``row["status"]``, ``row.get("status")``."""
        if isinstance(expr, ast.Name | ast.Attribute):
            return named_status(expr)
        if isinstance(expr, ast.Subscript):
            return isinstance(expr.slice, ast.Constant) and expr.slice.value == "status"
        if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr == "get":
            return any(isinstance(a, ast.Constant) and a.value == "status" for a in expr.args[:1])
        return False

    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            parts = (node.left, *node.comparators)
            if any(statusish(part) for part in parts):
                for part in parts:
                    take(part)
        elif isinstance(node, ast.keyword) and node.arg and named_status(ast.Name(node.arg)):
            take(node.value)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple):
                    for t, v in zip(target.elts, node.value.elts, strict=False):
                        if named_status(t):
                            take(v)
                elif named_status(target):
                    take(node.value)
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if isinstance(key, ast.Constant) and key.value == "status":
                    take(value)
        elif isinstance(node, ast.arguments):
            pairs = zip(reversed(node.args), reversed(node.defaults), strict=False)
            for arg, default in [*pairs, *zip(node.kwonlyargs, node.kw_defaults, strict=True)]:
                if named_status(ast.Name(arg.arg)):
                    take(default)
    return slots


def status_literals(source: str, name: str) -> list[str]:
    """Each place in ``source`` (the text of file ``name``) where a status value is written as a
    literal, as 'name:line: text'."""
    tree = ast.parse(source)
    skip, slots = _docstrings(tree), _status_slots(tree)
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Constant) or not isinstance(node.value, str) or id(node) in skip:
            continue
        quoted = SQL_QUOTED.search(node.value)
        if quoted or (id(node) in slots and node.value in VALUES):
            text = quoted.group(0) if quoted else repr(node.value)
            found.append(f"{name}:{node.lineno}: {text}")
    return found


def test_the_scan_covers_every_status_enum() -> None:
    names = {e.__name__ for e in STATUS_ENUMS}
    assert {"ArticleStatus", "RunStatus", "ConflictStatus", "DealStatus", "Agreement", "FetchStatus"} <= names
    assert {"acknowledged", "candidate", "interrupted", "not_modified"} <= VALUES


@pytest.mark.parametrize(
    "source",
    [
        "x = con.execute(\"SELECT 1 FROM conflicts WHERE status = 'acknowledged'\")",
        'if run.status == "interrupted":\n    pass',
        'if row["status"] in ("ok", "skipped"):\n    pass',
        'row = {"status": "candidate" if bad else "deal"}',
        'def f(status="open"):\n    pass',
        'result.status = "not_modified"',
        'result.status, result.body = "error", None',
        'r = make(status="running")',
    ],
)
def test_the_scan_finds_a_status_literal(source: str) -> None:
    assert status_literals(source, "probe.py"), source


def test_the_scan_leaves_words_that_are_not_statuses() -> None:
    source = (
        '"""A run is \'running\' until it ends."""\n'
        'counts = {"failed": 1, "new": 2}\n'
        'log.info("the deal is open for review")\n'
        "x = summary['failed']\n"
        'if key in ("failed", "skipped"):\n    pass\n'
        "status = ConflictStatus.OPEN\n"
    )
    assert status_literals(source, "probe.py") == []


def test_no_status_literal_in_product_code() -> None:
    files = sorted(p for d in SCANNED for p in (ROOT / d).rglob("*.py"))
    assert len(files) > 30  # the scan found the product code
    found = [
        hit for p in files for hit in status_literals(p.read_text(encoding="utf-8"), str(p.relative_to(ROOT)))
    ]
    assert not found, "use the enums of extractors/models.py, not status strings:\n" + "\n".join(found)
