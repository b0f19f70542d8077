"""The run's first chunks sent to the workers while their batch is still being fetched.

With workers, nothing reaches them until the first batch is fetched and stored (flows.ingest):
measured at 1,000 articles on 2 workers, the first chunk started ~0.95 s into an ~11 s run, the
workers idle while this process fetched 250 pages. A HeadStart watches the first batch's fetches
and sends each full WORK_CHUNK of its documents to a worker as soon as the documents are in, in the
order the batch will have them. After the store, ``BatchRunner.submit`` keeps such a chunk only
where it is exactly the chunk the stored batch is cut into (same documents, same order), and
cancels it otherwise (a document the store finds already processed): the chunks, and so the
results, are those of a run without it, and of a run in one process, where it never starts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from extractors.models import FetchStatus
from flows import parallel, stages
from flows.fetch import FetchResult
from flows.parallel import BatchRunner, Early
from flows.sources import SourceItem
from storage.raw_document import RawDocument


class HeadStart:
    """Chunks of a batch sent ahead of its store (``on_done`` for its fetch; ``early`` after it).

    Only a batch of web pages alone (no local files, no stored or prefetched pages) is followed:
    its documents are then its pages that came back OK, in the batch's order (stages.collect_batch).
    """

    def __init__(self, runner: BatchRunner, plan: stages.Plan, items: list[SourceItem]) -> None:
        self._runner = runner
        self._items: dict[str, SourceItem] = {}
        prefetched = {r.url for r in plan.expanded.pages}
        followed = runner.distributed
        for item in items:
            if item.kind == "file" or item.location in prefetched or item.location in plan.pending:
                followed = False
            self._items.setdefault(item.location, item)
        self._order = list(self._items) if followed else []
        self._next = 0
        self._arrived: dict[str, FetchResult] = {}
        self._docs: list[RawDocument] = []
        self.early: list[Early] = []

    def on_done(self, result: FetchResult) -> None:
        """One fetch has ended: send every chunk whose documents, in order, are now all in."""
        if self._next >= len(self._order):
            return
        self._arrived[result.url] = result
        while self._next < len(self._order) and self._order[self._next] in self._arrived:
            url = self._order[self._next]
            got = self._arrived.pop(url)
            self._next += 1
            if got.status == FetchStatus.OK and got.body is not None:
                self._docs.append(stages.raw_document(got, self._items[url]))
            if len(self._docs) == parallel.WORK_CHUNK:  # read now: tests set it
                self.early.append(self._runner.send_ahead(self._docs))
                self._docs = []


def both(*calls: Callable[[Any], None] | None) -> Callable[[Any], None]:
    """One ``on_done`` that tells each of ``calls`` (a None is skipped)."""

    def told(result: Any) -> None:
        for call in calls:
            if call is not None:
                call(result)

    return told
