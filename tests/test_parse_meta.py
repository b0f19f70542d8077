"""Structured metadata, charset decoding and the language guess, each on small inputs."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from extractors.decode import decode_body
from extractors.html_meta import extract_meta, parse_datetime, parse_html
from extractors.language import detect_language


def meta_of(head: str, body: str = "<p>x</p>", url: str = "https://site.example/a/b"):
    return extract_meta(parse_html(f"<html><head>{head}</head><body>{body}</body></html>"), url)


def test_jsonld_list_with_article_and_organization() -> None:
    m = meta_of(
        '<script type="application/ld+json">[{"@type": "Organization", "name": "Org Name"},'
        ' {"@type": "ReportageNewsArticle", "headline": " Spaced   headline ",'
        ' "datePublished": "2026-05-01T10:00:00Z", "author": "By Kim Lee",'
        ' "url": "/a/b"}]</script>'
    )
    assert m.title == "Spaced headline"
    assert m.published_at == datetime(2026, 5, 1, 10, tzinfo=UTC)
    assert m.authors == ["Kim Lee"]
    assert m.site_name == "Org Name"
    assert m.canonical_url == "https://site.example/a/b"
    assert m.page_type == "article"
    assert m.sources["title"] == "json-ld"


def test_broken_jsonld_is_noted_not_raised_and_other_sources_still_count() -> None:
    m = meta_of(
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": </script>'
        '<meta property="og:title" content="From OpenGraph">'
    )
    assert m.title == "From OpenGraph"
    assert any("bad JSON-LD" in n for n in m.notes)


def test_trailing_commas_in_jsonld_are_tolerated() -> None:
    m = meta_of('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Ok",}</script>')
    assert m.title == "Ok"


def test_collection_page_is_a_listing() -> None:
    m = meta_of('<script type="application/ld+json">{"@type": "CollectionPage", "name": "Tech"}</script>')
    assert m.page_type == "listing"


def test_meta_date_variants_and_html_lang() -> None:
    m = extract_meta(
        parse_html('<html lang="en-US"><head><meta name="parsely-pub-date" content="2026-06-02T08:00:00-0700">'
                   "</head><body></body></html>")
    )  # fmt: skip
    assert m.published_at == datetime(2026, 6, 2, 15, tzinfo=UTC)
    assert m.language == "en"


def test_time_marked_as_published_beats_other_time_elements() -> None:
    m = meta_of(
        "",
        '<time datetime="2026-01-01T00:00:00Z">header date</time><article><p>x</p>'
        '<time pubdate datetime="2026-02-03T04:05:00Z">Feb 3</time></article>',
    )
    assert m.published_at == datetime(2026, 2, 3, 4, 5, tzinfo=UTC)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-07-01", datetime(2026, 7, 1, tzinfo=UTC)),
        ("2026-07-01T12:00:00.123456789Z", datetime(2026, 7, 1, 12, 0, 0, 123456, tzinfo=UTC)),
        ("Tue, 14 Apr 2026 06:05:00 +0200", datetime(2026, 4, 14, 4, 5, tzinfo=UTC)),
        ("2026-04-14 06:05", datetime(2026, 4, 14, 6, 5, tzinfo=UTC)),
        ("last Tuesday", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_datetime(raw: str | None, expected: datetime | None) -> None:
    assert parse_datetime(raw) == expected


def test_decode_order_and_fallbacks() -> None:
    assert decode_body("Zürich".encode("latin-1"), "text/html; charset=ISO-8859-1") == ("Zürich", "cp1252")
    # header says latin-1 but the bytes are valid UTF-8: UTF-8 wins (the common server default)
    assert decode_body("Zürich".encode(), "text/html; charset=iso-8859-1") == ("Zürich", "utf-8")
    meta = '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252"><p>“quoted”</p>'
    assert decode_body(meta.encode("cp1252"), None)[0].endswith("<p>“quoted”</p>")
    assert decode_body(b"\xff\xfeh\x00i\x00", None) == ("hi", "utf-16-le")
    assert decode_body(b"", None) == ("", "utf-8")
    assert decode_body(b"plain ascii", "text/html; charset=nonsense-label") == ("plain ascii", "ascii")
    text, enc = decode_body("Ein größerer Vertrag über Rechenzentren für München".encode("cp1252"), None)
    assert "größerer" in text and enc  # no declaration at all: charset_normalizer's guess


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        (
            "The provider said on Monday that it had signed a lease with the start-up, which will pay"
            " a monthly fee for the servers over the next three years.",
            "en",
        ),
        (
            "Le fournisseur a annoncé lundi un contrat de location avec la jeune pousse, qui paiera une"
            " redevance mensuelle pour les serveurs pendant trois ans selon la société.",
            "fr",
        ),
        (
            "La empresa anunció el lunes un contrato de alquiler con la nueva firma, que pagará una cuota"
            " mensual por los servidores durante los próximos tres años según el acuerdo.",
            "es",
        ),
        ("Компания в понедельник подписала договор аренды серверов с молодой фирмой на три года.", "ru"),
        ("同社は月曜日、新興企業とサーバーの賃貸契約を結んだと発表した。契約期間は三年間である。", "ja"),
        # kana as common as kanji: no single script is a majority, together they are
        ("これはテストのテキストです。データセンターのサーバーを三年間かりるけいやくです。", "ja"),
        (
            "Société Générale and Zürich-based Müller Rechenzentren signed the café operator's lease,"
            " the companies said on Monday, and the deal runs for three years from the first of May.",
            "en",
        ),
        ("too short to tell", None),
    ],
)
def test_detect_language(text: str, lang: str | None) -> None:
    assert detect_language(text)[0] == lang


def test_english_words_are_found_in_any_case_with_their_apostrophes() -> None:
    from extractors.language import _lower_words

    assert _lower_words("The CEO’s DEAL isn't Done — “SAID” O'Neil.") == [
        "the", "ceo’s", "deal", "isn't", "done", "said", "o'neil",
    ]  # fmt: skip


def test_only_letters_lower_to_ascii_letters_or_apostrophes() -> None:
    """The ASCII path of the language guess lowers the whole sample before finding its words: that
    is the same words only while no character outside ASCII that is not a letter lowers to one."""
    import sys

    from extractors.language import _NON_ASCII_LETTER

    word_chars = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'’")
    odd = [
        hex(i)
        for i in range(0x80, sys.maxunicode + 1)
        if chr(i) != "’" and not _NON_ASCII_LETTER.match(chr(i)) and word_chars & set(chr(i).lower())
    ]
    assert odd == []
