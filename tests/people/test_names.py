"""The pure name rules, on names as the corpus writes them (signers, classifiers,
person tags of the Cablegate sample and the seed cable)."""

from __future__ import annotations

import itertools

import pytest

from people.names import (
    CLASSIFIED,
    SIGNED,
    TAGGED,
    Name,
    Occurrence,
    assign,
    cable_mentions,
    display_for,
    is_person_tag,
    parse_name,
)


@pytest.mark.parametrize(
    ("written", "display", "key"),
    [
        # signers: surnames, as the last line of a cable writes them
        ("CELLUCCI", "CELLUCCI", "cellucci"),
        ("WILKINS", "WILKINS", "wilkins"),
        ("CROCKER", "CROCKER", "crocker"),
        ("Scobey", "SCOBEY", "scobey"),
        ("van Voorst", "VAN VOORST", "van-voorst"),
        ("VAN VOORST", "VAN VOORST", "van-voorst"),
        ("LA LIME", "LA LIME", "la-lime"),
        ("O'BRIEN", "O'BRIEN", "obrien"),
        ("LeBaron", "LEBARON", "lebaron"),
        # classifiers: the parser leaves the name; titles are stripped all the same
        ("Brian Flora", "FLORA, Brian", "flora_brian"),
        ("Ambassador Paul Cellucci", "CELLUCCI, Paul", "cellucci_paul"),
        ("DCM Brian Flora", "FLORA, Brian", "flora_brian"),
        ("Brian Flora, DCM", "FLORA, Brian", "flora_brian"),
        ("Charge d'Affaires a.i. Brian Flora", "FLORA, Brian", "flora_brian"),
        ("A/S Brian Flora", "FLORA, Brian", "flora_brian"),
        ("Mr. Paul Cellucci", "CELLUCCI, Paul", "cellucci_paul"),
        ("Gene A. Cretz", "CRETZ, Gene A.", "cretz_gene"),
        ("Gene Cretz", "CRETZ, Gene", "cretz_gene"),
        ("E. Anthony Wayne", "WAYNE, E. Anthony", "wayne_anthony"),
        ("Carol van Voorst", "VAN VOORST, Carol", "van-voorst_carol"),
        ("Robert O. Blake, Jr.", "BLAKE, Robert O., Jr.", "blake_robert"),
        ("CLARK T. RANDT, JR.", "RANDT, Clark T., Jr.", "randt_clark"),
        ("Martinez, Vilma", "MARTINEZ, Vilma", "martinez_vilma"),
        ("VilmaSMartinez", "MARTINEZ, Vilma S.", "martinez_vilma"),
        ("Stepheson, Barbara J", "STEPHESON, Barbara J.", "stepheson_barbara"),
        ("Schechter Torres, Julie", "SCHECHTER TORRES, Julie", "schechter-torres_julie"),
        ("W.Brafman", "BRAFMAN, W.", "brafman_w"),
        ("TLManlowe", "MANLOWE, T. L.", "manlowe_t"),
        ("DENNIS HEARNE", "HEARNE, Dennis", "hearne_dennis"),
        # person tags: surname first
        ("GATES, ROBERT M.", "GATES, Robert M.", "gates_robert"),
        ("STEINBERG, JAMES B.", "STEINBERG, James B.", "steinberg_james"),
        # accents folded in the key, kept in the display
        ("José Muñoz", "MUÑOZ, José", "munoz_jose"),
    ],
)
def test_parse_name(written, display, key):
    name = parse_name(written)
    assert name is not None
    assert (name.display, name.key) == (display, key)
    # the display form reads back as the same person
    again = parse_name(name.display)
    assert again is not None and again.key == key


@pytest.mark.parametrize("written", ["XXXXXXXXXXXX", "Cl", "ZZH", "UUUUU", "Ambassador", ""])
def test_no_name(written):
    assert parse_name(written) is None


def test_middle_initials_and_case_do_not_split_a_person():
    keys = {parse_name(w).key for w in ("GATES, ROBERT M.", "Robert M. Gates", "GATES, ROBERT")}
    assert keys == {"gates_robert"}


@pytest.mark.parametrize(
    ("signer", "written"),
    [
        ("CELLUCCI", ["CELLUCCI"]),
        ("CRETZ  CRETZ", ["CRETZ"]),
        ("SHANNON Shannon", ["SHANNON"]),
        ("BRENNAN FOR GROSSMAN", ["BRENNAN", "GROSSMAN"]),
        ("SMITH/JONES", ["SMITH", "JONES"]),
        ("POLASCHIK CRETZ", ["POLASCHIK", "CRETZ"]),
        ("VAN VOORST", ["VAN VOORST"]),
        ("CDA Griffiths", ["Griffiths"]),
        ("TIMKEN JR", ["TIMKEN"]),
        ("ZNR UUUUU ZZH", []),
    ],
)
def test_signer_lines(signer, written):
    mentions = cable_mentions(signer=signer)
    assert [m.written for m in mentions] == written
    assert {m.role for m in mentions} <= {SIGNED}


def test_cable_mentions_roles_and_person_tags():
    mentions = cable_mentions(
        signer="CELLUCCI",
        classified_by="Steven Prohaska and Fred Carter",
        tags=["PREL", "MARR", "CA", "GATES, ROBERT M.", "CLINTON", "WWARD", "HUMAN RIGHTS"],
    )
    found = [(m.role, m.written, m.name.display) for m in mentions]
    assert found == [
        (SIGNED, "CELLUCCI", "CELLUCCI"),
        (CLASSIFIED, "Steven Prohaska", "PROHASKA, Steven"),
        (CLASSIFIED, "Fred Carter", "CARTER, Fred"),
        (TAGGED, "GATES, ROBERT M.", "GATES, Robert M."),
        # a bare person tag the glossary names takes the glossary's full name
        (TAGGED, "CLINTON", "CLINTON, Hillary"),
    ]
    assert not is_person_tag("WWARD")  # the glossary's shape guess calls it a person


OTTAWA, PARIS = 1, 2


def occ(written, post=OTTAWA, year=2003):
    return Occurrence(parse_name(written), post, year)


def test_bare_surname_joins_the_one_full_name_at_its_post():
    occurrences = [occ("CELLUCCI"), occ("Paul Cellucci", year=2004), occ("Brian Flora")]
    assert assign(occurrences) == ["cellucci_paul", "cellucci_paul", "flora_brian"]


def test_bare_surname_stays_alone_without_evidence():
    # another post, or years apart: no evidence
    assert assign([occ("CELLUCCI"), occ("Paul Cellucci", post=PARIS)])[0] == "cellucci"
    assert assign([occ("CELLUCCI"), occ("Paul Cellucci", year=2006)])[0] == "cellucci"
    # two full names with the surname at the post: ambiguous
    both = [occ("MILLS"), occ("Richard Mills"), occ("Rick Mills")]
    assert assign(both)[0] == "mills"


def test_initials_join_the_full_name_with_that_initial():
    occurrences = [occ("L.Carter"), occ("Lynn Carter"), occ("Fred Carter")]
    assert assign(occurrences)[0] == "carter_lynn"
    assert assign([occ("R.Rorvig"), occ("Fred Rorvig")])[0] == "rorvig_r"


def test_undated_matches_any_year():
    assert assign([occ("CELLUCCI", year=None), occ("Paul Cellucci")])[0] == "cellucci_paul"


def test_assignment_does_not_depend_on_order():
    occurrences = [
        occ("CELLUCCI"),
        occ("Paul Cellucci"),
        occ("CELLUCCI", post=PARIS),
        occ("MILLS"),
        occ("Richard Mills"),
        occ("Rick Mills", year=2008),
    ]
    expected = dict(zip(occurrences, assign(occurrences), strict=True))
    for order in itertools.permutations(occurrences):
        assert dict(zip(order, assign(list(order)), strict=True)) == expected


def test_display_prefers_the_commonest_full_form():
    names = [parse_name(w) for w in ("CELLUCCI", "CELLUCCI", "CELLUCCI", "Paul Cellucci")]
    assert display_for(names) == "CELLUCCI, Paul"
    names = [parse_name(w) for w in ("Gene A. Cretz", "Gene Cretz", "Gene A. Cretz")]
    assert display_for(names) == "CRETZ, Gene A."
    assert display_for([Name("CELLUCCI")]) == "CELLUCCI"


def test_a_typo_in_a_full_name_is_no_user_name():
    # "ADam Ereli" (a classifier at Manama) must not read as "A. Dam Ereli": a second
    # full name would make every bare ERELI there ambiguous
    assert parse_name("ADam Ereli").key == "ereli_adam"
