"""Canonical URLs: tracking-tagged, re-cased and fragment links to one page are one article."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.parse import article_id_for
from extractors.urls import canonical_url, host_of, is_tracking_param, same_site


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "HTTPS://News.Example.COM:443/Deals/Story?utm_source=rss&utm_medium=feed&id=7#comments",
            "https://news.example.com/Deals/Story?id=7",
        ),
        ("http://example.com:80", "http://example.com/"),
        ("http://example.com:8080/a", "http://example.com:8080/a"),
        ("https://example.com/a?b=2&a=1&fbclid=XYZ&gclid=1&mc_cid=3", "https://example.com/a?a=1&b=2"),
        ("https://example.com/a?UTM_Campaign=x", "https://example.com/a"),
        ("https://example.com/search?q=gpu+lease&page=2", "https://example.com/search?page=2&q=gpu+lease"),
        ("https://example.com/a?flag=&x=1", "https://example.com/a?flag=&x=1"),
        ("http://[::1]:8000/x", "http://[::1]:8000/x"),
        ("  https://example.com/a  ", "https://example.com/a"),
    ],
)
def test_canonical_url(raw: str, expected: str) -> None:
    assert canonical_url(raw) == expected


def test_local_paths_become_file_uris(tmp_path: Path) -> None:
    page = tmp_path / "story.html"
    page.write_text("x")
    assert canonical_url(str(page)) == page.resolve().as_uri()
    assert canonical_url(page.resolve().as_uri()) == page.resolve().as_uri()


def test_bad_input_does_not_raise() -> None:
    assert canonical_url("") == ""
    assert canonical_url("http://example.com:99999/a") == "http://example.com:99999/a"
    assert canonical_url("http://[broken/a").startswith("http://")


def test_article_id_is_stable_across_tracking_variants() -> None:
    a = article_id_for("https://Example.com/story?utm_source=x#top")
    b = article_id_for("https://example.com/story")
    assert a == b and len(a) == 16
    assert article_id_for("https://example.com/other") != a


def test_tracking_list_is_data() -> None:
    assert is_tracking_param("utm_content") and is_tracking_param("FBCLID")
    assert not is_tracking_param("id") and not is_tracking_param("page")


def test_hosts_and_sites() -> None:
    assert host_of("https://www.example.com/a") == "example.com"
    assert same_site("https://www.example.com/a", "https://news.example.com/b")
    assert not same_site("https://a.example/x", "https://b.example/x")
    assert not same_site("file:///tmp/a.html", "https://a.example/x")
    assert not same_site("https://www.paper-one.co.uk/a", "https://news.paper-two.co.uk/a")
    assert same_site("https://www.paper-one.co.uk/a", "https://news.paper-one.co.uk/b")
