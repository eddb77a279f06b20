"""People from real ingests: the merge rule recomputed as cables arrive (any order, any
batch size, the same people), re-ingest and re-parse, ``people_rebuild``, the pages,
their JSON twins and the cable page's links."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from cables.models import Cable
from people.models import Person, PersonRole
from tests.cabletext import cable_text

pytestmark = pytest.mark.django_db


def write(folder: Path, station: str, serial: int, *, year=2003, signer, by, tags="PREL CA"):
    text = cable_text(station=station, serial=serial, year=year, signer=signer, tags=tags)
    text = text.replace("Ambassador David Wilkins", by)
    path = folder / f"{year % 100:02d}{station}{serial}.txt"
    path.write_text(text)
    return path


@pytest.fixture
def files(tmp_path) -> dict[str, Path]:
    folder = tmp_path / "cables"
    folder.mkdir()
    return {
        "a": write(folder, "OTTAWA", 100, signer="CELLUCCI", by="DCM Brian Flora"),
        "b": write(folder, "OTTAWA", 200, signer="CELLUCCI", by="Ambassador Paul Cellucci"),
        "c": write(folder, "PARIS", 300, signer="CELLUCCI", by="Ambassador Howard Leach"),
        "d": write(
            folder,
            "OTTAWA",
            400,
            year=2008,
            signer="WILKINS",
            by="Ambassador David Wilkins",
            tags="PREL OVIP (GATES, ROBERT M.) CA",
        ),
    }


def ingest(*paths: Path, batch_size: int = 500) -> None:
    out = StringIO()
    args = [*map(str, paths), "--no-index", f"--batch-size={batch_size}"]
    call_command("ingest", *args, stdout=out, stderr=out)


def people() -> dict[str, tuple[str, dict[str, list[str]]]]:
    """{slug: (name, {role: cable ids})}: what the pages show, without primary keys."""
    found: dict[str, tuple[str, dict[str, list[str]]]] = {}
    for person in Person.objects.all():
        roles: dict[str, list[str]] = {}
        for role, rid in (
            PersonRole.objects.filter(person=person)
            .order_by("role", "cable__reference_id")
            .values_list("role", "cable__reference_id")
        ):
            roles.setdefault(role, []).append(rid)
        found[person.slug] = (person.name, roles)
    return found


EXPECTED = {
    "cellucci_paul": (
        "CELLUCCI, Paul",
        {"classified": ["03OTTAWA200"], "signed": ["03OTTAWA100", "03OTTAWA200"]},
    ),
    "cellucci": ("CELLUCCI", {"signed": ["03PARIS300"]}),  # no Cellucci classified there
    "flora_brian": ("FLORA, Brian", {"classified": ["03OTTAWA100"]}),
    "leach_howard": ("LEACH, Howard", {"classified": ["03PARIS300"]}),
    "wilkins_david": (
        "WILKINS, David",
        {"classified": ["08OTTAWA400"], "signed": ["08OTTAWA400"]},
    ),
    "gates_robert": ("GATES, Robert M.", {"tagged": ["08OTTAWA400"]}),
}


def test_people_from_one_ingest(files):
    ingest(*files.values())
    assert people() == EXPECTED
    paul = Person.objects.get(slug="cellucci_paul")
    assert (paul.cable_count, paul.signed_count, paul.classified_count, paul.tagged_count) == (
        2,
        2,
        1,
        0,
    )
    assert (paul.first_year, paul.last_year) == (2003, 2003)


@pytest.mark.parametrize("order", ["abcd", "dcba", "cadb", "bdac"])
def test_ingest_order_and_batches_do_not_change_people(files, order):
    for key in order:
        ingest(files[key])
    assert people() == EXPECTED


def test_batch_size_one(files):
    ingest(*files.values(), batch_size=1)
    assert people() == EXPECTED


def test_a_bare_surname_moves_when_the_evidence_changes(files, tmp_path):
    ingest(files["a"])
    assert people()["cellucci"] == ("CELLUCCI", {"signed": ["03OTTAWA100"]})
    ingest(files["b"])  # now a full name at the post: 03OTTAWA100's signer joins it
    assert "cellucci" not in people()
    assert people()["cellucci_paul"][1]["signed"] == ["03OTTAWA100", "03OTTAWA200"]
    # a second full-name Cellucci at Ottawa in 2003: the bare surname is ambiguous again
    other = write(files["a"].parent, "OTTAWA", 500, signer="FLORA", by="Peter Cellucci")
    ingest(other)
    assert people()["cellucci"][1] == {"signed": ["03OTTAWA100", "03OTTAWA200"]}
    assert people()["cellucci_paul"][1] == {"classified": ["03OTTAWA200"]}
    assert people()["flora_brian"][1] == {"classified": ["03OTTAWA100"], "signed": ["03OTTAWA500"]}


def test_reingest_with_another_signer_moves_the_mention(files):
    ingest(*files.values())
    write(files["a"].parent, "OTTAWA", 100, signer="FLORA", by="DCM Brian Flora")
    ingest(files["a"])
    found = people()
    assert found["cellucci_paul"][1]["signed"] == ["03OTTAWA200"]
    assert found["flora_brian"][1] == {"classified": ["03OTTAWA100"], "signed": ["03OTTAWA100"]}


def test_reparse_keeps_people(files):
    from cables.services import cables_reparse

    ingest(*files.values())
    Cable.objects.update(parser_version="old", content_hash="stale")  # everything re-read
    PersonRole.objects.all().delete()
    Person.objects.all().delete()
    cables_reparse()
    assert people() == EXPECTED


def test_people_rebuild_is_idempotent(files):
    ingest(*files.values())
    Person.objects.all().delete()
    out = StringIO()
    call_command("people_rebuild", "--batch-size=2", stdout=out)
    assert people() == EXPECTED
    assert "4 cables read, 6 people." in out.getvalue()
    call_command("people_rebuild", stdout=out)
    assert people() == EXPECTED
    call_command("people_rebuild", "--if-empty", stdout=out)  # people there: nothing done
    assert "nothing to do" in out.getvalue()


def test_people_rebuild_if_empty_fills_an_archive_from_before_people(files):
    ingest(*files.values())
    PersonRole.objects.all().delete()
    Person.objects.all().delete()
    out = StringIO()
    call_command("people_rebuild", "--if-empty", stdout=out)
    assert people() == EXPECTED


# -- pages ---------------------------------------------------------------------------


@pytest.fixture
def archive(files):
    ingest(*files.values())


def test_people_list(client, archive):
    html = client.get("/people/").content.decode()
    assert 'href="/person/cellucci_paul/"' in html
    assert "CELLUCCI, Paul" in html
    assert html.index("CELLUCCI, Paul") < html.index("FLORA, Brian")  # by count
    assert 'rel="alternate" type="application/json" href="/people.json"' in html
    by_name = client.get("/people/", {"sort": "name"}).content.decode()
    assert by_name.index("CELLUCCI") < by_name.index("GATES") < by_name.index("WILKINS")
    found = client.get("/people/", {"q": "paul cellucci"}).content.decode()
    assert "CELLUCCI, Paul" in found and "FLORA" not in found
    assert "GATES" in client.get("/people/", {"q": "gates"}).content.decode()


def test_people_list_json(client, archive):
    data = client.get("/people.json", {"q": "cellucci", "sort": "name"}).json()
    assert [p["slug"] for p in data["people"]] == ["cellucci", "cellucci_paul"]
    paul = data["people"][1]
    assert paul["name"] == "CELLUCCI, Paul"
    assert (paul["cables"], paul["signed"], paul["classified"], paul["tagged"]) == (2, 2, 1, 0)
    assert paul["url"] == "http://testserver/person/cellucci_paul/"
    assert (data["count"], data["page"], data["pages"], data["next"]) == (2, 1, 1, None)


def test_people_list_bad_input(client, archive):
    response = client.get("/people/", {"sort": "height"})
    assert response.status_code == 400
    assert "Unknown sort" in response.content.decode()
    assert client.get("/people.json", {"sort": "height"}).status_code == 400
    assert client.get("/people/", {"page": "99"}).status_code == 404
    assert client.get("/people.json", {"page": "x"}).json()["error"] == "not found"
    script = client.get("/people/", {"q": "<script>alert(1)</script>"}).content.decode()
    assert "<script>alert" not in script and "&lt;script&gt;" in script


def test_people_list_pages(client, archive, monkeypatch):
    monkeypatch.setattr("people.views.PER_PAGE", 2)
    monkeypatch.setattr("people.views.ORPHANS", 0)
    first = client.get("/people.json", {"sort": "name"}).json()
    assert first["pages"] == 3
    assert first["next"] == "http://testserver/people.json?sort=name&page=2"
    html = client.get("/people/", {"sort": "name", "page": 2}).content.decode()
    assert 'href="?sort=name&amp;page=3"' in html


def test_person_page(client, archive):
    html = client.get("/person/cellucci_paul/").content.decode()
    assert "<h1>CELLUCCI, Paul</h1>" in html
    signed = html.split('id="signed"', 1)[1].split("</section>", 1)[0]
    assert set(re.findall(r"/cable/(\w+)/", signed)) == {"03OTTAWA100", "03OTTAWA200"}
    classified = html.split('id="classified"', 1)[1].split("</section>", 1)[0]
    assert set(re.findall(r"/cable/(\w+)/", classified)) == {"03OTTAWA200"}
    assert 'id="tagged"' not in html
    # the person: search, every written form; and a search link per form
    assert "/search/?q=person%3A%22CELLUCCI%22+OR+person%3A%22Paul+Cellucci%22" in html
    assert 'href="/search/?q=signer%3A%22CELLUCCI%22"' in html
    assert 'href="/search/?q=by%3A%22Paul+Cellucci%22"' in html
    assert 'href="/post/OTTAWA/"' in html and 'class="histogram-svg"' in html
    gates = client.get("/person/gates_robert/").content.decode()
    assert "/search/?tag=GATES%2C+ROBERT+M." in gates
    assert client.get("/person/nobody/").status_code == 404
    assert client.get("/person/nobody.json").json()["error"] == "not found"


def test_person_json(client, archive):
    data = client.get("/person/cellucci_paul.json").json()
    assert data["name"] == "CELLUCCI, Paul"
    latest = data["roles"]["signed"]["latest"]
    assert [c["reference_id"] for c in latest] == ["03OTTAWA100", "03OTTAWA200"]  # same day
    assert data["roles"]["classified"]["count"] == 1
    assert data["years"] == [{"year": 2003, "count": 2}]
    assert data["posts"][0]["code"] == "OTTAWA"
    assert {w["written"] for w in data["written_as"]} == {"CELLUCCI", "Paul Cellucci"}
    assert data["search_url"].startswith("http://testserver/search/?q=person%3A")


def test_pages_answer_304(client, archive):
    for url in ("/people/", "/people.json", "/person/cellucci_paul/", "/person/cellucci_paul.json"):
        first = client.get(url)
        assert first.status_code == 200
        assert first["Cache-Control"].startswith("public")
        again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304, url


def test_cable_page_links_its_people(client, archive):
    html = client.get("/cable/03OTTAWA100/").content.decode()
    meta = html.split('class="cable-meta"', 1)[1].split("</section>", 1)[0]
    assert '<a href="/person/cellucci_paul/"' in meta
    assert '<a href="/person/flora_brian/"' in meta
    # the searches stay, as small links
    assert 'href="/search/?q=signer%3A%22CELLUCCI%22"' in meta
    assert 'href="/search/?q=by%3A%22Brian+Flora%22"' in meta
    nav = client.get("/people/").content.decode().split('class="site-nav"', 1)[1]
    assert 'href="/people/"' in nav.split("</nav>", 1)[0]


def test_signer_of_two_people(client, tmp_path):
    folder = tmp_path / "two"
    folder.mkdir()
    ingest(write(folder, "OTTAWA", 7, signer="BRENNAN FOR GROSSMAN", by="Peter M. Brennan"))
    html = client.get("/cable/03OTTAWA7/").content.decode()
    assert 'BRENNAN FOR GROSSMAN (<a href="/person/brennan_peter/">' in html
    assert '<a href="/person/grossman/">GROSSMAN</a>' in html


# -- the seed cable ------------------------------------------------------------------


def test_seed_cable_links_its_signer_and_classifier(client, seed_text, tmp_path):
    path = tmp_path / "03OTTAWA492.txt"
    path.write_text(seed_text, encoding="utf-8")
    ingest(path)
    html = client.get("/cable/03OTTAWA492/").content.decode()
    assert '<a href="/person/cellucci/"' in html
    assert '<a href="/person/flora_brian/"' in html
    for slug in ("cellucci", "flora_brian"):
        page = client.get(f"/person/{slug}/").content.decode()
        assert 'href="/cable/03OTTAWA492/"' in page
    assert client.get("/person/cellucci.json").json()["roles"]["signed"]["count"] == 1


def test_person_search_finds_every_cable_of_the_person(client, files, settings, tmp_path):
    from search.services import caches_clear

    settings.SEARCH_INDEX_DIR = tmp_path / "index"
    caches_clear()
    try:
        call_command("ingest", *map(str, files.values()), stdout=StringIO(), stderr=StringIO())
        page = client.get("/person/cellucci_paul.json").json()
        found = client.get(page["search_url"].replace("/search/", "/search.json")).json()
        ids = {row["reference_id"] for row in found["results"]}
        # every cable of the person; the bare CELLUCCI also finds the Paris one
        assert ids == {"03OTTAWA100", "03OTTAWA200", "03PARIS300"}
        assert not found["messages"]
    finally:
        caches_clear()


def test_seed_with_the_shared_ottawa_cables(client, seed_text, corpus_dir, tmp_path):
    """The seed among the shared corpus's other Ottawa cables (04OTTAWA3115 is signed
    CELLUCCI too): the links from its page lead to person pages that list it."""
    path = tmp_path / "03OTTAWA492.txt"
    path.write_text(seed_text, encoding="utf-8")
    ottawa = sorted((corpus_dir / "cablegate" / "txt").glob("*OTTAWA*.txt"))
    assert ottawa
    ingest(*ottawa, path, batch_size=5)
    html = client.get("/cable/03OTTAWA492/").content.decode()
    meta = html.split('class="cable-meta"', 1)[1].split("</section>", 1)[0]
    links = dict(re.findall(r'<a href="(/person/[^"]+/)"[^>]*>([^<]+)</a>', meta))
    assert set(links.values()) == {"CELLUCCI", "Brian Flora"}
    for url in links:
        assert 'href="/cable/03OTTAWA492/"' in client.get(url).content.decode()
    cellucci = client.get("/person/cellucci.json").json()
    assert cellucci["roles"]["signed"]["count"] == 2  # the seed and 04OTTAWA3115
