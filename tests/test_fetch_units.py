"""Pure pieces of fetching: Retry-After, backoff, capped decompression, policy from the environment."""

from __future__ import annotations

import gzip
import zlib
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from flows.errors import BodyTooLarge, FetchError
from flows.fetch import CappedDecoder, backoff_delay, human_bytes, parse_retry_after
from flows.http_policy import FetchPolicy


def test_retry_after_seconds_and_http_date():
    now = datetime(2026, 9, 1, 12, 0, tzinfo=UTC)
    assert parse_retry_after("7", now) == 7.0
    assert parse_retry_after(format_datetime(now + timedelta(seconds=90), usegmt=True), now) == 90.0
    assert parse_retry_after(format_datetime(now - timedelta(seconds=5), usegmt=True), now) == 0.0
    assert parse_retry_after("soon", now) is None and parse_retry_after(None, now) is None


def test_backoff_grows_and_stays_within_jitter_bounds():
    policy = FetchPolicy(backoff_base=0.5, backoff_cap=3.0)
    for attempt, ceiling in ((1, 0.5), (2, 1.0), (3, 2.0), (6, 3.0)):
        delays = [backoff_delay(policy, attempt) for _ in range(200)]
        assert all(ceiling / 2 <= d <= ceiling for d in delays)
        assert len(set(delays)) > 100  # jittered, so retries from many workers spread out


def test_decoder_handles_concatenated_gzip_members_and_raw_deflate():
    body = gzip.compress(b"first ") + gzip.compress(b"second")
    assert CappedDecoder("gzip", 1000).feed(body) == b"first second"
    raw = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    data = raw.compress(b"raw deflate body") + raw.flush()
    assert CappedDecoder("deflate", 1000).feed(data) == b"raw deflate body"
    assert CappedDecoder("deflate", 1000).feed(zlib.compress(b"zlib body")) == b"zlib body"


def test_decoder_stops_at_the_cap_without_inflating_everything():
    bomb = gzip.compress(b"\0" * 50_000_000)
    decoder = CappedDecoder("gzip", 1_000_000)
    with pytest.raises(BodyTooLarge, match="larger than 1 MB after decompression"):
        decoder.feed(bomb)
    assert decoder.total <= 1_000_001


def test_corrupt_gzip_is_a_reason_not_a_crash():
    with pytest.raises(FetchError, match="corrupt gzip body"):
        CappedDecoder("gzip", 1000).feed(b"\x1f\x8b\x09\x00garbage")  # unknown method
    truncated = CappedDecoder("gzip", 1000)
    truncated.feed(gzip.compress(b"a whole article")[:-6])
    with pytest.raises(FetchError, match="truncated or corrupt gzip body"):
        truncated.finish()


def test_user_agent_names_tool_and_contact(monkeypatch):
    monkeypatch.setenv("DEALWATCH_CONTACT", "ops@example.invalid")
    policy = FetchPolicy.from_env(per_host_delay=2.0)
    assert policy.per_host_delay == 2.0
    ua = policy.effective_user_agent()
    assert ua.startswith("dealwatch/") and "ops@example.invalid" in ua and "set DEALWATCH_CONTACT" not in ua
    assert policy.robots_token == "dealwatch"
    assert "set DEALWATCH_CONTACT" in FetchPolicy().effective_user_agent()


def test_human_bytes():
    assert [human_bytes(n) for n in (5_000_000, 1_500_000, 2_000, 12)] == [
        "5 MB",
        "1.5 MB",
        "2 KB",
        "12 bytes",
    ]
