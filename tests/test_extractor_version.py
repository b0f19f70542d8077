"""The extractor version changes when, and only when, what turns text into facts changes."""

from __future__ import annotations

import shutil
from pathlib import Path

from extractors.pipeline import EXTRACTOR_VERSION
from extractors.version import PACKAGE, compute_version


def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "extractors"
    shutil.copytree(PACKAGE, root, ignore=shutil.ignore_patterns("__pycache__"))
    return root


def test_the_installed_version_is_the_hash_of_the_installed_files() -> None:
    assert compute_version(PACKAGE) == EXTRACTOR_VERSION
    assert EXTRACTOR_VERSION.startswith("x-") and len(EXTRACTOR_VERSION) == 14


def test_editing_a_pattern_file_or_a_module_changes_the_version(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    before = compute_version(root)
    assert compute_version(root) == before, "the same files give the same version"
    data = next((root / "patterns").glob("*.toml"))
    data.write_text(data.read_text(encoding="utf-8") + "\n# one more comment\n", encoding="utf-8")
    after_data = compute_version(root)
    assert after_data != before
    (root / "money.py").write_text((root / "money.py").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert compute_version(root) not in (before, after_data)


def test_editing_evaluation_code_keeps_the_version(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    before = compute_version(root)
    (root / "evaluate.py").write_text("# scoring only\n", encoding="utf-8")
    assert compute_version(root) == before
