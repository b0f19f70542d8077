"""Run inside a fresh network namespace (only loopback up): serve a hostile feed, ingest it.

Prints one JSON object: the expanded items, every FetchResult (status, error) and the server's
request log. Used by tests/test_ssrf_namespace.py; not a test module itself.
"""

from __future__ import annotations

import json
import sys
from dataclasses import replace

from flows.fetch import fetch_many_sync
from flows.http_policy import FetchPolicy
from flows.sources import expand_sources
from tests.misbehaving_server import MisbehavingServer


def main() -> None:
    allow_private = "--allow-private" in sys.argv
    policy = replace(
        FetchPolicy(retries=0, per_host_delay=0.0, connect_timeout=1.0), allow_private=allow_private
    )
    # Bound to every local address, so 127.0.0.2 and localhost would really answer if the guard let them.
    with MisbehavingServer(host="127.0.0.1", bind="0.0.0.0") as st:
        p = st.port
        st.feed_links = [
            "http://169.254.169.254/latest/meta-data/",
            "http://10.0.0.1/admin",
            f"http://localhost:{p}/redirect?to=http://127.0.0.1:{p}/a/1.html",  # another name, redirecting home
            f"http://127.0.0.1:{p}/redirect?to=http://localhost:{p}/a/2.html",  # explicit host redirecting away
            f"http://127.0.0.2:{p}/a/3.html",
            f"http://[::ffff:127.0.0.1]:{p}/b/1.html",
            f"http://127.0.0.1:{p}/page.html",  # the explicit host itself: allowed
        ]
        if allow_private:  # nothing may even try a non-loopback address, namespace or not
            st.feed_links = [u for u in st.feed_links if "169.254" not in u and "10.0.0.1" not in u]
        ex = expand_sources([st.url("/feed.xml")], policy)
        urls = [i.location for i in ex.items]
        results = fetch_many_sync(urls, policy, explicit_hosts=ex.explicit_hosts)
        print(
            json.dumps(
                {
                    "port": p,
                    "items": urls,
                    "problems": [x.reason for x in ex.problems],
                    "results": [
                        {"url": r.url, "status": r.status, "error": r.error, "redirects": r.redirects}
                        for r in results
                    ],
                    "hits": [{"path": h.path, "host": h.headers.get("host")} for h in st.hits],
                }
            )
        )


if __name__ == "__main__":
    main()
