"""How the CLI ends when it cannot do its work: one clear line, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.integration


def _cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "flows.cli", *args], capture_output=True, text=True, env=env, timeout=120
    )


@pytest.mark.parametrize("command", ["ingest", "reprocess"])
def test_a_bad_db_is_one_line_before_any_prefect_output(command: str, tmp_path: Path, cli_env) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Headline\n\nSome text.")
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    for db in (tmp_path, blocker / "x.duckdb"):  # a directory; a path under a file
        args = [command, str(article)] if command == "ingest" else [command]
        proc = _cli(*args, "--db", str(db), env=cli_env)
        if command == "reprocess" and not db.exists():
            assert proc.returncode == 2, proc.stderr  # nothing to reprocess: a usage mistake
        else:
            assert proc.returncode == 3, proc.stderr
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("dealwatch:"), proc.stderr


def test_output_closed_early_is_not_an_error(tmp_path: Path, cli_env) -> None:
    from storage.db import connection

    db = tmp_path / "empty.duckdb"
    with connection(db):
        pass
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "flows.cli",
            "sql",
            "SELECT range AS n FROM range(300000)",
            "--db",
            str(db),
            "--format",
            "csv",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=cli_env,
    )
    assert proc.stdout.readline()  # like `| head -1`: read a line, then go away
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 0, err
    assert "Traceback" not in err and "BrokenPipe" not in err, err


def test_an_interrupt_that_lands_inside_a_database_query_is_still_a_clean_interrupt(
    tmp_path: Path, cli_env
) -> None:
    """DuckDB turns a Ctrl-C during a query into 'RuntimeError: Query interrupted': after a signal,
    that is the interrupt too: one line, exit 130, no traceback."""
    script = (
        "import os, signal, sys\n"
        "from flows.interrupts import run_interruptibly\n"
        "def work():\n"
        "    try:\n"
        "        os.kill(os.getpid(), signal.SIGINT)\n"
        "        signal.pause()\n"
        "    except KeyboardInterrupt:\n"
        "        raise RuntimeError('Query interrupted') from None\n"
        "    return 0\n"
        f"sys.exit(run_interruptibly(work, {str(tmp_path / 'none.duckdb')!r}, 'r1', 'ingest', False))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, env=cli_env, cwd=REPO
    )
    assert proc.returncode == 130, proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip().startswith("dealwatch: interrupted")
