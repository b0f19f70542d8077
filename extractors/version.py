"""The extractor version: a hash of the code and the data files that turn text into facts.

A hand-kept version string ("parties-1") did not change across a hundred commits to the
extractors, so nothing could tell which stored facts were stale. The version is therefore derived:
any change to an extraction module, a pattern file or a gazetteer gives a new version, which is
stored with every article, mention and fact, and ``reprocess`` can redo only what is older.
Evaluation code does not change what is extracted and is left out.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
#: Data folders whose every file feeds extraction.
DATA_DIRS = ("patterns", "gazetteers")
#: Modules of this package that only score extraction; editing them changes no stored fact.
NOT_EXTRACTION = frozenset({"evaluate.py", "table_eval.py", "version.py"})
PREFIX = "x"


def _inputs(root: Path) -> list[Path]:
    files = [p for p in root.glob("*.py") if p.name not in NOT_EXTRACTION]
    for name in DATA_DIRS:
        files += [p for p in (root / name).rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    return sorted(files, key=lambda p: p.relative_to(root).as_posix())


def compute_version(root: Path = PACKAGE) -> str:
    """``x-`` and the first 12 hex digits of SHA-256 over each input's relative path and bytes."""
    digest = hashlib.sha256()
    for path in _inputs(root):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return f"{PREFIX}-{digest.hexdigest()[:12]}"


@lru_cache(maxsize=1)
def extractor_version() -> str:
    """The version of the installed extractors (computed once per process: the files do not change
    under a running process)."""
    return compute_version()
