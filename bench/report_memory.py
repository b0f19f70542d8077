"""Peak memory of the HTML report alone: `python -m bench.report_memory DB [--runs N]`.

The report is written at the end of every run, so its peak is where the flow's process peaks.
Each run is a fresh process (peak RSS never goes down in a process), writing the report of DB to
a scratch file; the page's bytes are compared across runs, the "Written <time>" line aside.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHILD = """
import json, sys, time
def hwm():
    return next(int(l.split()[1]) // 1024 for l in open('/proc/self/status') if l.startswith('VmHWM'))
from flows.report import write_report
before, t, c = hwm(), time.perf_counter(), time.process_time()
write_report(sys.argv[1], sys.argv[2])
print(json.dumps({"start_mb": before, "peak_mb": hwm(), "wall_s": time.perf_counter() - t,
                  "cpu_s": time.process_time() - c}))
"""


def page_digest(path: Path) -> str:
    """The page's hash without its "Written <time>" line, the one line that differs run to run."""
    lines = path.read_bytes().splitlines(keepends=True)
    return hashlib.sha256(b"".join(line for line in lines if b"<br>Written " not in line)).hexdigest()[:16]


def measure(db: Path, runs: int) -> list[dict]:
    """One fresh process per run; its figures and the page's digest."""
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(runs):
            page = Path(tmp) / f"r{i}.html"
            done = subprocess.run(
                [sys.executable, "-c", CHILD, str(db), str(page)], capture_output=True, text=True, check=True
            )
            figures = json.loads(done.stdout.strip().splitlines()[-1])
            out.append({**figures, "page": page_digest(page), "bytes": page.stat().st_size})
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    if not args.db.exists():
        print(f"no database at {args.db}", file=sys.stderr)
        return 2
    with open("/proc/loadavg") as f:
        print(f"load {f.read().split()[0]} at {time.strftime('%H:%M:%S')}")
    for r in measure(args.db, args.runs):
        print(
            f"peak {r['peak_mb']} MB (start {r['start_mb']} MB), {r['wall_s']:.2f} s wall, "
            f"{r['cpu_s']:.2f} s CPU, page {r['bytes']:,} bytes sha256 {r['page']}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
