"""A worker's warm-up takes the path a deal article takes, so no chunk pays the rules' first use."""

from __future__ import annotations

import subprocess
import sys

from flows.batch_work import parse_and_extract, warm_document
from tests.conftest import REPO


def test_the_warm_page_is_read_as_a_deal_with_both_parties_and_its_values() -> None:
    """If the rules ever stop reading the warm page as a deal, the warm-up silently stops
    reaching the extraction rules: this says so instead."""
    done = parse_and_extract([warm_document()])
    result = done.results[0]
    assert result is not None and result.is_deal_relevant
    main = next(m for m in result.mentions if m.is_main)
    fields = {f.field for f in main.facts}
    assert main.provider and main.customer and main.provider != main.customer
    assert {"total_value", "start_date", "term_months", "capacity_mw", "hardware", "location"} <= fields


def test_a_warmed_process_has_the_deal_rules_compiled_before_its_first_article() -> None:
    """In a fresh process (the rules' caches cold), warm_worker leaves the role patterns compiled
    and the value extractors imported: what the first deal article of a chunk paid before."""
    probe = (
        "import sys\n"
        "from extractors import role_claims\n"
        "from flows.batch_work import warm_worker\n"
        "assert role_claims.role_patterns.cache_info().currsize == 0\n"
        "warm_worker()\n"
        "print(role_claims.role_patterns.cache_info().currsize, role_claims._role_index.cache_info().currsize,\n"
        "      all(m in sys.modules for m in ('extractors.values', 'extractors.money', 'extractors.places')))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["1", "1", "True"]
