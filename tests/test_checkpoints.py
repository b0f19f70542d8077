"""flows.checkpoints on a real DuckDB file: what the ingest's last batch does to the write-ahead log."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from flows.checkpoints import checkpoint_while_working, kept_open
from flows.run_context import RunContext


def _wal(db: Path) -> Path:
    return db.with_name(db.name + ".wal")


def test_checkpoint_while_working_puts_the_batch_in_the_file_itself(tmp_path: Path) -> None:
    # What a crash or a copy of the main file alone sees: the rows written before the checkpoint.
    db = tmp_path / "run.duckdb"
    ctx = RunContext.for_run()
    with kept_open(str(db)), duckdb.connect(str(db)) as con:
        con.execute("CREATE TABLE docs AS SELECT range AS id, repeat('x', 200) AS body FROM range(5000)")
        assert _wal(db).exists() and _wal(db).stat().st_size > 0  # held open: nothing folded in yet
        checkpoint_while_working(con, ctx)
        assert not _wal(db).exists() or _wal(db).stat().st_size == 0
        shutil.copyfile(db, tmp_path / "copy.duckdb")  # the main file alone, the log left behind
    with duckdb.connect(str(tmp_path / "copy.duckdb"), read_only=True) as copy:
        assert copy.execute("SELECT count(*) FROM docs").fetchone() == (5000,)
    assert "checkpoint" in ctx.metrics.stage_seconds


def test_a_transaction_open_elsewhere_neither_fails_the_checkpoint_nor_loses_its_rows(tmp_path: Path) -> None:
    db = tmp_path / "run.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute("CREATE TABLE docs (id INTEGER)")
        other = con.cursor()
        other.execute("BEGIN TRANSACTION")
        other.execute("INSERT INTO docs VALUES (1)")  # e.g. a reader's transaction in this process
        checkpoint_while_working(con, RunContext.for_run())
        other.execute("COMMIT")
        assert con.execute("SELECT count(*) FROM docs").fetchone() == (1,)


class _FailingConnection:
    """A connection whose CHECKPOINT fails as a full disk or a lost file makes DuckDB's fail."""

    def execute(self, sql: str) -> None:
        raise duckdb.IOException(f"could not write: {sql}")


def test_a_checkpoint_that_fails_is_left_to_the_snapshot_and_the_run_goes_on() -> None:
    ctx = RunContext.for_run()
    checkpoint_while_working(_FailingConnection(), ctx)  # type: ignore[arg-type]  # no error raised
    assert "checkpoint" in ctx.metrics.stage_seconds
