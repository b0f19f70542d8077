"""The HTML report in a real browser: headless Debian chromium renders the page every run writes
for the fixture site, the test reads the DOM, filters by company, sorts, and saves a screenshot —
and the browser requests nothing but the file itself."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import duckdb
import pytest

from tests.conftest import FIXTURES

CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1280,1400",
    "--hide-scrollbars",
)

pytestmark = [
    pytest.mark.integration,
    pytest.mark.slow,
    pytest.mark.skipif(
        not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
        reason="needs Debian's chromium and chromium-driver (`make test` installs them as root)",
    ),
]


@pytest.fixture(scope="module")
def site_db(tmp_path_factory, prefect_harness) -> Path:
    """The fixture site ingested by the real flow; the run writes the report beside the database."""
    from flows.ingest import ingest
    from flows.site_server import SiteServer

    db = tmp_path_factory.mktemp("report") / "site.duckdb"
    with SiteServer(FIXTURES / "site") as server:
        summary = ingest(
            [f"{server.base_url}/feed.xml"],
            db_path=str(db),
            quiet=True,
            policy_overrides={"per_host_delay": 0.0},
        )
    assert summary.deals_total >= 2
    return db


@pytest.fixture(scope="module")
def browser():
    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager must not look for downloads
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=str(CHROMEDRIVER)))
    try:
        yield driver
    finally:
        driver.quit()


def _requested_urls(driver) -> list[str]:
    """Every URL the page asked the network stack for since the last call (DevTools log)."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def _deals(db: Path) -> list[dict]:
    con = duckdb.connect(str(db) + ".snapshot", read_only=True)
    try:
        cur = con.execute("SELECT deal_id, provider, customer, total_value FROM deals")
        return [dict(zip([d[0] for d in cur.description], r, strict=True)) for r in cur.fetchall()]
    finally:
        con.close()


def _open_conflict(db: Path) -> dict:
    con = duckdb.connect(str(db) + ".snapshot", read_only=True)
    try:
        row = con.execute(
            "SELECT deal_id, explanation FROM conflicts WHERE status = 'open' LIMIT 1"
        ).fetchone()
    finally:
        con.close()
    assert row, "the fixture site has a conflict between sources"
    return {"deal_id": row[0], "explanation": row[1]}


def test_the_report_renders_filters_and_sorts_in_a_browser(site_db: Path, browser, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    from flows.report import report_path

    report = report_path(site_db)
    assert report.exists(), "every run writes the report beside the database"
    _requested_urls(browser)  # drop anything from start-up
    browser.get(report.resolve().as_uri())

    deals = _deals(site_db)
    rows = browser.find_elements(By.CSS_SELECTOR, "#deals tbody tr")
    assert len(rows) == len(deals) >= 2
    table_text = browser.find_element(By.ID, "deals").text
    for d in deals:
        assert d["provider"] in table_text and d["customer"] in table_text

    conflict = _open_conflict(site_db)
    section = browser.find_element(By.ID, f"deal-{conflict['deal_id']}")
    assert " ".join(conflict["explanation"].split()) in " ".join(section.text.split())
    assert browser.find_elements(By.CSS_SELECTOR, f"#timeline a[data-deal='{conflict['deal_id']}'] circle")

    # Type a company: the other deals' rows disappear, the count says so.
    def matches(term: str, d: dict) -> bool:
        return term.lower() in f"{d['provider']} {d['customer']}".lower()

    keep, term = next(
        (d, d["customer"][:6].upper())
        for d in deals
        if sum(matches(d["customer"][:6], o) for o in deals) == 1
    )
    browser.find_element(By.ID, "f-company").send_keys(term)
    visible = [r for r in rows if r.is_displayed()]
    assert [r.get_attribute("data-deal") for r in visible] == [keep["deal_id"]]
    assert browser.find_element(By.ID, "shown").text == f"1 of {len(deals)} deals"
    browser.find_element(By.ID, "f-reset").click()
    # The form clears its fields after its reset event, so the page re-filters on the next tick.
    WebDriverWait(browser, 5).until(lambda _: all(r.is_displayed() for r in rows))
    assert browser.find_element(By.ID, "shown").text == f"{len(deals)} of {len(deals)} deals"

    # Sort by total value (largest first), as an analyst clicks the header.
    browser.find_element(By.CSS_SELECTOR, "#deals th[data-key='value']").click()
    order = [r.get_attribute("data-deal") for r in browser.find_elements(By.CSS_SELECTOR, "#deals tbody tr")]
    by_value = sorted((d for d in deals if d["total_value"]), key=lambda d: -d["total_value"])
    assert order[: len(by_value)] == [d["deal_id"] for d in by_value]

    # The evidence: the value's own words are marked inside the sentence.
    marks = browser.execute_script(
        "return Array.from(document.querySelectorAll('#deal-' + arguments[0] + ' mark')).map(m => m.textContent)",
        conflict["deal_id"],
    )
    assert any(m for m in marks)
    assert any(m.is_displayed() for m in section.find_elements(By.TAG_NAME, "mark")), "evidence is open"

    shot = tmp_path / "report.png"
    assert browser.save_screenshot(str(shot)) and shot.stat().st_size > 10_000
    if os.environ.get("DEALWATCH_REPORT_SCREENSHOT"):  # how README's picture is made
        shutil.copyfile(shot, os.environ["DEALWATCH_REPORT_SCREENSHOT"])

    requested = _requested_urls(browser)
    assert requested and all(u.startswith(("file:", "data:", "about:")) for u in requested), requested


def test_markup_from_the_web_is_shown_as_text_not_run(tmp_path: Path, browser) -> None:
    """A title or sentence carrying a script is text on the page; the script never runs."""
    from selenium.webdriver.common.by import By

    from flows.report import write_report
    from tests.report_db import hostile_db

    db = hostile_db(tmp_path / "hostile.duckdb")
    out = write_report(db, tmp_path / "hostile.html")
    browser.get(out.resolve().as_uri())
    assert browser.execute_script("return window.pwned === undefined")
    page = browser.find_element(By.TAG_NAME, "body").text
    assert "<script>window.pwned=1</script>" in page
