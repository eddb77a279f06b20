"""Similar cables: more like this over a cable's key terms, tags and post, on the
cable page ("Similar cables") and at ``/cable/<id>/similar.json``."""

from __future__ import annotations

import contextlib
import importlib.util
import os
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from cables.models import Cable
from search.engine.analysis import text_terms
from search.engine.similar import LIMIT
from search.services import index_cables_update, index_rebuild
from search.similar import cable_similar, similar_for_id
from tests.conftest import BASE_DIR, corpus_path
from tests.search.factories import make_cable

pytestmark = pytest.mark.django_db

WALRUS = (
    "(C) Inuit hunters in Nunavut asked for a larger walrus quota this season.",
    "(C) The walrus herds near Igloolik are healthy, the hunters say; quota talks resume.",
)
WALRUS_TOO = (
    "(C) Nunavut officials propose raising the walrus quota for Igloolik hunters.",
    "(U) Walrus ivory exports remain restricted.",
)
MISSILES = (
    "(S) The ministry tested an interceptor missile over the Pacific range.",
    "(S) Interceptor radar tracking improved, the missile agency said.",
)
MISSILES_TOO = ("(S) Another interceptor missile test is planned; radar upgrades continue.",)


@pytest.fixture
def fixture_archive(db, index_dir):
    """Two walrus cables, two missile cables, one sharing only a tag, one empty."""
    make_cable("08OTTAWA1", subject="WALRUS QUOTA TALKS", tags=("SENV", "CA"), paragraphs=WALRUS)
    make_cable(
        "08OTTAWA2", subject="NUNAVUT WALRUS QUOTA", tags=("SENV", "CA"), paragraphs=WALRUS_TOO
    )
    make_cable(
        "08TOKYO3",
        post="TOKYO",
        subject="INTERCEPTOR MISSILE TEST",
        tags=("MARR", "JA"),
        paragraphs=MISSILES,
    )
    make_cable(
        "08TOKYO4",
        post="TOKYO",
        subject="MORE INTERCEPTOR TESTS",
        tags=("MARR", "JA"),
        paragraphs=MISSILES_TOO,
    )
    make_cable(
        "08PARIS5",
        post="PARIS",
        subject="BUDGET CALENDAR",
        tags=("SENV",),
        paragraphs=("(U) The finance committee meets on Tuesday.",),
    )
    empty = make_cable("08OTTAWA6", subject="", tags=(), paragraphs=())
    Cable.objects.filter(pk=empty.pk).update(body="")
    index_cables_update(pending=True)


def ids(similar) -> list[str]:
    return [c.reference_id for c in similar.cables]


def get(reference_id: str):
    return Cable.objects.select_related("origin").get(reference_id=reference_id)


# -- the selector ----------------------------------------------------------------------


def test_the_most_similar_cable_shares_words_and_tags(fixture_archive):
    similar = cable_similar(cable=get("08OTTAWA1"))
    assert ids(similar)[0] == "08OTTAWA2"
    best = similar.cables[0]
    assert {"walrus", "quota", "nunavut", "igloolik"} <= set(best.shared_terms)
    assert best.shared_tags == ("SENV", "CA")
    assert "walrus" in similar.terms
    missiles = cable_similar(cable=get("08TOKYO3"))
    assert ids(missiles)[0] == "08TOKYO4"
    assert {"interceptor", "missile", "radar"} <= set(missiles.cables[0].shared_terms)


def test_never_the_cable_itself_at_most_eight_and_each_shares_something(fixture_archive):
    for cable in Cable.objects.select_related("origin"):
        similar = cable_similar(cable=cable)
        assert cable.reference_id not in ids(similar)
        assert len(similar.cables) <= LIMIT
        for c in similar.cables:
            assert c.shared_terms or c.shared_tags
        scores = [c.score for c in similar.cables]
        assert scores == sorted(scores, reverse=True)


def test_a_cable_sharing_only_a_tag_is_found_by_it(fixture_archive):
    similar = cable_similar(cable=get("08PARIS5"))
    assert set(ids(similar)[:2]) == {"08OTTAWA1", "08OTTAWA2"}
    # Its own words are in no other cable; in an archive this small the label
    # "SUBJECT:" that every body starts with is not yet a common word.
    for c in similar.cables[:2]:
        assert c.shared_tags == ("SENV",) and set(c.shared_terms) <= {"subject"}
    assert all(not c.shared_tags for c in similar.cables[2:])


def test_a_cable_without_text_or_tags_has_none(fixture_archive):
    similar = cable_similar(cable=get("08OTTAWA6"))
    assert similar.cables == () and similar.terms == ()
    assert not similar.index_missing


def test_without_an_index_none_and_no_error(client, db, index_dir):
    make_cable("08OTTAWA1", paragraphs=WALRUS)
    similar = cable_similar(cable=get("08OTTAWA1"))
    assert similar.index_missing and similar.cables == ()
    assert similar_for_id(reference_id="99NOWHERE1") is None
    assert client.get("/cable/08OTTAWA1/").status_code == 200
    page = client.get("/cable/08OTTAWA1/similar/")
    assert page.status_code == 200
    assert "The search index has not been built yet" in page.content.decode()
    twin = client.get("/cable/08OTTAWA1/similar.json").json()
    assert twin["similar"] == [] and "not been built" in twin["note"]


def test_a_cable_not_indexed_yet_still_gets_its_similar_cables(fixture_archive):
    make_cable("08OTTAWA7", subject="WALRUS AGAIN", tags=("CA",), paragraphs=WALRUS_TOO)
    similar = cable_similar(cable=get("08OTTAWA7"))
    assert {"08OTTAWA1", "08OTTAWA2"} <= set(ids(similar))


def test_the_index_kept_open_follows_updates_and_rebuilds(fixture_archive):
    assert "08OTTAWA7" not in ids(cable_similar(cable=get("08OTTAWA1")))
    make_cable("08OTTAWA7", subject="WALRUS QUOTA AGAIN", tags=("CA",), paragraphs=WALRUS)
    index_cables_update(pending=True)  # a commit into the same generation
    assert ids(cable_similar(cable=get("08OTTAWA1")))[0] == "08OTTAWA7"
    Cable.objects.filter(reference_id="08OTTAWA7").delete()
    index_rebuild()  # a new generation swapped in, the old one pruned later
    assert "08OTTAWA7" not in ids(cable_similar(cable=get("08OTTAWA1")))
    assert ids(cable_similar(cable=get("08OTTAWA1")))[0] == "08OTTAWA2"


# -- the page and its twin ---------------------------------------------------------------


def test_the_json_twin(client, fixture_archive):
    response = client.get("/cable/08OTTAWA1/similar.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    data = response.json()
    assert data["reference_id"] == "08OTTAWA1"
    assert data["url"] == "http://testserver/cable/08OTTAWA1/"
    assert "walrus" in data["terms"]
    first = data["similar"][0]
    assert set(first) == {
        "reference_id",
        "url",
        "subject",
        "created",
        "date_precision",
        "post",
        "classification",
        "score",
        "shared_terms",
        "shared_tags",
    }
    assert first["reference_id"] == "08OTTAWA2"
    assert first["url"] == "http://testserver/cable/08OTTAWA2/"
    assert first["subject"] == "NUNAVUT WALRUS QUOTA"
    assert first["created"].startswith("2008-02-19")
    assert first["post"] == "OTTAWA" and first["classification"] == "CONFIDENTIAL"
    assert first["score"] > 0 and first["shared_tags"] == ["SENV", "CA"]
    assert "walrus" in first["shared_terms"]
    assert client.get("/cable/08OTTAWA6/similar.json").json()["similar"] == []


def test_the_twin_answers_304_for_a_matching_etag(client, fixture_archive):
    first = client.get("/cable/08OTTAWA1/similar.json")
    again = client.get("/cable/08OTTAWA1/similar.json", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    assert "public" in first["Cache-Control"]


def test_unknown_ids_are_404_and_other_spellings_redirect(client, fixture_archive):
    missing = client.get("/cable/99NOWHERE1/similar.json")
    assert missing.status_code == 404
    assert "99NOWHERE1" in missing.json()["detail"]
    redirected = client.get("/cable/08ottawa1/similar.json")
    assert redirected.status_code == 301
    assert redirected["Location"] == "/cable/08OTTAWA1/similar.json"


def test_the_cable_page_links_its_own_similar_page_which_shows_them(client, fixture_archive):
    """The cable page does not choose similar cables (the index's work): its section
    links /cable/<id>/similar/, whose section static/js/similar.js puts in its place."""
    html = client.get("/cable/08OTTAWA1/").content.decode()
    assert '<a href="#similar">Similar cables</a>' in html
    placeholder = html.split('id="similar"', 1)[1].split("</section>", 1)[0]
    assert 'data-similar-src="/cable/08OTTAWA1/similar/"' in placeholder
    assert '<a href="/cable/08OTTAWA1/similar/">' in placeholder
    assert "/cable/08OTTAWA1/similar.json" in placeholder
    assert "08OTTAWA2" not in placeholder
    assert "/static/js/similar.js" in html
    page = client.get("/cable/08OTTAWA1/similar/")
    assert page.status_code == 200
    body = page.content.decode()
    section = body.split('id="similar"', 1)[1].split("</section>", 1)[0]
    assert '<a href="/cable/08OTTAWA2/">08OTTAWA2</a>' in section
    assert '<a href="/tag/SENV/">' in section
    assert "/cable/08OTTAWA1/similar.json" in section
    assert '<a href="/cable/08OTTAWA1/">' not in section
    assert "Cables similar to" in body and '<a href="/cable/08OTTAWA1/">' in body
    empty = client.get("/cable/08OTTAWA6/similar/").content.decode()
    assert "No cable in this archive shares distinctive words or tags" in empty


def test_the_similar_page_is_an_archive_page(client, fixture_archive):
    first = client.get("/cable/08OTTAWA1/similar/")
    assert first["ETag"] and "public" in first["Cache-Control"]
    again = client.get("/cable/08OTTAWA1/similar/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    missing = client.get("/cable/99NOWHERE1/similar/")
    assert missing.status_code == 404 and "99NOWHERE1" in missing.content.decode()
    moved = client.get("/cable/08ottawa1/similar/")
    assert moved.status_code == 301 and moved["Location"] == "/cable/08OTTAWA1/similar/"


def test_cable_text_is_escaped_in_the_section(client, db, index_dir):
    make_cable("08OTTAWA1", subject="<b>WALRUS</b> QUOTA", tags=("CA",), paragraphs=WALRUS)
    make_cable("08OTTAWA2", subject="<script>x()</script>", tags=("CA",), paragraphs=WALRUS_TOO)
    index_cables_update(pending=True)
    html = client.get("/cable/08OTTAWA1/similar/").content.decode()
    assert "<b>WALRUS</b>" not in html and "&lt;b&gt;WALRUS&lt;/b&gt;" in html
    section = html.split('id="similar"', 1)[1].split("</section>", 1)[0]
    assert "08OTTAWA2" in section
    assert "<script>" not in section and "&lt;script&gt;" in section


def test_the_benchmark_smoke_run(fixture_archive, capsys):
    spec = importlib.util.spec_from_file_location(
        "bench_similar", BASE_DIR / "bench" / "similar.py"
    )
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    assert bench.main(["--smoke"]) == 0
    out = capsys.readouterr().out
    assert "engine: p50" in out and "over 6 live cables" in out


# -- real cables ---------------------------------------------------------------------------


@pytest.fixture
def real_archive(tmp_path, index_dir):
    source = corpus_path("cablegate", "txt")
    names = sorted(os.listdir(source))[::40][:150]
    folder = tmp_path / "cables"
    folder.mkdir()
    for name in names:
        os.symlink(source / name, folder / name)
    with contextlib.suppress(CommandError):  # parser rejects are reported by ingest
        call_command("ingest", str(folder), stdout=StringIO(), stderr=StringIO())
    assert Cable.objects.count() > 100


def stems(text: str) -> set[bytes]:
    return set(text_terms(text))


def test_on_real_cables_every_similar_cable_shares_its_terms_and_tags(real_archive):
    cables = list(Cable.objects.select_related("origin").order_by("reference_id")[::10])
    found = 0
    for cable in cables:
        tags = set(cable.tags.values_list("code", flat=True))
        similar = cable_similar(cable=cable)
        assert cable.reference_id not in ids(similar)
        assert len(similar.cables) <= LIMIT
        for c in similar.cables:
            found += 1
            assert c.shared_terms or c.shared_tags
            other = Cable.objects.get(reference_id=c.reference_id)
            assert set(c.shared_tags) <= tags
            assert set(c.shared_tags) <= set(other.tags.values_list("code", flat=True))
            other_stems = stems(other.text)
            for word in c.shared_terms:
                assert stems(word) <= other_stems, (cable.reference_id, c.reference_id, word)
                assert stems(word) <= stems(f"{cable.subject}\n{cable.body}")
    assert found > len(cables) * 4
