"""Synthetic news site for the benchmark: N article pages in three layouts plus RSS feeds.

About 10% of the articles tell one invented compute deal each (facts drawn at random, then stated
by varied templates); the rest are other business news of 400-1,200 words with distractor money,
companies, chips and data centers. Templates and word lists are data under bench/templates/.
The generator is seeded, so a run can be repeated exactly; the facts each deal article states are
returned as ``truth`` so the benchmark can check what the flow found.
"""

from __future__ import annotations

import html
import json
import random
import re
import tomllib
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from string import Template
from typing import Any

TEMPLATES = Path(__file__).parent / "templates"
LAYOUTS = ("wire", "blog", "plain")
#: Items per RSS feed: the flow keeps at most 1,000 items per source (flows.sources), so a site
#: of N articles is split over several feeds and the flow is given all of them.
FEED_SIZE = 500
_ALT = re.compile(r"\[([^\[\]]*)\]")
_SLOT = re.compile(r"\{(\w+)\}")
_NUMBER_WORDS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight"}


@dataclass
class Page:
    """One article as written to the site, with the facts it states when it is a deal article."""

    path: str
    title: str
    published: str  # ISO timestamp, UTC
    is_deal: bool
    words: int
    truth: dict[str, Any] = field(default_factory=dict)


@dataclass
class Site:
    root: str
    feeds: list[str]  # paths relative to root
    pages: list[Page]

    @property
    def deal_pages(self) -> list[Page]:
        return [p for p in self.pages if p.is_deal]

    def to_json(self) -> str:
        return json.dumps({"root": self.root, "feeds": self.feeds, "pages": [asdict(p) for p in self.pages]})

    @classmethod
    def from_json(cls, text: str) -> Site:
        d = json.loads(text)
        return cls(d["root"], d["feeds"], [Page(**p) for p in d["pages"]])


@lru_cache(maxsize=1)
def templates() -> dict[str, Any]:
    out = {
        name: tomllib.loads((TEMPLATES / f"{name}.toml").read_text("utf-8"))
        for name in ("words", "news", "deal")
    }
    out["layouts"] = {n: Template((TEMPLATES / "layouts" / f"{n}.html").read_text("utf-8")) for n in LAYOUTS}
    return out


class Writer:
    """Expands templates: ``[a|b]`` picks an alternative, ``{slot}`` takes a bound or random value."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.w = templates()["words"]
        self._used: set[str] = set()

    def pick(self, seq: list) -> Any:
        return self.rng.choice(seq)

    def company(self, suffixes: list[str]) -> tuple[str, str]:
        """An invented (full name, short name); the same name is not reused within one article."""
        while True:
            stem = self.pick(self.w["stems"])
            if stem not in self._used:
                self._used.add(stem)
                return f"{stem} {self.pick(suffixes)}", stem

    def person(self) -> str:
        return f"{self.pick(self.w['first_names'])} {self.pick(self.w['last_names'])}"

    def money(self, big: bool = False) -> str:
        r = self.rng
        if big or r.random() < 0.35:
            return f"${r.randint(1, 40)}.{r.randint(1, 9)} billion"
        return f"${r.randint(5, 950)} million"

    def random_slot(self, name: str) -> str:
        r, w = self.rng, self.w
        makers = {
            "money": lambda: self.money(),
            "small_money": lambda: f"${r.randint(3, 400)} million",
            "dist_money": lambda: f"${r.randint(100, 900)} million",
            "dist_big": lambda: self.money(big=True),
            "pct": lambda: (
                f"{r.randint(1, 35)}.{r.randint(0, 9)}%"
                if r.random() < 0.6
                else f"{r.randint(2, 40)} percent"
            ),
            "num": lambda: f"{r.choice([r.randint(12, 95), r.randint(100, 900), r.randint(1, 60) * 1000]):,}",
            "numword": lambda: self.pick(w["number_words"]),
            "year": lambda: str(r.randint(2024, 2028)),
            "month": lambda: self.pick(w["months"]),
            "weekday": lambda: self.pick(w["weekdays"]),
            "quarter": lambda: self.pick(
                ["first quarter", "second quarter", "third quarter", "fourth quarter"]
            ),
            "anyco": lambda: self.company(w["provider_suffix"] if r.random() < 0.05 else w["other_suffix"])[
                0
            ],
            "person": self.person,
            "firm": lambda: self.pick(w["analyst_firms"]),
            "analyst": lambda: (
                f"{self.person()}, {self.pick(w['analyst_roles'])} at {self.pick(w['analyst_firms'])},"
            ),
            "outlet": lambda: self.pick(w["outlets"]),
            "product": lambda: self.pick(w["products"]),
            "sector": lambda: self.pick(w["sectors"]),
            "region": lambda: self.pick(w["places"])[1],
            "city": lambda: self.pick(w["places"])[0],
            "city2": lambda: self.pick(w["places"])[0],
            "role": lambda: self.pick(w["roles"]),
            "hw_model": lambda: self.pick(w["hardware"])[1],
            "hw_other": lambda: self.pick(w["hardware"])[1],
        }
        return makers[name]() if name in makers else "{" + name + "}"

    def expand(self, template: str, bound: dict[str, str]) -> str:
        text = template
        while True:
            new = _ALT.sub(lambda m: self.pick(m.group(1).split("|")), text)
            if new == text:
                break
            text = new
        text = _SLOT.sub(lambda m: bound.get(m.group(1)) or self.random_slot(m.group(1)), text)
        text = re.sub(r"\s+([,.])", r"\1", re.sub(r" {2,}", " ", text))
        return text[0].upper() + text[1:] if text else text


def _words(paragraphs: list[str]) -> int:
    return sum(len(p.split()) for p in paragraphs)


def _paragraphs(rng: random.Random, sentences: list[str]) -> list[str]:
    out, i = [], 0
    while i < len(sentences):
        k = rng.randint(1, 4)
        out.append(" ".join(sentences[i : i + k]))
        i += k
    return out


def _add_months(d: date, months: int) -> date:
    m = d.month - 1 + months
    return date(d.year + m // 12, m % 12 + 1, 1)


def _billions(millions: int) -> str:
    if millions < 1000:
        return f"${millions} million"
    return f"${millions / 1000:.2f}".rstrip("0").rstrip(".") + " billion"


def deal_facts(wr: Writer, published: datetime) -> tuple[dict[str, str], dict[str, Any]]:
    """Draw one invented deal: the slot values its templates state, and the normalized truth."""
    r, w = wr.rng, wr.w
    customer, cust_short = wr.company(w["lab_suffix"])
    provider, prov_short = wr.company(w["provider_suffix"])
    fee_m = r.randint(2, 50) * 5  # millions a month; a multiple of 5 keeps totals to 2 decimals
    term = r.choice([18, 24, 30, 36, 42, 48, 60])
    start = _add_months(published.date(), r.randint(1, 6))
    end_month = _add_months(start, term - 1)
    end_day = _add_months(end_month, 1) - timedelta(days=1)
    vendor, model, noun = wr.pick(w["hardware"])
    count = r.randint(4, 120) * 1000
    city, region = wr.pick(w["places"])
    if r.random() < 0.5:
        fee = f"${fee_m} million {r.choice(['a month', 'per month'])}"
    else:
        fee = f"{_billions(fee_m * 12)} {r.choice(['a year', 'per year', 'annually'])}"
    years = term // 12 if term % 12 == 0 else None
    slots = {
        "customer": customer,
        "provider": provider,
        "cust_short": cust_short,
        "prov_short": prov_short,
        "fee": fee,
        "total": _billions(fee_m * term),
        "count": f"{count:,}",
        "hw": f"{vendor} {model}",
        "hw_noun": noun,
        "mw": str(r.randint(2, 40) * 10),
        "campus": f"{wr.pick(w['stems'])} {wr.pick(w['campus_words'])}",
        "city": city,
        "region": region,
        "start": f"{start:%B} 1, {start.year}",
        "start_month": f"{start:%B %Y}",
        "end_month": f"{end_month:%B %Y}",
        "term_words": f"{_NUMBER_WORDS[years]}-year" if years else f"{term}-month",
        "term_years": f"{_NUMBER_WORDS[years]} years" if years else f"{term} months",
        "term_months": str(term),
        "notice": str(r.choice([30, 60, 90, 120, 180])),
        "lockin": str(r.choice([6, 12, 18, 24])),
        "exec_c": wr.person(),
        "exec_p": wr.person(),
    }
    truth = {
        "provider": provider,
        "customer": customer,
        "monthly_fee": fee_m * 1_000_000,
        "total_value": fee_m * term * 1_000_000,
        "start_date": start.isoformat(),
        "end_date": end_day.isoformat(),
        "term_months": term,
        "hardware": model,
        "accelerator_count": count,
        "capacity_mw": float(slots["mw"]),
        "location": city,
        "termination_notice_days": int(slots["notice"]),
        "termination_lockin_months": int(slots["lockin"]),
    }
    return slots, truth


#: Which truth fields each optional sentence group states.
_GROUP_FIELDS = {
    "term": ("start_date", "end_date", "term_months"),
    "total": ("total_value",),
    "capacity": ("capacity_mw", "location"),
    "termination": ("termination_notice_days", "termination_lockin_months"),
}
_GROUP_SHARE = {"term": 0.9, "total": 0.6, "capacity": 0.7, "termination": 0.5}


def deal_article(wr: Writer, published: datetime) -> tuple[str, list[str], dict[str, Any]]:
    t = templates()["deal"]
    slots, facts = deal_facts(wr, published)
    slots["weekday"] = f"{published:%A}"
    truth = {k: facts[k] for k in ("provider", "customer", "monthly_fee", "hardware", "accelerator_count")}
    title = wr.expand(wr.pick(t["headlines"]), slots)
    body = [wr.expand(wr.pick(t["lead"]), slots)]
    for group, share in _GROUP_SHARE.items():
        if wr.rng.random() < share:
            body.append(wr.expand(wr.pick(t[group]), slots))
            truth.update({k: facts[k] for k in _GROUP_FIELDS[group]})
    if wr.rng.random() < 0.4:
        body[0] = (
            f"{slots['city'].upper()}, {published:%b} {published.day} ({wr.pick(wr.w['outlets'])}) - "
            + body[0]
        )
    background = wr.rng.sample(t["background"], k=wr.rng.randint(2, 4))
    extra = [wr.expand(s, slots) for s in background]
    # Padding: other business sentences about a third, unrelated company.
    third, third_short = wr.company(wr.w["other_suffix"])
    bound = {"co": third, "co_short": third_short, "exec": wr.person()}
    target = wr.rng.randint(300, 800)
    generic = templates()["news"]["generic"]
    while _words(body) + _words(extra) < target:
        extra.append(wr.expand(wr.pick(generic), bound))
    paragraphs = _paragraphs(wr.rng, body[:1]) + _paragraphs(wr.rng, body[1:] + extra)
    return title, paragraphs, truth


def news_article(wr: Writer) -> tuple[str, list[str], str]:
    news = templates()["news"]
    topic = wr.pick(sorted(news["topics"]))
    spec = news["topics"][topic]
    co, co_short = wr.company(wr.w["other_suffix"])
    co2, _ = wr.company(wr.w["other_suffix"])
    city, region = wr.pick(wr.w["places"])
    bound = {"co": co, "co_short": co_short, "co2": co2, "exec": wr.person(), "city": city, "region": region}
    title = wr.expand(wr.pick(spec["headlines"]), bound)
    target = wr.rng.randint(400, 1200)
    own = wr.rng.sample(spec["sentences"], k=len(spec["sentences"]))
    sentences: list[str] = []
    while sum(len(s.split()) for s in sentences) < target:
        if own and wr.rng.random() < 0.6:
            sentences.append(wr.expand(own.pop(), bound))
        else:
            sentences.append(wr.expand(wr.pick(news["generic"] + spec["sentences"]), bound))
    return title, _paragraphs(wr.rng, sentences), topic


def render(
    layout: str,
    path: str,
    title: str,
    paragraphs: list[str],
    published: datetime,
    author: str,
    publisher: str,
) -> str:
    esc = html.escape
    return templates()["layouts"][layout].substitute(
        path=path,
        title=esc(title, quote=False),
        title_attr=esc(title),
        title_json=json.dumps(title),
        publisher=esc(publisher, quote=False),
        publisher_attr=esc(publisher),
        publisher_json=json.dumps(publisher),
        author=esc(author, quote=False),
        author_attr=esc(author),
        author_json=json.dumps(author),
        date_iso=published.strftime("%Y-%m-%dT%H:%M:%SZ"),
        date_human=f"{published:%B} {published.day}, {published.year}",
        body_html="\n".join(f"<p>{esc(p, quote=False)}</p>" for p in paragraphs),
    )


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60]


def rss(items: list[Page], name: str) -> str:
    entries = []
    for p in items:
        when = datetime.fromisoformat(p.published)
        entries.append(
            f"  <item>\n   <title>{html.escape(p.title)}</title>\n"
            f"   <link>{{{{base_url}}}}/{p.path}</link>\n"
            f'   <guid isPermaLink="true">{{{{base_url}}}}/{p.path}</guid>\n'
            f"   <pubDate>{when:%a, %d %b %Y %H:%M:%S +0000}</pubDate>\n  </item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0">\n <channel>\n'
        f"  <title>Benchmark news ({name})</title>\n  <link>{{{{base_url}}}}/</link>\n"
        "  <description>Synthetic business news for the dealwatch benchmark.</description>\n"
        + "\n".join(entries)
        + "\n </channel>\n</rss>\n"
    )


def generate_site(
    root: str | Path, n: int, seed: int = 7, deal_share: float = 0.1, feed_size: int = FEED_SIZE
) -> Site:
    """Write N article pages and ceil(N / feed_size) RSS feeds under ``root``; return the manifest."""
    root = Path(root)
    rng = random.Random(seed)
    n_deal = round(n * deal_share)
    kinds = [True] * n_deal + [False] * (n - n_deal)
    rng.shuffle(kinds)
    epoch = datetime(2026, 1, 5, tzinfo=UTC)
    pages: list[Page] = []
    for i, is_deal in enumerate(kinds):
        wr = Writer(random.Random(rng.getrandbits(64)))
        published = epoch + timedelta(minutes=rng.randint(0, 300 * 24 * 60))
        if is_deal:
            title, paragraphs, truth = deal_article(wr, published)
            section = "deals"
        else:
            title, paragraphs, section = news_article(wr)
            truth = {}
        path = f"{section}/{published:%Y/%m}/{_slug(title)}-{i}.html"
        layout = LAYOUTS[i % len(LAYOUTS)]
        page_html = render(layout, path, title, paragraphs, published, wr.person(), wr.pick(wr.w["outlets"]))
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page_html, encoding="utf-8")
        pages.append(Page(path, title, published.isoformat(), is_deal, _words(paragraphs), truth))
    feeds = []
    for k in range(0, n, feed_size):
        name = f"feeds/feed-{k // feed_size + 1:03d}.xml"
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(rss(pages[k : k + feed_size], name), encoding="utf-8")
        feeds.append(name)
    return Site(str(root), feeds, pages)
