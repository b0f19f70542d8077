"""What a run tells the user while it works, on stderr.

On a terminal: a bar per stage (fetch, extract) with counts, rate and elapsed time (rich), and the
few stage lines above it. Otherwise (a log file, a pipe, a test): the same stage lines as plain
text, ``· message``, and no control characters. Nothing at all when quiet.
"""

from __future__ import annotations

import sys
from typing import TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
)
from rich.text import Text


class RateColumn(ProgressColumn):
    """Items per second (rich's own speed column speaks in bytes)."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.1f}/s" if speed else "", style="progress.data.speed")


class RunProgress:
    """Stage lines plus, on a terminal, live bars; callable with a message like a plain printer."""

    def __init__(self, quiet: bool = False, stream: TextIO | None = None, live: bool | None = None) -> None:
        self.quiet = quiet
        self.stream = stream or sys.stderr
        interactive = live if live is not None else _isatty(self.stream)
        self._bar: Progress | None = None
        self._tasks: dict[str, int] = {}
        if interactive and not quiet:
            self._bar = Progress(
                TextColumn("{task.description:<8}"),
                BarColumn(),
                MofNCompleteColumn(),
                RateColumn(),
                TimeElapsedColumn(),
                console=Console(file=self.stream, force_terminal=True),
                transient=False,
            )
            self._bar.start()

    def __call__(self, message: str) -> None:
        if self.quiet:
            return
        if self._bar is not None:
            self._bar.console.print(f"· {message}", highlight=False, markup=False)
        else:
            print(f"· {message}", file=self.stream, flush=True)

    def _task(self, stage: str) -> int | None:
        if self._bar is None:
            return None
        if stage not in self._tasks:
            self._tasks[stage] = self._bar.add_task(stage, total=0)
        return self._tasks[stage]

    def expect(self, stage: str, total: int, more: bool = False) -> None:
        """Set how many items ``stage`` will handle in all, or with ``more`` how many more (the
        articles to extract are known batch by batch)."""
        task = self._task(stage)
        if task is not None and self._bar is not None:
            if more:
                total += int(self._bar.tasks[task].total or 0)
            self._bar.update(task, total=total)

    def advance(self, stage: str, n: int = 1, *, to: int | None = None) -> None:
        """``n`` more items of ``stage`` done (or, with ``to``, that many in all)."""
        task = self._task(stage)
        if task is not None and self._bar is not None:
            if to is None:
                self._bar.advance(task, n)
            else:
                self._bar.update(task, completed=to)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
