"""Reading lists from a researcher's side: adding cables from a cable page and from
search results, notes, order, settings, deletion, and what stays public."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User

from cables.services.generation import archive_generation_bump
from readinglists.models import ListEntry, ReadingList
from tests.cables.factories import cable_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def ada(db):
    return User.objects.create_user("ada@example.org", "ada@example.org", "pw-ada-12345")


@pytest.fixture
def cables(db):
    return [
        cable_make("08OTTAWA100", subject="FIRST CABLE"),
        cable_make("08OTTAWA200", subject="SECOND CABLE"),
        cable_make("08MEXICO300", subject="THIRD CABLE"),
    ]


def order(reading_list: ReadingList) -> list[str]:
    return list(
        ListEntry.objects.filter(reading_list=reading_list)
        .order_by("position", "pk")
        .values_list("cable__reference_id", flat=True)
    )


def test_the_cable_page_links_to_the_private_add_page_and_holds_no_form(client, cables, ada):
    page = client.get("/cable/08OTTAWA100/")
    html = page.content.decode()
    assert 'href="/lists/add/?cable=08OTTAWA100"' in html
    assert "csrfmiddlewaretoken" not in html and not re.search(r"method=\"?post", html, re.I)
    assert page["Cache-Control"] == "public, no-cache"
    # The same page for a signed-in reader: nothing of theirs in it.
    client.force_login(ada)
    assert client.get("/cable/08OTTAWA100/").content == page.content


def test_every_page_links_to_reading_lists(client, cables):
    assert 'href="/lists/"' in client.get("/cable/08OTTAWA100/").content.decode()


def test_add_one_cable_to_a_new_list_then_again(client, cables, ada):
    anonymous = client.get("/lists/add/?cable=08OTTAWA100")
    assert anonymous["Location"] == "/accounts/login/?next=/lists/add/%3Fcable%3D08OTTAWA100"
    client.force_login(ada)
    page = client.get("/lists/add/", {"cable": "08ottawa100"})
    html = page.content.decode()
    assert page.status_code == 200 and "csrfmiddlewaretoken" in html and "FIRST CABLE" in html
    assert "no-store" in page["Cache-Control"]

    done = client.post(
        "/lists/add/", {"cable": "08OTTAWA100", "new_title": "Missile defence", "note": "read ¶3"}
    )
    reading_list = ReadingList.objects.get()
    assert done.status_code == 302 and done["Location"] == f"/lists/{reading_list.pk}/"
    assert (reading_list.owner, reading_list.title, reading_list.public) == (
        ada,
        "Missile defence",
        False,
    )
    assert list(reading_list.entries.values_list("note", flat=True)) == ["read ¶3"]
    assert "Added 08OTTAWA100 to “Missile defence”" in client.get(done["Location"]).content.decode()

    again = client.post("/lists/add/", {"cable": "08OTTAWA100", "reading_list": reading_list.pk})
    assert again.status_code == 302
    assert "Already in the list: 08OTTAWA100" in client.get(again["Location"]).content.decode()
    assert reading_list.entries.count() == 1


def test_add_selected_search_results_keeps_their_order(client, cables, ada):
    client.force_login(ada)
    reading_list = ReadingList.objects.create(owner=ada, title="Mexico")
    page = client.get("/lists/add/", {"cable": ["08MEXICO300", "08OTTAWA100", "08MEXICO300"]})
    assert page.content.decode().count('name="cable"') == 2
    assert f'<option value="{reading_list.pk}" selected>Mexico</option>' in page.content.decode()
    client.post(
        "/lists/add/",
        {"cable": ["08MEXICO300", "08OTTAWA100"], "reading_list": reading_list.pk},
    )
    client.post("/lists/add/", {"cable": ["08OTTAWA200"], "reading_list": reading_list.pk})
    assert order(reading_list) == ["08MEXICO300", "08OTTAWA100", "08OTTAWA200"]


@pytest.mark.parametrize(
    ("ids", "status", "says"),
    [
        ([], 400, "No cables chosen"),
        (["99NOWHERE1"], 400, "None of these cables is in the archive"),
        (["<script>x</script>"], 400, "&lt;SCRIPT&gt;"),
        (["08OTTAWA100", "99NOWHERE1"], 200, "Not in this archive, so not added: 99NOWHERE1"),
    ],
)
def test_unknown_cable_ids_get_a_clear_message(client, cables, ada, ids, status, says):
    client.force_login(ada)
    page = client.get("/lists/add/", {"cable": ids})
    assert page.status_code == status
    assert says in page.content.decode()
    assert "<script>x" not in page.content.decode()
    posted = client.post("/lists/add/", {"cable": ids, "new_title": "T"})
    assert posted.status_code in {302, 400}
    assert list(ListEntry.objects.values_list("cable__reference_id", flat=True)) == (
        ["08OTTAWA100"] if status == 200 else []
    )


def test_add_needs_a_list(client, cables, ada):
    client.force_login(ada)
    response = client.post("/lists/add/", {"cable": "08OTTAWA100", "new_title": "  "})
    assert response.status_code == 400
    assert "Choose one of your lists" in response.content.decode()
    assert not ReadingList.objects.exists()


def test_notes_order_and_removal(client, cables, ada):
    client.force_login(ada)
    reading_list = ReadingList.objects.create(owner=ada, title="Order")
    client.post(
        "/lists/add/", {"cable": [c.reference_id for c in cables], "reading_list": reading_list.pk}
    )
    entries = {e.cable.reference_id: e for e in reading_list.entries.select_related("cable")}
    base = f"/lists/{reading_list.pk}/entries"

    client.post(f"{base}/{entries['08MEXICO300'].pk}/move/", {"direction": "up"})
    assert order(reading_list) == ["08OTTAWA100", "08MEXICO300", "08OTTAWA200"]
    client.post(f"{base}/{entries['08OTTAWA100'].pk}/move/", {"direction": "up"})  # first already
    client.post(f"{base}/{entries['08OTTAWA100'].pk}/move/", {"direction": "down"})
    assert order(reading_list) == ["08MEXICO300", "08OTTAWA100", "08OTTAWA200"]
    client.post(f"{base}/{entries['08OTTAWA200'].pk}/move/", {"direction": "sideways"})
    assert order(reading_list) == ["08MEXICO300", "08OTTAWA100", "08OTTAWA200"]

    saved = client.post(f"{base}/{entries['08OTTAWA100'].pk}/note/", {"note": " <b>key</b> "})
    assert saved["Location"] == f"/lists/{reading_list.pk}/#e{entries['08OTTAWA100'].pk}"
    page = client.get(f"/lists/{reading_list.pk}/").content.decode()
    assert "&lt;b&gt;key&lt;/b&gt;" in page and "<b>key</b>" not in page
    assert (
        client.post(f"{base}/{entries['08OTTAWA100'].pk}/note/", {"note": "x" * 4001}).status_code
        == 302
    )
    assert ListEntry.objects.get(pk=entries["08OTTAWA100"].pk).note == "<b>key</b>"

    client.post(f"{base}/{entries['08MEXICO300'].pk}/remove/")
    assert order(reading_list) == ["08OTTAWA100", "08OTTAWA200"]
    assert client.get(f"{base}/{entries['08MEXICO300'].pk}/remove/").status_code == 405


def test_the_owner_page_carries_a_token_in_every_post_form_and_names_each_cable(
    client, cables, ada
):
    client.force_login(ada)
    reading_list = ReadingList.objects.create(owner=ada, title="Forms")
    client.post(
        "/lists/add/", {"cable": ["08OTTAWA100", "08OTTAWA200"], "reading_list": reading_list.pk}
    )
    html = client.get(f"/lists/{reading_list.pk}/").content.decode()
    forms = re.findall(r"<form[^>]*method=\"post\"[^>]*>(.*?)</form>", html, re.S)
    assert len(forms) == 2 * 4 + 2  # note, up, down, remove per entry; settings; log out
    assert all("csrfmiddlewaretoken" in form for form in forms)
    assert "Anyone with the link can read a public list and its notes" in html
    # each note field and its button name their cable: a screen reader lists them apart
    for entry in reading_list.entries.select_related("cable"):
        rid = entry.cable.reference_id
        label = f'<label for="note-{entry.pk}">Note<span class="visually-hidden"> on {rid}</span>'
        assert label in html
        assert f'aria-label="Save note on {rid}">Save note</button>' in html


def test_rename_describe_publish_and_delete(client, cables, ada):
    client.force_login(ada)
    reading_list = ReadingList.objects.create(owner=ada, title="Draft")
    response = client.post(
        f"/lists/{reading_list.pk}/edit/",
        {"title": "Final", "description": "For the paper", "public": "on"},
    )
    assert response.status_code == 302
    reading_list.refresh_from_db()
    assert (reading_list.title, reading_list.description, reading_list.public) == (
        "Final",
        "For the paper",
        True,
    )
    page = client.get(f"/lists/{reading_list.pk}/").content.decode()
    assert "anyone with its link can read it" in page
    assert f"/lists/{reading_list.pk}/public/" in page
    assert client.post(f"/lists/{reading_list.pk}/edit/", {"title": ""}).status_code == 400

    confirm = client.get(f"/lists/{reading_list.pk}/delete/")
    assert "Delete “Final”?" in confirm.content.decode()
    assert ReadingList.objects.exists()
    assert client.post(f"/lists/{reading_list.pk}/delete/")["Location"] == "/lists/"
    assert not ReadingList.objects.exists()


def test_create_a_list(client, ada):
    client.force_login(ada)
    assert client.get("/lists/new/").status_code == 200
    response = client.post("/lists/new/", {"title": "Empty one", "description": ""})
    reading_list = ReadingList.objects.get()
    assert response["Location"] == f"/lists/{reading_list.pk}/"
    assert client.post("/lists/new/", {"title": ""}).status_code == 400


def public_list(owner) -> ReadingList:
    reading_list = ReadingList.objects.create(owner=owner, title="Open list", public=True)
    ListEntry.objects.create(
        reading_list=reading_list,
        cable=cable_make("08OTTAWA400", subject="OPEN CABLE"),
        note="shared thought",
        position=0,
    )
    return reading_list


def test_the_public_permalink_is_the_same_for_everyone_and_validated(client, ada):
    reading_list = public_list(ada)
    url = f"/lists/{reading_list.pk}/public/"
    first = client.get(url)
    html = first.content.decode()
    assert first.status_code == 200 and "OPEN CABLE" in html and "shared thought" in html
    assert "ada@example.org" not in html and "csrfmiddlewaretoken" not in html
    assert "<form" not in html.split("</header>", 1)[1]  # only the site's search form
    assert first["Cache-Control"] == "public, no-cache" and not first.cookies
    client.force_login(ada)
    assert client.get(url).content == first.content

    etag = first["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    entry = reading_list.entries.get()
    client.post(f"/lists/{reading_list.pk}/entries/{entry.pk}/note/", {"note": "new thought"})
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and "new thought" in changed.content.decode()
    etag = changed["ETag"]
    archive_generation_bump()  # a cable may have changed its subject
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_a_public_lists_exports_are_validated_too(client, ada):
    reading_list = public_list(ada)
    first = client.get(f"/lists/{reading_list.pk}.csv")
    assert first["Cache-Control"] == "public, no-cache"
    again = client.get(f"/lists/{reading_list.pk}.csv", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_making_a_list_private_again_closes_the_permalink(client, ada):
    reading_list = public_list(ada)
    client.force_login(ada)
    client.post(f"/lists/{reading_list.pk}/edit/", {"title": "Open list", "description": ""})
    client.logout()
    assert client.get(f"/lists/{reading_list.pk}/public/").status_code == 404
    assert client.get(f"/lists/{reading_list.pk}.json")["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    "url",
    [
        "/lists/99999999999999999999999/",
        "/lists/99999999999999999999999/public/",
        "/lists/99999999999999999999999.json",
        "/lists/1/entries/99999999999999999999999/remove/",
    ],
)
def test_absurd_ids_are_404(client, ada, url):
    client.force_login(ada)
    assert client.get(url).status_code == 404
