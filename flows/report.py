"""`dealwatch report`: one self-contained HTML file an analyst opens in a browser.

Deals as a sortable, filterable table, a timeline by date and value, and per deal its values,
sources, conflicts and the sentences behind them. The page loads nothing from anywhere: CSS,
script and SVG are inline. Titles and sentences come from the web, so the templates autoescape.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from flows.report_data import ReportData, field_label, load_report
from flows.report_timeline import build_timeline
from flows.terminal import cell_text
from reconciliation.explain import format_money
from storage.db import open_for_reading

TEMPLATES = Path(__file__).resolve().parent / "templates"
#: Template pieces joined per write to the page file.
WRITE_BATCH = 2000


@lru_cache(maxsize=1)
def _environment() -> Environment:
    """One environment per process, as Jinja2 advises: it keeps each template compiled (the
    report's took ~0.06 CPU-s to compile, ~0.15 the first time, with Jinja2's compiler's imports)
    and recompiles it when its file changes."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["money"] = lambda v, cur=None: format_money(v, cur) if v is not None else ""
    env.filters["cell"] = cell_text
    env.filters["label"] = field_label
    env.filters["iso"] = lambda v: v.isoformat() if isinstance(v, (date, datetime)) else ""
    env.filters["when"] = lambda v: v.strftime("%Y-%m-%d %H:%M") if isinstance(v, datetime) else cell_text(v)
    return env


def stream_report(data: ReportData) -> Iterator[str]:
    """The report page for ``data`` in pieces, in order, so the page is never held whole (at 10,000
    articles it is ~11 MB of UTF-8, twice that as a Python string, plus its parts while joined)."""
    template = _environment().get_template("report.html.j2")
    disputed = {r["deal_id"] for r in data.deals if r.get("open_conflicts")}
    return template.generate(data=data, timeline=build_timeline(data.deals), disputed=disputed)


def write_report(db_path: str | Path, out_path: str | Path) -> Path:
    """Read the database (its snapshot when current) and write the report to ``out_path`` atomically,
    so a browser reloading it never sees half a page. The page is written as it is rendered, each
    deal's evidence read as its section comes (the run's memory peak was this report, held whole)."""
    out = Path(out_path)
    tmp = out.with_name(f".{out.name}.tmp{os.getpid()}")
    con = open_for_reading(db_path)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        with tmp.open("w", encoding="utf-8") as f:
            f.writelines(_batched(stream_report(load_report(con, str(db_path)))))
        os.replace(tmp, out)
    finally:
        con.close()
        with contextlib.suppress(OSError):  # left only when writing failed: no half page beside it
            tmp.unlink(missing_ok=True)
    return out


def _batched(pieces: Iterator[str], size: int = WRITE_BATCH) -> Iterator[str]:
    """The template's many small pieces joined ``size`` at a time: fewer, larger writes."""
    batch: list[str] = []
    for piece in pieces:
        batch.append(piece)
        if len(batch) >= size:
            yield "".join(batch)
            batch.clear()
    yield "".join(batch)


def report_path(db_path: str | Path) -> Path:
    """Where each run writes the report: beside the database, `<db>.report.html`."""
    db = Path(db_path)
    return db.with_name(db.name + ".report.html")
