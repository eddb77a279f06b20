"""People kept up to date batch by batch are exactly people rebuilt from scratch.

Property-style: the same cables, arriving in different orders and batches (some first
in a draft that a later batch rewrites, as a re-ingest or re-parse does), leave the same
people, mentions and groups, equal to ``people_rebuild``'s and to the merge rule
applied mention by mention (:func:`people.names.assign` over every mention at once,
with no groups). On generated cables at the service level (undated cables included),
and on real cables through the ingest command when the shared corpus is there.

And a batch's cost does not grow with the archive: the queries of one batch of RICE
cables, and the rows they read, are the same after 50 and after 500 earlier ones.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, F
from django.test.utils import CaptureQueriesContext

from cables.models import Cable, CableTag, Post, Tag
from people import names
from people.models import MentionGroup, Person, PersonForm, PersonRole
from people.services import people_rebuild, people_update

pytestmark = pytest.mark.django_db


# -- the state, and the rule applied mention by mention -------------------------------


def state() -> dict[str, dict]:
    """People, mentions and groups, keyed by what does not depend on the order of
    arrival (slugs, reference ids, post codes; no primary keys)."""
    people = {
        p.slug: (
            p.name,
            p.surname,
            p.cable_count,
            p.signed_count,
            p.classified_count,
            p.tagged_count,
            p.first_year,
            p.last_year,
        )
        for p in Person.objects.all()
    }
    roles = {
        (rid, role, written): slug
        for rid, role, written, slug in PersonRole.objects.values_list(
            "cable__reference_id", "role", "written", "person__slug"
        )
    }
    groups = {
        (surname, post, year, role, written): (n, slug)
        for surname, post, year, role, written, n, slug in MentionGroup.objects.values_list(
            "surname", "post__code", "year", "role", "written", "mentions", "person__slug"
        )
    }
    forms = {
        (slug, display, year): n
        for slug, display, year, n in PersonForm.objects.values_list(
            "person__slug", "display", "year", "mentions"
        )
    }
    assert all(n > 0 for n in forms.values())
    # a mention is its group's person, and a group counts its mentions
    assert not PersonRole.objects.exclude(person=F("group__person")).exists()
    sizes = dict(
        MentionGroup.objects.annotate(n=Count("roles")).values_list("pk", "n"),
    )
    assert sizes == dict(MentionGroup.objects.values_list("pk", "mentions"))
    return {"people": people, "roles": roles, "groups": groups, "forms": forms}


def by_the_rule() -> dict[str, dict]:
    """People and mentions straight from the cables: the merge rule over every mention
    of the archive at once, counts and names from the mentions themselves."""
    tags = defaultdict(list)
    for cable_id, code in CableTag.objects.order_by("position").values_list(
        "cable_id", "tag__code"
    ):
        tags[cable_id].append(code)
    found = []  # (reference id, year, mention)
    occurrences = []
    for cable in Cable.objects.all():
        year = cable.created.year if cable.created else None
        for mention in names.cable_mentions(
            signer=cable.signer, classified_by=cable.classified_by_name, tags=tags[cable.pk]
        ):
            found.append((cable.reference_id, year, mention))
            occurrences.append(names.Occurrence(mention.name, cable.origin_id, year))
    slugs = names.assign(occurrences)
    roles = {}
    cables, in_role = defaultdict(set), defaultdict(set)
    named, years = defaultdict(list), defaultdict(list)
    for (rid, year, mention), slug in zip(found, slugs, strict=True):
        roles[(rid, mention.role, mention.written)] = slug
        cables[slug].add(rid)
        in_role[(slug, mention.role)].add(rid)
        named[slug].append(mention.name)
        if year:
            years[slug].append(year)
    people = {
        slug: (
            names.display_for(named[slug]),
            slug.split("_")[0],
            len(cables[slug]),
            *(len(in_role[(slug, role)]) for role in names.ROLES),
            min(years[slug], default=None),
            max(years[slug], default=None),
        )
        for slug in cables
    }
    return {"people": people, "roles": roles}


def check_against_rebuild() -> dict[str, dict]:
    """The incremental state equals the rule's, and a rebuild from scratch changes
    nothing. Returns the state."""
    kept = state()
    assert kept["roles"], "the cables name nobody: a vacuous test"
    expected = by_the_rule()
    assert kept["roles"] == expected["roles"]
    assert kept["people"] == expected["people"]
    people_rebuild(batch_size=7)
    assert state() == kept
    return kept


def archive_clear() -> None:
    PersonForm.objects.all().delete()
    PersonRole.objects.all().delete()
    MentionGroup.objects.all().delete()
    Person.objects.all().delete()
    CableTag.objects.all().delete()
    Cable.objects.all().delete()


# -- generated cables, at the service level -----------------------------------------

POSTS = ("OTTAWA", "PARIS", "ROME")
YEARS = (None, 2003, 2004, 2005, 2007)
SIGNERS = (
    "CELLUCCI",
    "CELLUCCI",
    "FLORA",
    "RICE",
    "BRENNAN FOR GROSSMAN",
    "SMITH/JONES",
    "van Voorst",
    "XXXXXXXXXXXX",
    "",
)
CLASSIFIERS = (
    "Ambassador Paul Cellucci",
    "Peter Cellucci",
    "P. Cellucci",
    "DCM Brian Flora",
    "B. Flora",
    "Susan E. Rice",
    "Rice, Susan",
    "S. Rice",
    "Carol van Voorst",
    "Robert Smith",
    "R. Smith",
    "Peter M. Brennan",
    "",
)
TAGS = ("PREL", "CA", "CLINTON", "RICE", "GATES, ROBERT M.", "RICE, CONDOLEEZZA", "SMITH, ROBERT")


def cable_spec(rng: random.Random, reference_id: str) -> dict:
    return {
        "reference_id": reference_id,
        "post": rng.choice(POSTS),
        "year": rng.choice(YEARS),
        "signer": rng.choice(SIGNERS),
        "classified_by_name": rng.choice(CLASSIFIERS),
        "tags": rng.sample(TAGS, rng.randint(0, 3)),
    }


def cable_write(spec: dict) -> int:
    """Create or rewrite one cable as the spec says (what ingest stores for people)."""
    post, _ = Post.objects.get_or_create(code=spec["post"])
    year = spec["year"]
    cable, _ = Cable.objects.update_or_create(
        reference_id=spec["reference_id"],
        defaults={
            "origin": post,
            "classification": "CONFIDENTIAL",
            "created": datetime(year, 3, 1, 12, tzinfo=UTC) if year else None,
            "signer": spec["signer"],
            "classified_by_name": spec["classified_by_name"],
        },
    )
    CableTag.objects.filter(cable=cable).delete()
    for position, code in enumerate(spec["tags"]):
        tag, _ = Tag.objects.get_or_create(code=code)
        CableTag.objects.create(cable=cable, tag=tag, position=position)
    return cable.pk


def arrivals(rng: random.Random, finals: list[dict], drafts: list[dict]) -> list[list[dict]]:
    """Every final version once and every draft once, a draft before its final, in
    a random order cut into random batches."""
    events = finals + drafts
    rng.shuffle(events)
    position = {id(e): i for i, e in enumerate(events)}
    final_of = {f["reference_id"]: f for f in finals}
    for draft in drafts:
        final = final_of[draft["reference_id"]]
        i, j = position[id(draft)], position[id(final)]
        if i > j:
            events[i], events[j] = final, draft
            position[id(draft)], position[id(final)] = j, i
    batches, start = [], 0
    while start < len(events):
        size = rng.choice((1, 2, 3, 5, 8, 40))
        batches.append(events[start : start + size])
        start += size
    return batches


@pytest.mark.parametrize("seed", range(8))
def test_any_order_and_batches_give_the_rebuilt_people(seed):
    rng = random.Random(seed)
    finals = [cable_spec(rng, f"C{seed}X{n}") for n in range(36)]
    drafts = [cable_spec(rng, f["reference_id"]) for f in rng.sample(finals, 10)]
    outcomes = []
    for order in range(3):
        archive_clear()
        for batch in arrivals(random.Random(f"{seed}/{order}"), finals, drafts):
            people_update(cable_ids=[cable_write(spec) for spec in batch])
        outcomes.append(check_against_rebuild())
    assert outcomes[0] == outcomes[1] == outcomes[2]


def test_a_bare_surname_follows_the_evidence_both_ways():
    """Full names arriving and leaving move a bare surname's mentions, undated
    cables included (they match any year)."""
    plain = {"classified_by_name": "", "tags": []}

    def write(rid, year, **fields):
        spec = {"reference_id": rid, "post": "OTTAWA", "year": year, **plain, **fields}
        people_update(cable_ids=[cable_write(spec)])

    for serial in range(5):
        write(f"S{serial}", 2003, signer="CELLUCCI")
    write("U1", None, signer="CELLUCCI")
    assert set(state()["people"]) == {"cellucci"}
    write("F1", 2004, signer="", classified_by_name="Paul Cellucci")
    # 2003 is within a year of 2004, and undated matches any year
    assert set(state()["people"]) == {"cellucci_paul"}
    assert state()["people"]["cellucci_paul"][2:4] == (7, 6)
    write("F2", None, signer="", classified_by_name="Peter Cellucci")  # ambiguous now
    assert set(state()["people"]) == {"cellucci", "cellucci_paul", "cellucci_peter"}
    assert state()["people"]["cellucci"][2] == 6
    write("F2", None, signer="FLORA", classified_by_name="")  # the rewrite takes it away
    assert "cellucci" not in state()["people"]
    check_against_rebuild()


def test_re_ingesting_the_same_cables_changes_nothing():
    rng = random.Random(99)
    specs = [cable_spec(rng, f"R{n}") for n in range(20)]
    people_update(cable_ids=[cable_write(spec) for spec in specs])
    before = state()
    people_update(cable_ids=list(Cable.objects.values_list("pk", flat=True)))
    assert state() == before


# -- real cables, through the ingest command -----------------------------------------


def ingest(paths, batch_size: int) -> None:
    out = StringIO()
    args = [*map(str, paths), "--no-index", f"--batch-size={batch_size}"]
    call_command("ingest", *args, stdout=out, stderr=out)


@pytest.mark.slow
def test_real_cables_in_any_order_give_the_rebuilt_people(corpus_dir):
    paths = sorted((corpus_dir / "cablegate" / "txt").glob("*REYKJAVIK*.txt"))
    paths += sorted((corpus_dir / "cablegate" / "txt").glob("*OTTAWA*.txt"))
    assert len(paths) > 200
    shuffled = list(paths)
    random.Random(11).shuffle(shuffled)
    outcomes = []
    for order, batch_size in ((paths, 1000), (paths[::-1], 17), (shuffled, 5)):
        archive_clear()
        ingest(order, batch_size)
        outcomes.append(check_against_rebuild())
    assert outcomes[0] == outcomes[1] == outcomes[2]
    # a real merge took place: some bare surname joined a full name
    assert any(
        role == names.SIGNED and " " not in written and "_" in slug
        for (_, role, written), slug in outcomes[0]["roles"].items()
    )


# -- the cost of a batch ---------------------------------------------------------------


def rice_cables(first: int, count: int) -> list[int]:
    """RICE cables in two years: signed RICE, classified by Susan E. Rice (so the bare
    RICE is hers), tagged CLINTON (the glossary's Hillary Clinton). Every other one
    from New York, the rest from ever more posts (one more every ten cables)."""
    posts = {}
    for n in range(first, first + count):
        code = "NEWYORK" if n % 2 == 0 else f"P{n // 10}"
        if code not in posts:
            posts[code] = Post.objects.get_or_create(code=code)[0]
    tag, _ = Tag.objects.get_or_create(code="CLINTON")
    ids = [f"RICE{n}" for n in range(first, first + count)]
    Cable.objects.bulk_create(
        [
            Cable(
                reference_id=rid,
                origin=posts["NEWYORK" if n % 2 == 0 else f"P{n // 10}"],
                classification="CONFIDENTIAL",
                created=datetime(2009 + n % 2, 1 + n % 12, 1, tzinfo=UTC),
                signer="RICE",
                classified_by_name="Susan E. Rice",
            )
            for n, rid in zip(range(first, first + count), ids, strict=True)
        ]
    )
    pks = list(Cable.objects.filter(reference_id__in=ids).values_list("pk", flat=True))
    CableTag.objects.bulk_create([CableTag(cable_id=pk, tag=tag, position=0) for pk in pks])
    return pks


def rows_read() -> int:
    """Rows the people tables gave in this transaction, by PostgreSQL's own counters:
    live rows fetched through an index, and rows a sequential scan read. (Not index
    entries returned: in one long test transaction those include the dead versions of
    every row updated before, which a committed batch's successors do not see.)"""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(sum(pg_stat_get_xact_tuples_fetched(c.oid)"
            " + CASE WHEN c.relkind = 'r' THEN pg_stat_get_xact_tuples_returned(c.oid)"
            " ELSE 0 END), 0)"
            " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = current_schema() AND c.relname LIKE 'people\\_%'"
        )
        return int(cursor.fetchone()[0])


def batch_cost(pks: list[int]) -> tuple[int, int | None]:
    """(queries, rows read on PostgreSQL) of one people_update of these cables."""
    postgres = connection.vendor == "postgresql"
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
            cursor.execute("SET LOCAL enable_seqscan = off")  # what the indexes allow
        read = rows_read()
    with CaptureQueriesContext(connection) as queries:
        people_update(cable_ids=pks)
    if postgres:
        read = rows_read() - read
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = on")
    return len(queries), read if postgres else None


def test_a_batch_costs_the_same_after_50_or_500_cables_of_the_same_signer():
    people_update(cable_ids=rice_cables(0, 50))
    small = batch_cost(rice_cables(1000, 10))
    for start in range(50, 500, 150):
        people_update(cable_ids=rice_cables(start, 150))
    large = batch_cost(rice_cables(2000, 10))
    assert small[0] == large[0]
    if small[1] is not None:
        assert large[1] <= small[1] + 5, (small, large)
        assert large[1] < 200  # bounded by the batch, far below the 520 mentions per role
    rice = Person.objects.get(slug="rice_susan")
    assert (rice.cable_count, rice.signed_count, rice.classified_count) == (520, 520, 520)
    assert Person.objects.get(slug="clinton_hillary").tagged_count == 520
    # the tag's groups are at New York, at the 50 posts of the 500, and at one post
    # for each measured batch
    posts = MentionGroup.objects.filter(role="tagged").values("post").distinct().count()
    assert posts == 1 + 500 // 10 + 2
    check_against_rebuild()
