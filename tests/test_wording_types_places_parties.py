"""Deal type, hardware, places, parties and called-off deals on new wordings: a chip family beside its
model, GPU clouds and megawatt leases, towns and regions never parties, defined terms in press
releases, quoted site names, deals that were called off. Sentences written for this test with
invented companies."""

import pytest

from extractors.models import Article
from extractors.pipeline import extract_articles


def _main(text: str):
    (result,) = extract_articles([Article(article_id="t", url="u", text=text)])
    assert result.is_deal_relevant, result.reason
    return result.mentions[0]


def _hardware(m) -> set[str]:
    return {f.value for f in m.facts if f.field == "hardware"}


# A chip family named in one sentence beside the exact model in another is the model only.
@pytest.mark.parametrize(
    "text, model",
    [
        (
            "Quillon Cloud wins Blackwell order\n\nQuillon Cloud will rent 4,000 Nvidia GB200 "
            "superchips to Marrow Labs for two years under a $300 million contract. The Blackwell "
            "systems go into Quillon's hall in Reno.",
            "Nvidia GB200",
        ),
        (
            "Pellucid buys Blackwell servers\n\nPellucid AI agreed to buy 2,000 Nvidia B200 GPUs from "
            "Tarnbrook Systems for $90 million. Tarnbrook said Blackwell demand is outrunning supply.",
            "Nvidia B200",
        ),
        (
            "Sorrel signs for Grace Blackwell\n\nSorrel Robotics will lease 1,500 Grace Blackwell "
            "chips from Ardent Compute for 18 months. Ardent said the Blackwell parts ship in May.",
            "Nvidia Grace Blackwell",
        ),
    ],
)
def test_family_beside_its_model_is_dropped(text, model):
    hw = _hardware(_main(text))
    assert model in hw and "Nvidia Blackwell" not in hw, hw


# An unknown "X Cloud" renting out a counted number of GPUs is a GPU cloud: compute, not cloud.
@pytest.mark.parametrize(
    "text",
    [
        "Marrow Labs to use 8,000 H100s from Quillon Cloud\n\nMarrow Labs will rent 8,000 Nvidia H100 "
        "GPUs from Quillon Cloud for three years, the companies said on Tuesday.",
        "Ostrava Cloud will supply 1,024 Nvidia H200 GPUs to Fennel AI under a two-year contract worth "
        "$40 million, Fennel said.",
        "Fennel AI has signed a $25 million deal with Brightwater Cloud for 2,048 B200 GPUs in Oslo, "
        "the start-up said on Monday.",
    ],
)
def test_gpu_cloud_sells_compute(text):
    assert _main(text).deal_type == "compute"


# Space and power let by the megawatt is a data-center deal even when the tenant's GPUs are named.
@pytest.mark.parametrize(
    "text",
    [
        "Harrowgate Data signs AI tenant\n\nHarrowgate Data agreed a seven-year lease of 12MW to Pellucid "
        "AI, which will fill the hall with its own Nvidia GPU racks.",
        "Ridgeline Hosting will provide 30 MW of critical IT load to Sorrel Robotics for five years; "
        "Sorrel brings its own H200 servers.",
        "Osier Digital has leased 18 megawatts at its Tulsa campus to Marrow Labs, which plans to "
        "install GPUs there next year.",
    ],
)
def test_megawatt_lease_is_datacenter(text):
    assert _main(text).deal_type == "datacenter"


def _places(text: str) -> list[str]:
    from extractors.models import Sentence
    from extractors.places import place_facts

    return [f.value for f in place_facts(Sentence(text, 0)) if f.field == "location"]


# A town whose name ends like a demonym ("-an") is still a town before its region; a county or
# French department is a region; "in the <region>" names where the site is.
@pytest.mark.parametrize(
    "text, place",
    [
        ("The racks go into Osier's Plover campus in Logan, Utah, next spring.", "Logan, Utah"),
        ("Harrowgate will host the cluster at a hall in Morgan, Texas.", "Morgan, Texas"),
        ("The site sits in Blyth, Northumberland, near the old power station.", "Blyth, Northumberland"),
        ("The hall is in Évry, Essonne, south of the capital.", "Évry, Essonne"),
        (
            "The servers will be placed in a building located in the Yvelines, west of the capital.",
            "Yvelines",
        ),
    ],
)
def test_town_and_region_places(text, place):
    assert place in _places(text)


def test_demonym_is_still_not_a_town():
    assert _places("The Norwegian operator signed with a Texan start-up.") == []


# A town before a descriptor ("Oslo start-up X", "the Bend, Oregon-based maker") is where a company
# lives, never a party; the descriptor still points back at the company.
@pytest.mark.parametrize(
    "text, parties",
    [
        (
            "Quillon Cloud will rent 512 Nvidia H200 GPUs to Oslo start-up Fennel AI for 12 months, "
            "the companies said.",
            ("Quillon Cloud", "Fennel AI"),
        ),
        (
            "Harrowgate Data has leased 4MW at its Leeds campus to Berlin AI lab Pellucid Systems for "
            "three years, Harrowgate said.",
            ("Harrowgate Data", "Pellucid Systems"),
        ),
        (
            "Tarnbrook Systems shares rose 6% on Friday. The Bend, Oregon-based server maker has agreed "
            "to sell GPU servers to Marrow Labs for $400 million, according to a report.",
            ("Tarnbrook Systems", "Marrow Labs"),
        ),
        (
            "Ostrava Cloud lets 2MW of GPU capacity to Madrid developer Sorrel Robotics for two years, "
            "the company said.",
            ("Ostrava Cloud", "Sorrel Robotics"),
        ),
    ],
)
def test_place_before_descriptor_is_not_a_party(text, parties):
    m = _main(text)
    assert (m.provider, m.customer) == parties


# "signed its biggest client so far, the X": the role noun's appositive is the customer; a time
# adverb before the pronoun ("Last month it …", "On Tuesday it …") keeps the pronoun the last subject.
@pytest.mark.parametrize(
    "text, parties",
    [
        (
            "Osier Digital operates a GPU cloud in Tulsa. Last month it signed its biggest client so far, "
            "the Dutch robotics lab Fennel AI, for 1,024 H200 GPUs over two years.",
            ("Osier Digital", "Fennel AI"),
        ),
        (
            "Brightwater Cloud rents out GPUs in Reno. On Tuesday it landed a new customer: Marrow Labs, "
            "which will rent 600 B200 GPUs for $3 million a month.",
            ("Brightwater Cloud", "Marrow Labs"),
        ),
        (
            "Ardent Compute has signed its first tenant, the Lisbon-based start-up Pellucid AI, paying "
            "EUR 900,000 per quarter for 512 GPUs.",
            ("Ardent Compute", "Pellucid AI"),
        ),
    ],
)
def test_signed_customer_appositive(text, parties):
    m = _main(text)
    assert (m.provider, m.customer) == parties


def test_a_fee_per_quarter_is_deal_language():
    m = _main(
        "Ridgeline Hosting and Sorrel Robotics agree terms\n\nSorrel Robotics will use 256 H100 GPUs run "
        "by Ridgeline Hosting for 18 months. Sorrel pays Ridgeline Hosting $1.5 million per quarter."
    )
    assert (m.provider, m.customer) == ("Ridgeline Hosting", "Sorrel Robotics")


# A press release's defined terms ("TIG" or "the Group") are the full name: one deal, one party.
@pytest.mark.parametrize(
    "text, parties",
    [
        (
            "Marrow Labs picks Tessellate for GPUs. Tessellate Infrastructure Group plc (LSE: TSLG) "
            '("TIG" or "the Group") today announced a contract with Marrow Labs. Under the contract, TIG '
            "will rent 1,024 H200 GPUs to Marrow Labs for $2 million a month.",
            ("Tessellate Infrastructure Group", "Marrow Labs"),
        ),
        (
            'Quarry Peak Technologies Inc. (NYSE: QPK) (the "Company" or "QPT") announced a five-year '
            "lease. QPT will lease 20 MW to Fennel AI at its Abilene campus.",
            ("Quarry Peak Technologies", "Fennel AI"),
        ),
        (
            "Halvard Systems, Inc. (Nasdaq: HLVD) (“Halvard” or “the Company”) today said it will supply "
            "4,000 GPUs to Pellucid AI. The Company expects revenue of $50 million a year from Pellucid AI.",
            ("Halvard Systems", "Pellucid AI"),
        ),
    ],
)
def test_press_release_defined_terms(text, parties):
    (result,) = extract_articles([Article(article_id="t", url="u", text=text)])
    assert result.is_deal_relevant, result.reason
    assert {(m.provider, m.customer) for m in result.mentions} == {parties}


# A quoted name right before "campus/site/project/data center" is a facility, never a company.
@pytest.mark.parametrize(
    "text, parties",
    [
        (
            'Osier Digital will lease 40 MW at its "Bluestem" campus to Fennel AI for ten years, the '
            "company said.",
            ("Osier Digital", "Fennel AI"),
        ),
        (
            "Marrow Labs has agreed to rent 2,000 GPUs from Ardent Compute at the ‘Kestrel Ridge’ site in "
            "Wichita, Kansas, for $5 million a month.",
            ("Ardent Compute", "Marrow Labs"),
        ),
        (
            'Pellucid AI will pay Harrowgate Data $3 million a month for capacity at the "Ironbark" '
            "project in Abilene, Texas.",
            ("Harrowgate Data", "Pellucid AI"),
        ),
    ],
)
def test_quoted_site_name_is_not_a_party(text, parties):
    (result,) = extract_articles([Article(article_id="t", url="u", text=text)])
    assert result.is_deal_relevant, result.reason
    assert [(m.provider, m.customer) for m in result.mentions] == [parties]


# A deal called off or never reached is not a deal, whatever it would have rented.
@pytest.mark.parametrize(
    "text",
    [
        "Fennel AI walks away from GPU talks\n\nFennel AI has broken off negotiations with Ardent Compute "
        "over renting 5,000 GPUs for $200 million, people familiar said. Fennel will build its own cluster.",
        "Marrow Labs calls off $1 billion cloud deal\n\nMarrow Labs called off a planned $1 billion GPU "
        "capacity contract with Quillon Cloud on Friday. Talks had stalled over delivery dates.",
        "Lease collapses\n\nTalks between Pellucid AI and Osier Digital to lease 30 MW at the Tulsa campus "
        "collapsed this week, and Pellucid is no longer in talks with any landlord.",
    ],
)
def test_called_off_deal_is_not_a_deal(text):
    (result,) = extract_articles([Article(article_id="t", url="u", text=text)])
    assert not result.is_deal_relevant


# Hardware the buyer says it will not use, or that a seller rents to everyone else, is not the deal's.
@pytest.mark.parametrize(
    "text, passing",
    [
        ("Fennel AI has said it has no plans to use Quillon's TPUs, so expect GPU instances.", "Google TPU"),
        (
            "Brightwater Cloud has been renting out its H100 GPUs to outside customers for years.",
            "Nvidia H100",
        ),
        ("Fennel AI will not use the B200 chips on offer.", "Nvidia B200"),
    ],
)
def test_hardware_not_used_is_in_passing(text, passing):
    from extractors.hardware import hardware_facts
    from extractors.models import Sentence

    facts = {f.value: f for f in hardware_facts(Sentence(text, 0)) if f.field == "hardware"}
    assert facts[passing].attrs.get("in_passing")
