"""`dealwatch report`: one self-contained HTML file an analyst opens in a browser.

Deals as a sortable, filterable table, a timeline by date and value, and per deal its values,
sources, conflicts and the sentences behind them. The page loads nothing from anywhere: CSS,
script and SVG are inline. Titles and sentences come from the web, so the templates autoescape.
"""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from flows.report_data import ReportData, field_label, load_report
from flows.report_timeline import build_timeline
from flows.terminal import cell_text
from reconciliation.explain import format_money
from storage.db import open_for_reading

TEMPLATES = Path(__file__).resolve().parent / "templates"


def _environment() -> Environment:
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


def render_report(data: ReportData) -> str:
    """The report page for ``data`` as one HTML string."""
    template = _environment().get_template("report.html.j2")
    rows = [d.row for d in data.deals]
    disputed = {r["deal_id"] for r in rows if r.get("open_conflicts")}
    return template.render(data=data, timeline=build_timeline(rows), disputed=disputed)


def write_report(db_path: str | Path, out_path: str | Path) -> Path:
    """Read the database (its snapshot when current) and write the report to ``out_path`` atomically,
    so a browser reloading it never sees half a page."""
    con = open_for_reading(db_path)
    try:
        html = render_report(load_report(con, str(db_path)))
    finally:
        con.close()
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp{os.getpid()}")
    tmp.write_text(html, encoding="utf-8")
    os.replace(tmp, out)
    return out


def report_path(db_path: str | Path) -> Path:
    """Where each run writes the report: beside the database, `<db>.report.html`."""
    db = Path(db_path)
    return db.with_name(db.name + ".report.html")
