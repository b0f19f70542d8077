"""Progress while a run works: live bars with counts and rate on a terminal, plain lines otherwise."""

from __future__ import annotations

import io
import re

from flows.progress import RunProgress


def _run(progress: RunProgress) -> None:
    progress("reading 1 source(s)")
    progress.expect("fetch", 3)
    for _ in range(3):
        progress.advance("fetch")
    progress.expect("extract", 2, more=True)
    progress.expect("extract", 2, more=True)
    progress.advance("extract", 4)
    progress("extracted 4/4 articles")
    progress.close()


def test_not_a_terminal_gets_plain_lines_only() -> None:
    out = io.StringIO()
    _run(RunProgress(stream=out))
    assert out.getvalue() == "· reading 1 source(s)\n· extracted 4/4 articles\n"


def test_a_terminal_gets_bars_with_counts_and_rate() -> None:
    out = io.StringIO()
    _run(RunProgress(stream=out, live=True))
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", out.getvalue())
    assert "reading 1 source(s)" in text and "extracted 4/4 articles" in text
    assert re.search(r"fetch .*3/3", text) and re.search(r"extract .*4/4", text)
    assert re.search(r"\d/s", text), "a rate is shown"


def test_quiet_prints_nothing() -> None:
    out = io.StringIO()
    _run(RunProgress(quiet=True, stream=out, live=True))
    assert out.getvalue() == ""
