"""Print a TableReport: one rich table per labeled set, then one line for all sets (or JSON)."""

from __future__ import annotations

import io
import json

from rich.console import Console
from rich.table import Table

from extractors.table_eval import FRAGMENT, RIGHT, SetScore, TableReport


def _pct(n: int, d: int) -> str:
    return f"{n}/{d} ({100 * n / d:.0f}%)" if d else f"{n}/0"


def set_table(s: SetScore) -> Table:
    """The numbers of one set, in the order an analyst would ask for them."""
    d = s.to_dict()
    t = Table(title=f"{s.name}: the deals table, judged", show_header=True, title_justify="left")
    t.add_column("measure")
    t.add_column("value", justify="right")
    t.add_row("rows right", _pct(d["rows_right"], d["rows"]))
    t.add_row(
        "deals found (all / main)", f"{_pct(s.deals_found, s.deals_total)} / {s.main_found}/{s.deals_main}"
    )
    t.add_row("reversed", str(d["reversed"]))
    t.add_row("wrong pairs", str(d["wrong_pairs"]))
    t.add_row("fragments", str(d["fragments"]))
    t.add_row("rows that contradict themselves", str(d["contradicting"]))
    t.add_row("fields right on right rows", _pct(s.field_right, s.field_support))
    t.add_row("conflicts flagged", str(s.conflicts))
    t.add_row("labeled disagreements flagged", _pct(s.disagreements_flagged, s.disagreements))
    t.add_row("rows from negative articles only", str(d["rows_from_negatives"]))
    t.add_row("negative articles in any row", _pct(s.negatives_in_rows, s.negatives))
    return t


def row_lines(s: SetScore, show_rows: bool) -> list[str]:
    """The labeled deals with no right row and, with ``show_rows``, every row that is not right."""
    lines = [f"  missed: {', '.join(s.missed)}"] if s.missed else []
    for r in s.rows if show_rows else []:
        if r.verdict != RIGHT or r.contradictions or r.from_negatives:
            what = r.verdict + (f" of {r.deal_key}" if r.verdict == FRAGMENT else "")
            notes = "; ".join(r.contradictions) + (" [negative articles only]" if r.from_negatives else "")
            lines.append(f"  {r.provider} -> {r.customer}: {what} {notes}".rstrip())
    return lines


def fields_table(report: TableReport) -> Table:
    """Per-field accuracy on right rows, one column per set."""
    t = Table(title="field accuracy on right rows (right/stated)", title_justify="left")
    t.add_column("field")
    for s in report.sets:
        t.add_column(s.name, justify="right")
    for name in report.sets[0].fields if report.sets else []:
        cells = []
        for s in report.sets:
            f = s.fields[name]
            cells.append(f"{f.right}/{f.support}" if f.support else "-")
        t.add_row(name, *cells)
    return t


def summary_line(report: TableReport) -> str:
    """All sets in one line."""
    t = report.totals()
    rate = f"{100 * t['rows_right'] / t['rows']:.0f}%" if t["rows"] else "n/a"
    return (
        f"all {len(report.sets)} set(s): rows right {t['rows_right']}/{t['rows']} ({rate}), "
        f"deals found {t['deals_found']}/{t['deals_total']} (main {t['main_found']}/{t['deals_main']}), "
        f"reversed {t['reversed']}, wrong pairs {t['wrong_pairs']}, fragments {t['fragments']}, "
        f"contradicting {t['contradicting']}, fields {t['field_right']}/{t['field_support']}, "
        f"conflicts {t['conflicts']}, rows from negatives {t['rows_from_negatives']} "
        f"({t['negatives_in_rows']}/{t['negatives']} negative articles in rows)"
    )


def format_table_report(
    report: TableReport, fmt: str = "table", show_rows: bool = False, max_mismatches: int = 0
) -> str:
    """Text for the terminal (rich tables, no colour codes when piped) or JSON; with
    ``max_mismatches``, up to that many field misses per set, so a miss can be traced to its cause."""
    if fmt == "json":
        return json.dumps(report.to_dict(), indent=1, default=str)
    buf = io.StringIO()
    console = Console(file=buf, width=120, force_terminal=False, color_system=None)
    for s in report.sets:
        console.print(set_table(s))
        for line in row_lines(s, show_rows):
            console.print(line, markup=False, soft_wrap=True)
        for line in s.mismatches[:max_mismatches]:
            console.print(f"  field: {line}", markup=False, soft_wrap=True)
    if report.sets:
        console.print(fields_table(report))
    for e in report.errors:
        console.print(f"problem: {e}", markup=False)
    return buf.getvalue().rstrip("\n") + "\n" + summary_line(report)
