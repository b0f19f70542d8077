"""Deals told in passing, eighth round (issue 10, recall): a catalog of passing sentences in the
shapes reporters use, written BEFORE the fix with invented companies, run through the real flow.

Families: a party named by a possessive or pronoun (its, the company's, an earlier name); the
story's subject or speaker as the counterparty; the counterparty as the modifier of the agreement
noun ("its Foo contract"); a provider signing, adding or winning a customer; runs on / trains on /
hosted by / moved to; owner-of-the-thing-leased passives; lists of tenants; comparisons; renewals
and expansions. Near misses (a product's customer, an investor, an acquisition, a partnership with
no rental, a hypothetical, a denied or ended deal, a board seat, a supplier of power or chips, a
guarantor, talks, a joint venture) must make no row between their two companies.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

_LEADS = (
    "{P} signs {C}\n\n{P} will supply 2,048 GPUs to {C} for two years, the companies said on Tuesday.\n\n",
    "{C} rents GPUs from {P}\n\n{C} has agreed to rent 1,024 Nvidia H200 GPUs from {P} for three years, "
    "the start-up said on Monday.\n\n",
    "{P} leases 40 MW to {C}\n\nDALLAS -- {P} has leased 40 MW at its campus near Dallas to {C} under a "
    "ten-year lease, the company said on Wednesday.\n\n",
    "{P} wins {C}\n\n{C} will pay {P} $3 million a month for eighteen months of GPU capacity, according "
    "to a person familiar with the deal.\n\n",
)

# fmt: off
#: (case id, lead template, lead provider, lead customer, the passing text, expected passing
#: (provider, customer) or None for a near miss, and for a near miss the two names that must not
#: make a row in either direction)
CATALOG: list[tuple[str, int, str, str, str, tuple[str, str]]] = [
    # -- a party named by a possessive or pronoun
    ("its_building", 2, "Harnmoor Data Centers", "Velloc AI",
     "Tamsin Robotics moved into 12 MW of its older Waco building last year.",
     ("Harnmoor Data Centers", "Tamsin Robotics")),
    ("owner_possessive_fleet", 0, "Brisco Cloud", "Anvell Labs",
     "Brisco's older H100 fleet is rented to Pellory Vision on a monthly basis.",
     ("Brisco Cloud", "Pellory Vision")),
    ("the_companys_gpus", 0, "Quenby Compute", "Dorrit AI",
     "Lathom Genomics has rented the company's GPUs since 2024.",
     ("Quenby Compute", "Lathom Genomics")),
    ("earlier_name", 2, "Corbridge Data Centers", "Saltley AI",
     "Corbridge, known until this year as Ellerton Colo, is not new to AI tenants. Ellerton Colo's first "
     "tenant was Fadmoor Health, which took 6 MW in 2024.",
     ("Corbridge Data Centers", "Fadmoor Health")),
    ("its_first_customer", 0, "Hexley Cloud", "Mowbray AI",
     "Its first customer, Pilmoor Freight, has rented 256 GPUs from the company since March.",
     ("Hexley Cloud", "Pilmoor Freight")),
    ("it_also_rents", 0, "Yearsley Compute", "Oulston Bio",
     "It also rents 300 GPUs to Whixley Games, a Leeds studio.",
     ("Yearsley Compute", "Whixley Games")),
    ("its_cluster_leased_to", 2, "Ampleforth Data Centers", "Byland AI",
     "Its Reno hall is also leased to Gilling Robotics.",
     ("Ampleforth Data Centers", "Gilling Robotics")),
    ("the_companys_hall", 2, "Coxwold Data Centers", "Kepwick AI",
     "Nunnington Analytics already occupies 5 MW of the company's first hall.",
     ("Coxwold Data Centers", "Nunnington Analytics")),
    # -- the story's subject or speaker as the counterparty
    ("speaker_says", 0, "Sessay Cloud", "Dalton Labs",
     "Husthwaite Media has rented a share of the new cluster for a year, Sessay says.",
     ("Sessay Cloud", "Husthwaite Media")),
    ("another_customer_company_said", 0, "Raskelf Compute", "Topcliffe AI",
     "Another customer, Brafferton Bio, signed on in May, the company said.",
     ("Raskelf Compute", "Brafferton Bio")),
    ("quote_our_gpus", 0, "Tollerton Cloud", "Cundall AI",
     "\"Thormanby Games has been running on our GPUs since January,\" said Ann Keld, chief executive of "
     "Tollerton Cloud.",
     ("Tollerton Cloud", "Thormanby Games")),
    ("according_to_landlord", 2, "Easingwold Data Centers", "Raskby AI",
     "Alne Robotics also leases space in the building, according to Easingwold.",
     ("Easingwold Data Centers", "Alne Robotics")),
    ("took_remaining_said", 2, "Flawith Data Centers", "Myton AI",
     "Tholthorpe Vision took the remaining 4 MW, Flawith said in a filing.",
     ("Flawith Data Centers", "Tholthorpe Vision")),
    # -- the counterparty as the modifier of the agreement noun
    ("its_own_x_contract", 0, "Oswaldkirk Cloud", "Sproxby AI",
     "\"We are not alone,\" a Sproxby spokesperson said. \"Kilburn Labs, another customer, renewed its "
     "own Oswaldkirk contract in June.\"",
     ("Oswaldkirk Cloud", "Kilburn Labs")),
    ("a_x_lease", 2, "Scawton Data Centers", "Cleaves AI",
     "Byland Health signed a Scawton lease for 3 MW in 2025.",
     ("Scawton Data Centers", "Byland Health")),
    ("doubled_its_x_deal", 0, "Kirby Cloud", "Ebberston AI",
     "Wass Analytics doubled its Kirby deal in April.",
     ("Kirby Cloud", "Wass Analytics")),
    ("the_x_agreement_with", 0, "Ryedale Compute", "Appleby AI",
     "The Ryedale agreement with Hawnby Media runs to 2028.",
     ("Ryedale Compute", "Hawnby Media")),
    ("possessive_x_contract", 0, "Rievaulx Cloud", "Snainton AI",
     "Helmsley Bio's Rievaulx contract, signed in 2024, covers 512 GPUs.",
     ("Rievaulx Cloud", "Helmsley Bio")),
    # -- a provider signing, adding or winning a customer
    ("signed_in_month", 0, "Sinnington Cloud", "Wrelton AI",
     "Sinnington signed Marton Freight in June.",
     ("Sinnington Cloud", "Marton Freight")),
    ("added_as_customer", 0, "Cropton Compute", "Hartoft AI",
     "Last quarter the company added Normanby Games as a customer.",
     ("Cropton Compute", "Normanby Games")),
    ("also_won", 0, "Lastingham Compute", "Spaunton AI",
     "Lastingham also won Keld Search, a Leeds search start-up, in September.",
     ("Lastingham Compute", "Keld Search")),
    ("has_landed", 3, "Rosedale Cloud", "Thorgill AI",
     "Since then Rosedale has landed Farndale Health and two smaller labs.",
     ("Rosedale Cloud", "Farndale Health")),
    # -- runs on / trains on / hosted by / moved to
    ("runs_on_gpus", 3, "Hutton Cloud", "Pockley AI",
     "Appleton Speech runs on Hutton Cloud's GPUs.",
     ("Hutton Cloud", "Appleton Speech")),
    ("trains_on_hardware", 0, "Bransdale Compute", "Carlton AI",
     "Kirkby Vision trains its models on Bransdale Compute hardware.",
     ("Bransdale Compute", "Kirkby Vision")),
    ("hosted_by", 0, "Keldy Cloud", "Cawton AI",
     "Gillamoor Search is hosted by Keldy Cloud in its Oslo facility.",
     ("Keldy Cloud", "Gillamoor Search")),
    ("moved_to", 3, "Newton Compute", "Stape AI",
     "Last year Cawthorn Media moved its rendering to Newton Compute.",
     ("Newton Compute", "Cawthorn Media")),
    ("remains_on_platform", 1, "Lockton Cloud", "Wrelby AI",
     "Levisham Labs remains on Lockton Cloud's platform through 2027.",
     ("Lockton Cloud", "Levisham Labs")),
    ("switched_to", 1, "Darnholm Cloud", "Fylingdales AI",
     "Goathland Robotics switched to Darnholm Cloud in March after an outage at its old supplier.",
     ("Darnholm Cloud", "Goathland Robotics")),
    # -- owner-of-the-thing-leased passives
    ("hall_owned_by_leased_to", 0, "Egton Cloud", "Glaisdale AI",
     "The hall, owned by Beckhole Data Centers, is leased to Egton Cloud.",
     ("Beckhole Data Centers", "Egton Cloud")),
    ("building_owned_by_let_to", 2, "Grosmont Data Centers", "Aislaby AI",
     "A 20 MW building owned by Grosmont Data Centers is let to Sleights Analytics.",
     ("Grosmont Data Centers", "Sleights Analytics")),
    ("occupies_x_building", 2, "Lythe Data Centers", "Runswick AI",
     "Ugthorpe Bio occupies a Lythe building in Ashburn.",
     ("Lythe Data Centers", "Ugthorpe Bio")),
    ("which_x_owns_houses", 2, "Mulgrave Data Centers", "Staithes AI",
     "The Sandsend campus, which Mulgrave owns, also houses Lealholm Games' training cluster.",
     ("Mulgrave Data Centers", "Lealholm Games")),
    # -- lists of tenants
    ("bullet_tenants_1", 2, "Westerdale Data Centers", "Baysdale AI",
     "Other tenants at the campus:\n\n- Danby Labs, 10 MW\n\n- Castleton Media, 4 MW",
     ("Westerdale Data Centers", "Danby Labs")),
    ("bullet_tenants_2", 2, "Westerdale Data Centers", "Baysdale AI",
     "Other tenants at the campus:\n\n- Danby Labs, 10 MW\n\n- Castleton Media, 4 MW",
     ("Westerdale Data Centers", "Castleton Media")),
    ("colon_customer_list", 0, "Commondale Cloud", "Kildale AI",
     "Commondale's other customers: Stokesley Freight, Ingleby Health and Busby Games.",
     ("Commondale Cloud", "Ingleby Health")),
    ("counts_among_tenants", 2, "Lazenby Data Centers", "Wilton AI",
     "The company also counts Dormanstown Freight among its tenants.",
     ("Lazenby Data Centers", "Dormanstown Freight")),
    ("another_x_customer", 0, "Redcar Cloud", "Coatham AI",
     "Yearby Labs is another Redcar Cloud customer.",
     ("Redcar Cloud", "Yearby Labs")),
    ("second_tenant", 2, "Lackenby Data Centers", "Lazby AI",
     "Wilton Genomics signed on as the campus's second tenant in 2025.",
     ("Lackenby Data Centers", "Wilton Genomics")),
    # -- comparisons
    ("like_a_before_it", 0, "Marton Compute", "Ormesby AI",
     "Like Ayton Labs before it, Nunthorpe Search signed with Marton Compute.",
     ("Marton Compute", "Nunthorpe Search")),
    ("as_a_did", 0, "Skelton Cloud", "Brotby AI",
     "As Guisborough AI did last year, Hutton Rudby Bio is renting its GPUs from Skelton Cloud.",
     ("Skelton Cloud", "Hutton Rudby Bio")),
    ("like_its_rival", 0, "Carlin Cloud", "Easington AI",
     "Much like its rival Brotton Media, Loftus Games now rents capacity from Carlin Cloud.",
     ("Carlin Cloud", "Loftus Games")),
    # -- renewals and expansions
    ("extended_its_x_lease", 2, "Lingdale Data Centers", "Charltons AI",
     "Boosbeck Analytics extended its Lingdale lease by two years.",
     ("Lingdale Data Centers", "Boosbeck Analytics")),
    ("renewed_with", 0, "Stanghow Cloud", "Slapewath AI",
     "Moorsholm Health renewed with Stanghow Cloud for another 18 months.",
     ("Stanghow Cloud", "Moorsholm Health")),
    ("expanded_contract_with", 0, "Margrove Compute", "Dunsdale AI",
     "Liverton Robotics expanded its contract with Margrove Compute to 2,000 GPUs.",
     ("Margrove Compute", "Liverton Robotics")),
    ("doubled_capacity_from", 0, "Kilton Cloud", "Skinningrove AI",
     "Upleatham Vision has doubled the capacity it takes from Kilton Cloud.",
     ("Kilton Cloud", "Upleatham Vision")),
    ("eston_which_took", 2, "Grangetown Data Centers", "Southbank AI",
     "Eston Media, which took 2 MW at the site in 2025, is still there.",
     ("Grangetown Data Centers", "Eston Media")),
]

#: Near misses: (case id, lead, lead provider, lead customer, text, the two names that make no row).
NEAR_MISSES: list[tuple[str, int, str, str, str, tuple[str, str]]] = [
    ("product_customer", 0, "Tollesby Cloud", "Acklam AI",
     "Hemlington Bank is a customer of Tollesby's accounting software.",
     ("Tollesby Cloud", "Hemlington Bank")),
    ("investor", 0, "Maltby Cloud", "Stainton AI",
     "Maltby's investors include Linthorpe Capital, which led its $50 million round.",
     ("Linthorpe Capital", "Maltby Cloud")),
    ("acquisition", 0, "Coulby Cloud", "Newham AI",
     "Coulby bought Thornton Data Centers for $300 million in 2025.",
     ("Coulby Cloud", "Thornton Data Centers")),
    ("partnership_no_rental", 0, "Ingleby Cloud", "Barwick AI",
     "Ingleby also has a research partnership with Preston University on liquid cooling.",
     ("Ingleby Cloud", "Preston University")),
    ("hypothetical_could", 0, "Mandale Cloud", "Tilery AI",
     "Portrack Robotics could rent capacity from Mandale next year, analysts said.",
     ("Mandale Cloud", "Portrack Robotics")),
    ("denied", 0, "Bassleton Cloud", "Thornaby AI",
     "Haverton Search denied a report that it had signed with Bassleton.",
     ("Bassleton Cloud", "Haverton Search")),
    ("ended", 0, "Norton Cloud", "Billingham AI",
     "Wolviston Media ended its contract with Norton Cloud in 2025 and now runs its own servers.",
     ("Norton Cloud", "Wolviston Media")),
    ("board_seat", 0, "Wynyard Cloud", "Greatham AI",
     "Elwick Capital's Jane Hart sits on the board of Wynyard Cloud.",
     ("Elwick Capital", "Wynyard Cloud")),
    ("power_supplier", 2, "Sedgefield Data Centers", "Fishburn AI",
     "Trimdon Energy supplies power to the campus under a 20-year agreement.",
     ("Trimdon Energy", "Sedgefield Data Centers")),
    ("chip_supplier", 2, "Mordon Data Centers", "Bradbury AI",
     "Chilton Semiconductors supplies the chips for the campus's servers.",
     ("Chilton Semiconductors", "Mordon Data Centers")),
    ("stalled_loi", 0, "Merrington Cloud", "Ferryhill AI",
     "A letter of intent between Cornforth AI and Merrington Cloud lapsed in 2025 without a contract.",
     ("Merrington Cloud", "Cornforth AI")),
    ("backed_startup", 0, "Shildon Cloud", "Eldon AI",
     "Eldon is a Byers Capital-backed start-up.",
     ("Byers Capital", "Eldon AI")),
    ("in_talks", 0, "Coundon Cloud", "Binchester AI",
     "Escomb Labs is in early talks with Coundon about capacity.",
     ("Coundon Cloud", "Escomb Labs")),
    ("joint_venture", 0, "Witton Cloud", "Auckland AI",
     "Witton and Hunwick Power also formed a joint venture to build a 100 MW site.",
     ("Witton Cloud", "Hunwick Power")),
    ("software_license", 0, "Helmington Cloud", "Crook AI",
     "Willington Health licenses Howden Analytics' imaging software.",
     ("Howden Analytics", "Willington Health")),
    ("guarantor", 2, "Tow Law Data Centers", "Stanley AI",
     "Satley Holdings, the tenant's parent, guarantees the lease.",
     ("Satley Holdings", "Tow Law Data Centers")),
    ("former_customer", 0, "Wolsingham Cloud", "Frosterley AI",
     "Stanhope Games, a former customer of Wolsingham, moved to its own servers in 2024.",
     ("Wolsingham Cloud", "Stanhope Games")),
    # written after the first measurement: a list of prospects under a heading (the bullet frame),
    # a place read as the modifier of "deal" (table_tune11)
    ("prospect_bullets", 0, "Hawes Cloud", "Gayle AI",
     "Prospective customers named in the deck:\n\n- Askrigg Labs\n\n- Bainbridge Media",
     ("Hawes Cloud", "Askrigg Labs")),
    ("place_modifier", 0, "Garsdale Cloud", "Dentdale AI",
     "Garsdale's Aarhus deal, its first in Denmark, runs for ten years.",
     ("Garsdale Cloud", "Aarhus")),
]
# fmt: on


#: Cases the mechanisms do not reach yet, each with why (strict: a case that starts passing must
#: leave this list). Before the round-8 frames 18 of the 46 passing cases passed; 40 after.
KNOWN_MISSES = {
    "earlier_name": "the row keeps the earlier name's pair apart from the renamed company's",
    "a_x_lease": "'signed a Foo lease' left out: 'signed' as an agreement verb made a wrong pair",
    "hall_owned_by_leased_to": "the owner's name after 'owned by' is not found as a company",
    "counts_among_tenants": "'counts X among its tenants' with 'the company' as subject",
    "like_a_before_it": "'Like Ayton Labs' is read as one name; 'signed with' stays undirected",
}


def _cases(
    table: list[tuple[str, int, str, str, str, tuple[str, str]]], known: dict[str, str] | None = None
) -> list:
    """The table's expected pairs as test params; a case in ``known`` (default this module's
    KNOWN_MISSES) is a strict xfail, so one that starts passing must leave the list."""
    known = KNOWN_MISSES if known is None else known
    return [
        pytest.param(
            *c[5],
            id=c[0],
            marks=[pytest.mark.xfail(reason=known[c[0]], strict=True)] if c[0] in known else [],
        )
        for c in table
    ]


def _text(lead: int, provider: str, customer: str, aside: str) -> str:
    return _LEADS[lead].format(P=provider, C=customer) + aside


def _same(name: str, want: str) -> bool:
    """A row's name is the wanted company: the whole name, or its first word as a short name."""
    return name == want or name.split()[0] == want.split()[0]


def deals_of(
    cases: list[tuple[str, int, str, str, str, tuple[str, str]]], folder: Path
) -> set[tuple[str, str]]:
    """Ingest one article per case (a lead paragraph and the passing text) through the real flow
    into one database, and return the (provider, customer) rows of its deals view."""
    from flows.ingest import ingest

    seen: set[str] = set()
    for case, lead, provider, customer, aside, _ in cases:
        text = _text(lead, provider, customer, aside)
        if text not in seen:  # two list cases share one article
            seen.add(text)
            (folder / f"{case}.txt").write_text(text, encoding="utf-8")
    db = Path(folder) / "dw.duckdb"
    ingest([str(folder)], db_path=str(db), quiet=True)
    with duckdb.connect(str(db), read_only=True) as con:
        return set(con.execute("SELECT provider, customer FROM deals").fetchall())


@pytest.fixture(scope="module")
def rows(tmp_path_factory: pytest.TempPathFactory, prefect_harness) -> set[tuple[str, str]]:
    return deals_of(CATALOG + NEAR_MISSES, tmp_path_factory.mktemp("catalog"))


def _has(rows: set[tuple[str, str]], provider: str, customer: str) -> bool:
    return any(_same(p, provider) and _same(c, customer) for p, c in rows)


@pytest.mark.parametrize(("provider", "customer"), _cases(CATALOG))
def test_a_deal_told_in_passing_is_a_row_the_right_way_round(rows, provider, customer):
    assert _has(rows, provider, customer)
    assert not _has(rows, customer, provider)


@pytest.mark.parametrize(("a", "b"), _cases(NEAR_MISSES))
def test_a_near_miss_makes_no_row_between_its_two_companies(rows, a, b):
    assert not _has(rows, a, b) and not _has(rows, b, a)
