"""Hardware models, accelerator counts and power capacity; hardware of other systems in passing."""

from __future__ import annotations

import pytest

from extractors.hardware import hardware_facts
from extractors.models import ArticleContext, Sentence


def _facts(text: str):
    return hardware_facts(Sentence(text, 0), ArticleContext())


def _deal(text: str, field: str):
    return [f.value for f in _facts(text) if f.field == field and not f.attrs.get("in_passing")]


@pytest.mark.parametrize(
    "text,models",
    [
        ("The deal gives access to 110,000 Nvidia GB300 GPUs.", ["Nvidia GB300"]),
        ("Tenants will get GB200 NVL72 racks.", ["Nvidia GB200"]),
        ("The cloud will run Vera Rubin systems next year.", ["Nvidia Vera Rubin"]),
        ("The lab rents Rubin GPUs from the operator.", ["Nvidia Rubin"]),
        ("Capacity is built on AMD's MI355X accelerators.", ["AMD MI355X"]),
        ("It reserves Instinct MI325X and MI300X chips.", ["AMD MI325X", "AMD MI300X"]),
        ("The startup will use up to one million TPUs.", ["Google TPU"]),
        ("Workloads move to TPU v5p and Trillium pods.", ["Google TPU v5p", "Google Trillium"]),
        ("It commits to Trainium2 chips in Ohio.", ["AWS Trainium2"]),
        ("The buyer takes H200s and B200s.", ["Nvidia H200", "Nvidia B200"]),
        ("The contract covers Gaudi 3 accelerators.", ["Intel Gaudi 3"]),
        ("A cluster of Cerebras systems is included.", ["Cerebras"]),
    ],
)
def test_models(text, models):
    assert _deal(text, "hardware") == models


@pytest.mark.parametrize(
    "text,passing",
    [
        ("The original cluster houses H100s, while the new hall runs GB200s.", "Nvidia H100"),
        ("Its previous generation ran on A100s.", "Nvidia A100"),
        ("The GB300 is the successor to the H100.", "Nvidia H100"),
    ],
)
def test_hardware_in_passing_is_flagged(text, passing):
    flagged = [f for f in _facts(text) if f.field == "hardware" and f.value == passing]
    assert flagged and all(f.attrs.get("in_passing") and f.confidence < 0.5 for f in flagged)


@pytest.mark.parametrize(
    "text,count,qualifier",
    [
        ("The deal gives access to 110,000 Nvidia GB300 GPUs.", 110000, None),
        ("Quillmark will rent up to one million TPUs.", 1000000, "up to"),
        ("The lessor supplies 40,000 of AMD's MI355X accelerators.", 40000, None),
        ("More than 100,000 GPUs will be installed.", 100000, "more than"),
        ("It adds 16,000 H200s.", 16000, None),
        ("The site will hold 1 million chips.", 1000000, None),
        ("Roughly 52,000 Blackwell GPUs are reserved.", 52000, "about"),
    ],
)
def test_counts(text, count, qualifier):
    (f,) = [f for f in _facts(text) if f.field == "accelerator_count"]
    assert (f.value, f.attrs["qualifier"]) == (count, qualifier)


@pytest.mark.parametrize(
    "text",
    [
        "Tens of thousands of GPUs will be installed.",
        "Hundreds of thousands of chips are on order across the industry.",
        "It spent $40 billion on GPUs.",
        "Its 2026 chips are faster.",
    ],
)
def test_no_count(text):
    assert _deal(text, "accelerator_count") == []


@pytest.mark.parametrize(
    "text,mw",
    [
        ("The campus will draw 1.2 GW of power.", 1200.0),
        ("A first phase of 300 megawatts comes online.", 300.0),
        ("The 150MW facility opens in March.", 150.0),
        ("The 1.5-gigawatt campus is under construction.", 1500.0),
        ("The lab secures a gigawatt of capacity.", 1000.0),
        ("The hall adds 90 MW.", 90.0),
    ],
)
def test_capacity(text, mw):
    assert _deal(text, "capacity_mw") == [mw]


def test_energy_is_not_capacity():
    assert _deal("The site used 500 MWh of electricity last month.", "capacity_mw") == []


def test_fleet_power_is_in_passing():
    (f,) = [f for f in _facts("The operator runs 2 GW across its global fleet.") if f.field == "capacity_mw"]
    assert f.attrs.get("in_passing") is True


def test_count_in_words_with_capital():
    text = "Twenty thousand AMD MI355X accelerators will be supplied."
    assert _deal(text, "accelerator_count") == [20000]


@pytest.mark.parametrize(
    "text,model",
    [
        (
            "Pell's first site, in Manitoba, runs a mix of A100 and H100 chips for smaller customers.",
            "Nvidia A100",
        ),
        ("AMD launched its MI400 series last month; the new chips are not part of the order.", "AMD MI400"),
    ],
)
def test_other_sites_hardware_is_in_passing(text, model):
    (f,) = [f for f in _facts(text) if f.value == model]
    assert f.attrs.get("in_passing") is True


def test_company_named_grid_is_not_a_fleet_cue():
    assert _deal("Dunmore Grid leases 300 MW to the lab.", "capacity_mw") == [300.0]


def test_family_name_is_marked():
    (f,) = [f for f in _facts("The startup rents Trainium capacity.") if f.field == "hardware"]
    assert f.attrs.get("family") is True


def test_hyphenated_count():
    assert _deal("The full 80,000-GPU buildout ends next year.", "accelerator_count") == [80000]


@pytest.mark.parametrize(
    "text,models",
    [
        ("The lab will rent Blackwell-based servers.", ["Nvidia Blackwell"]),
        ("It runs on GB300-class racks.", ["Nvidia GB300"]),
        ("Pell rents Trainium capacity, mostly Trainium2 chips.", ["AWS Trainium2"]),
        ("It uses Google's TPUs and Nvidia's GB200s.", ["Google TPU", "Nvidia GB200"]),
    ],
)
def test_suffixes_and_family_names(text, models):
    assert _deal(text, "hardware") == models
