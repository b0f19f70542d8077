"""People quoted in deal stories (executives, analysts, spokespeople, founders) are never parties;
the company they speak for is."""

import pytest

from extractors.models import Article
from extractors.pipeline import extract_articles

_LEAD = "Brindle Compute lands Meta contract\n\n"
_DEAL = "Brindle Compute will supply 20,000 GPUs to Meta under a $2 billion contract."
_PEOPLE = {"Jane Roe", "John Doe", "Mark Lee", "Anna Park", "Roe", "Doe", "Lee", "Park"}


def _pairs(text: str) -> list[tuple[str | None, str | None]]:
    (result,) = extract_articles([Article(article_id="t", url="u", text=text)])
    return [(m.provider, m.customer) for m in result.mentions]


@pytest.mark.parametrize(
    "extra",
    [
        # Title before the name.
        "Chief executive Jane Roe said the company could have signed a larger contract with Meta.",
        "CEO John Doe said Meta signed a contract with the company last week.",
        "Managing Director Jane Roe signed the contract with Meta on Tuesday.",
        "Co-founder Mark Lee said Meta will pay $2 billion over three years.",
        # Appositives after the name.
        "Jane Roe, the company's chief executive, said Meta signed a larger contract with Brindle Compute.",
        "Jane Roe, Brindle's head of sales, said Meta signed a contract with Jane Roe's team.",
        # An analyst at a bank, and a spokesperson.
        "John Doe, an analyst at Mizuho, said Meta will pay Brindle Compute more next year.",
        "Anna Park, a spokeswoman for Brindle Compute, said Meta agreed to pay $2 billion.",
        # Quote attributions with the title after a verb of saying.
        "The deal is worth $2 billion, said Jane Roe, chief executive of Brindle Compute.",
        "Meta will pay $2 billion, CEO John Doe told analysts on the call.",
        # The surname alone later in the story is the same person.
        "Vice president Anna Park said Meta signed the deal. Park said Meta signed a contract with Park's group.",
    ],
)
def test_people_are_never_parties(extra):
    pairs = _pairs(_LEAD + _DEAL + " " + extra)
    assert pairs, "the deal itself is still found"
    assert pairs[0] == ("Brindle Compute", "Meta")
    for provider, customer in pairs:
        assert provider not in _PEOPLE and customer not in _PEOPLE, pairs


def test_executive_only_sentence_gives_no_person_party():
    pairs = _pairs(
        "Brindle Compute deal\n\nBrindle Compute said on Monday it won a contract. "
        "Chief executive Jane Roe said the company signed a contract with Meta worth $2 billion."
    )
    for provider, customer in pairs:
        assert provider not in _PEOPLE and customer not in _PEOPLE, pairs


def test_the_company_a_speaker_mentions_is_the_one_named_before():
    pairs = _pairs(
        "Brindle Compute deal\n\nBrindle Compute said on Monday it won a contract. "
        "Chief executive Jane Roe said the company signed a contract with Meta worth $2 billion."
    )
    assert pairs[0] == ("Brindle Compute", "Meta")


@pytest.mark.parametrize(
    ("text", "pair"),
    [
        # Companies that read like people or sit near a title stay parties.
        (
            "Lambda signs Microsoft deal\n\nLambda will provide Microsoft with GPUs under a $1 billion "
            "contract, chief executive Stephen Balaban said.",
            ("Lambda", "Microsoft"),
        ),
        (
            "Together AI deal\n\nTogether AI will supply GPUs to Meta under a $1 billion contract, "
            "its president said.",
            ("Together AI", "Meta"),
        ),
        (
            "Jack Henry deal\n\nBrindle Compute will provide Jack Henry & Associates with GPUs under a "
            "$1 billion contract.",
            ("Brindle Compute", "Jack Henry & Associates"),
        ),
        (
            "Meta deal\n\nBrindle Compute will supply GPUs to Meta, whose chief executive praised the "
            "$2 billion contract.",
            ("Brindle Compute", "Meta"),
        ),
        (
            "Dell deal\n\nChief executive Michael Dell said Dell will supply GPUs to Meta under a "
            "$2 billion contract.",
            ("Dell", "Meta"),
        ),
    ],
)
def test_company_names_near_titles_stay_parties(text, pair):
    assert _pairs(text)[0] == pair
