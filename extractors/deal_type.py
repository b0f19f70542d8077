"""What kind of deal a mention is — compute | cloud | datacenter | hardware — from what its provider is
and the words of the sentences that state it (kept apart from extractors/mentions.py, which builds
the mentions: this is one decision with its own word patterns)."""

from __future__ import annotations

import re

from extractors.companies import kind_of
from extractors.deal_drafts import DealDraft
from extractors.vocabulary import deal_type_words, phrase_alternation


def _alternation(key: str) -> str:
    return phrase_alternation(deal_type_words()[key])


def _fragments(key: str) -> str:
    """The regular-expression fragments of ``[deal_type] key``, joined in their listed order."""
    return "|".join(deal_type_words()[key])


_HARDWARE_SALE = re.compile(
    rf"\b(?:{_fragments('sale_verbs')})\b[^.;]{{0,60}}"
    rf"\b(?:{_fragments('sold_machines')})\b|\b(?:{_fragments('bare_sale_verbs')})\b|"
    # an order named by what it buys: "a $740m server order", "its GPU purchase"
    rf"\b(?:{_fragments('ordered_things')})s?\s+(?:{_fragments('order_nouns')})\b|"
    # machines built for the buyer: "will build 12,000 accelerators into servers for X" (not a hall
    # built for X's servers: that is leased, and a lease is a rental)
    rf"\bbuild\s+[^.;]{{0,60}}?\binto\s+(?:[\w-]+\s+){{0,2}}?(?:{_alternation('built_machines')})\b",
    re.I,
)


#: A cloud service bought by its name: "cloud services", "annual cloud spending", "the cloud provider".
_CLOUD = re.compile(rf"\bcloud\s+(?:{_alternation('cloud_nouns')})\b", re.I)


#: A cloud service named as such, whatever the hardware under it: "a contract for cloud computing",
#: "its largest cloud customers", "the bank's cloud platform".
_CLOUD_SERVICE = re.compile(
    _CLOUD.pattern + rf"|\bcloud\s+(?:{_alternation('cloud_platform_nouns')})\b",
    re.I,
)
#: … or told by what the provider does, said of an unknown "… Cloud" whose words name no GPUs: "moved
#: its risk models to the platform", "still hosts its older models".
_HOSTS_WORK = re.compile(
    rf"\bplatforms?\b|\bhost(?:s|ed|ing)?\s+(?:[\w'’-]+\s+){{0,3}}?(?:{_alternation('hosted_things')})\b",
    re.I,
)


#: What a GPU cloud rents out when the words name compute, not a service: "dedicated GPU capacity",
#: "will rent MI355X servers from X", "leases them from X", "move its model training to X", "runs its
#: inference workloads on X", "on X's H100 fleet" (bare "capacity" is said of cloud services too).
_RENTS_CAPACITY = re.compile(
    r"\b(?:(?:computing|compute|GPU)\s+(?:capacity|power)|GPU\s+(?:cloud|time)|"
    r"(?:inference|training)\s+capacity|inference|training|"
    # GPUs leased or rented from a cloud: "leases them from X", "resells capacity it leases from X"
    r"leas(?:e|es|ed|ing)|rent(?:s|ed|ing)?|"
    # a named accelerator's capacity or fleet: "Nvidia B200 capacity", "MI355X capacity", "H100 fleet"
    r"(?:GB\d+|[HB]\d00|MI\d{3}X?|TPU\w*|Trainium\d?)\s+(?:capacity|compute|fleet)|"
    r"rent\w*\s+(?:[\w-]+\s+){0,3}?(?:GPUs|servers|accelerators|chips|clusters)|"
    # clusters sourced from the provider: "source the clusters from X"
    r"clusters\s+from)\b",
    re.I,
)
#: A counted number of accelerators: "36,000 GB200", "512 Nvidia H200 GPUs".
_GPU_COUNT = re.compile(
    r"\b\d[\d,.]*\s*(?:K\s+)?(?:[A-Z][\w-]*\s+){0,2}(?:GPUs?|accelerators|chips|GB\d+|[HB]\d00s?)\b"
)


_DATACENTER = re.compile(
    "|".join(rf"\b{w}\b" for w in deal_type_words()["datacenter_terms"]) + "|"
    r"\bdata[- ]?cent(?:er|re)\s+(?:capacity|space|lease|campus)|\bmegalease\b|"
    r"\bleas(?:e|es|ed|ing)\b[^.;]{0,60}\b(?:campus|data[- ]?cent(?:er|re)|site|building|halls?|megawatts?)\b|"
    r"\bleas(?:e|es|ed|ing)\b[^.;]{0,60}(?<![A-Za-z])MW\b|\b(?:campus|halls|buildings)\b[^.;]{0,40}\bleas(?:e|es|ed|ing)\b|\bpowered shell|\bbuild-to-suit|\blandlord\b|"
    r"\btenant\s+(?:at|of|in|on)\s+[^.;]{0,60}?\b(?:campus|data[- ]?cent(?:er|re)|site|facility)\b|"
    # space let or taken: "lease space from X", "rents floor space"; megawatts at a building
    r"\b(?:leas|rent)\w*\s+(?:[\w-]+\s+){0,2}?space\b|"
    r"\b\d[\d.,]*\s*(?:MW|megawatts?)\s+(?:at|in)\s+[^.;]{0,40}?\b(?:campus|data[- ]?cent(?:er|re)|building|halls?)\b|"
    # megawatts before the lease that lets them ("for 60MW at Kearney on a 144-month lease"), and a
    # building sized by them ("took the campus's first 30 MW building")
    r"\b\d[\d.,]*\s*(?:MW|megawatts?)\b(?!\s+of\s+(?:[\w-]+\s+){0,2}?(?:GPU|comput|AI|inference|training|cloud|accelerat))"
    r"[^.;]{0,40}?\bleas(?:e|es|ed|ing)\b|"
    r"\b\d[\d.,]*[\s-]*(?:MW|megawatts?)\s+(?:building|hall|campus|data[- ]?cent(?:er|re))s?\b",
    re.I,
)


_SITE_LEASED_FROM = re.compile(
    rf"\b(?:{_fragments('site_nouns')})\b[^.;]{{0,60}}"
    rf"\b(?:{_fragments('site_lease_verbs')})\s+from\b|"
    # the verb first: "it leases the buildings from B", "rents its halls from B"
    rf"\b(?:{_fragments('site_lease_verbs')})\s+(?:the\s+|its\s+|their\s+)?(?:[\w-]+\s+){{0,2}}?"
    rf"(?:{_fragments('leased_sites')})\s+from\b",
    re.I,
)


#: Power let by the megawatt with another verb: "supplies B with 12 MW", "rents 18 MW at its building", "signed 12 MW … with B",
#: "hosts B on 30 MW" — space and power, unless the megawatts are "of GPU capacity" / "of compute";
#: used only when the customer is itself a cloud (``_rents_power_to_a_cloud``).
_MW_SUPPLY = re.compile(
    r"\b(?:rent\w*|suppl\w*|provid\w*|host\w*|takes|took|taking|sign(?:s|ed|ing)?)\b[^.;]{0,40}?\b\d[\d.,]*\s*(?:MW|megawatts?)\b"
    r"(?!\s+of\s+(?:[\w-]+\s+){0,2}?(?:GPU|comput|AI|inference|training|cloud|accelerat))",
    re.I,
)


#: A chipmaker renting out capacity it runs itself: "750 MW of computing power", "its inference capacity".
_CHIP_RENTAL = re.compile(
    r"\b(?:comput(?:e|ing)\s+(?:power|time)|(?:inference|training|cloud|GPU)\s+capacity|"
    r"rent(?:s|ed|ing|al)?|leas(?:e|es|ed|ing)|per\s+(?:month|hour)|a\s+month|cloud\s+services?|as\s+a\s+service)\b"
    # … but not what describes the buyer: "a young GPU rental company", "a leasing firm"
    rf"(?!\s+(?:{_alternation('business_nouns')})\b)",
    re.I,
)


#: Space and power let by the megawatt: the tenant's own GPUs in the hall do not make it a GPU rental.
_POWER_LEASE = re.compile(
    r"\b(?:critical\s+IT|IT\s+load|colocation)\b|"
    r"\b(?:leas(?:e|es|ed|ing)|let|lets|letting)\b[^.;]{0,40}?\b\d[\d.,]*\s*(?:MW|megawatts?)\b|"
    r"\b\d[\d.,]*\s*(?:MW|megawatts?)\b[^.;]{0,40}?\b(?:leas(?:e|es|ed|ing)|colocation)\b",
    re.I,
)


_GPU_RENTAL = re.compile(rf"\b(?:{_fragments('accelerator_words')})\b", re.I)


#: A sale has no term: "for $1 billion over three years", "for three years", "a five-year deal" or
#: "a month" make it a rental (the cues are vocabulary.toml [deal_type] rental_cues).
#: … unless the word describes the buyer ("Felin Cloud, a GPU rental company").
_RENTAL_TERMS = re.compile(
    rf"\b(?:{'|'.join(deal_type_words()['rental_cues'])})\b(?!\s+(?:{_alternation('business_nouns')})\b)",
    re.I,
)


def _rents_power_to_a_cloud(customer: str | None) -> bool:
    """Megawatts taken by a company that itself rents out compute are space and power for its own
    GPUs; a lab or an enterprise taking megawatts may as well be renting GPU capacity sized in MW."""
    return kind_of(customer) in ("cloud", "compute") or (customer or "").endswith(" Cloud")


def _states_gpus(deal: DealDraft) -> bool:
    """The deal's own values count accelerators, told in a sentence after the one naming both parties
    ("The studio will pay X … for 512 Nvidia H200 GPUs"): what is rented is compute."""
    return any(f.field == "accelerator_count" for f in deal.facts)


def deal_type_of(
    deal: DealDraft, title: str | None, is_main: bool = True, main: tuple[str | None, str] | None = None
) -> str:
    """compute | cloud | datacenter | hardware, from the words of the sentences that state the deal;
    ``main`` is the article's main deal (its provider, its type), for a deal in passing."""
    sentences = {a.sentence.text for _, a in deal.claims} | set(deal.context)
    # sorted, and apart: a set's order is hash-seeded, and no pattern may run from one sentence
    # (a title has no full stop) into whichever happened to follow it
    text = " ; ".join(sorted(sentences | ({title} if title and is_main else set())))
    provider_kind = kind_of(deal.provider)
    if provider_kind == "cloud":
        return "cloud"
    # An unknown "X Cloud" is typed by what it rents, not by its name: a cloud service only when the
    # words say so ("cloud services", "the cloud provider"), else GPUs rented, a training run moved
    # to it, or a bare "customer" of it: compute.
    if provider_kind is None and (deal.provider or "").endswith(" Cloud"):
        if _CLOUD_SERVICE.search(text):
            return "cloud"
        if _GPU_COUNT.search(text) or _RENTS_CAPACITY.search(text) or _states_gpus(deal):
            return "compute"  # "1,024 GB200 GPUs", "dedicated GPU capacity": what is rented is compute
        if _HOSTS_WORK.search(text):
            return "cloud"
        # … a customer of the main deal's provider told in passing, its words silent on what it buys
        # ("X already serves insurers, including Y"): the provider's other customers buy what the
        # main one buys
        if not is_main and main is not None and main[0] == deal.provider:
            return main[1]
        return "cloud"  # no word of what is rented: what the provider is, a cloud, is all there is
    # What a known provider sells settles it: a server maker sells hardware, a landlord leases
    # space and power; a GPU cloud ("neocloud") rents compute even when an outlet calls it a cloud.
    if provider_kind in ("hardware", "datacenter"):
        return provider_kind
    # A chipmaker sells chips and systems, unless the words say it rents out its own capacity.
    if provider_kind == "chipmaker":
        return "compute" if _CHIP_RENTAL.search(text) else "hardware"
    # A sale has no term: "for $1 billion over three years" or "a five-year deal" is a rental.
    # … nor a fee by the month: the deal's own values count too ("the service term is 30 months" in a list)
    has_term = any(f.field in ("term_months", "monthly_fee") for f in deal.facts)
    if (
        provider_kind != "compute"
        and _HARDWARE_SALE.search(text)
        and not _RENTAL_TERMS.search(text)
        and not has_term
    ):
        return "hardware"
    if provider_kind != "compute" and _CLOUD.search(text):
        return "cloud"
    if _SITE_LEASED_FROM.search(text):
        return "datacenter"  # "a campus … that A is leasing from B": B is the landlord
    if provider_kind != "compute" and _rents_power_to_a_cloud(deal.customer) and _MW_SUPPLY.search(text):
        return "datacenter"
    if _DATACENTER.search(text) and (
        not _GPU_RENTAL.search(text) or provider_kind == "datacenter" or _POWER_LEASE.search(text)
    ):
        return "datacenter"
    # The sentences that state the pair say what is rented before the context does: a landlord
    # leasing buildings to a GPU cloud is space and power, whatever GPUs the article's own deal rents.
    own = " ; ".join(sorted({a.sentence.text for _, a in deal.claims}))
    if _DATACENTER.search(own) and not _GPU_RENTAL.search(own):
        return "datacenter"
    return "compute"
