"""Nobody reads or changes another researcher's private list: one table, every view,
as an anonymous reader, as the owner and as another signed-in user, for a private
and a public list."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from readinglists.models import ListEntry, ReadingList
from tests.cables.factories import cable_make

pytestmark = pytest.mark.django_db

LOGIN = "login"  # a redirect to the log-in page with ?next=
PUBLIC = "public"  # a redirect to the list's public permalink
OK, DONE, GONE = 200, 302, 404

# (name, method, path, data, private list: anon/owner/other, public list: anon/owner/other)
VIEWS = [
    ("owner page", "get", "/lists/{pk}/", None, (LOGIN, OK, GONE), (LOGIN, OK, PUBLIC)),
    ("permalink", "get", "/lists/{pk}/public/", None, (GONE, GONE, GONE), (OK, OK, OK)),
    ("json", "get", "/lists/{pk}.json", None, (LOGIN, OK, GONE), (OK, OK, OK)),
    ("csv", "get", "/lists/{pk}.csv", None, (LOGIN, OK, GONE), (OK, OK, OK)),
    ("bibtex", "get", "/lists/{pk}.bib", None, (LOGIN, OK, GONE), (OK, OK, OK)),
    ("delete page", "get", "/lists/{pk}/delete/", None, (LOGIN, OK, GONE), (LOGIN, OK, GONE)),
    (
        "edit",
        "post",
        "/lists/{pk}/edit/",
        {"title": "Taken over", "description": "", "public": "on"},
        (LOGIN, DONE, GONE),
        (LOGIN, DONE, GONE),
    ),
    ("delete", "post", "/lists/{pk}/delete/", {}, (LOGIN, DONE, GONE), (LOGIN, DONE, GONE)),
    (
        "note",
        "post",
        "/lists/{pk}/entries/{entry}/note/",
        {"note": "vandalised"},
        (LOGIN, DONE, GONE),
        (LOGIN, DONE, GONE),
    ),
    (
        "remove",
        "post",
        "/lists/{pk}/entries/{entry}/remove/",
        {},
        (LOGIN, DONE, GONE),
        (LOGIN, DONE, GONE),
    ),
    (
        "move",
        "post",
        "/lists/{pk}/entries/{entry}/move/",
        {"direction": "down"},
        (LOGIN, DONE, GONE),
        (LOGIN, DONE, GONE),
    ),
]
ACTORS = ("anonymous", "owner", "other")


def _cases():
    for name, method, path, data, private, public in VIEWS:
        for kind, expected in (("private", private), ("public", public)):
            for actor, expect in zip(ACTORS, expected, strict=True):
                yield pytest.param(
                    method, path, data, kind, actor, expect, id=f"{name}-{kind}-{actor}"
                )


@pytest.fixture
def people(db):
    owner = User.objects.create_user("owner@example.org", "owner@example.org", "pw-owner-1234")
    other = User.objects.create_user("other@example.org", "other@example.org", "pw-other-1234")
    return owner, other


def _list(owner, *, public: bool) -> tuple[ReadingList, ListEntry]:
    first, second = cable_make("08OTTAWA100"), cable_make("08OTTAWA200")
    reading_list = ReadingList.objects.create(owner=owner, title="Secret research", public=public)
    entry = ListEntry.objects.create(
        reading_list=reading_list, cable=first, note="my private thoughts", position=0
    )
    ListEntry.objects.create(reading_list=reading_list, cable=second, position=1)
    return reading_list, entry


def _state(reading_list: ReadingList) -> tuple:
    rows = ListEntry.objects.filter(reading_list_id=reading_list.pk).order_by("pk")
    found = ReadingList.objects.filter(pk=reading_list.pk).values_list("title", "public").first()
    return found, list(rows.values_list("cable_id", "note", "position"))


@pytest.mark.parametrize(("method", "path", "data", "kind", "actor", "expect"), _cases())
def test_who_may_do_what(client, people, method, path, data, kind, actor, expect):
    owner, other = people
    reading_list, entry = _list(owner, public=kind == "public")
    if actor != "anonymous":
        client.force_login(owner if actor == "owner" else other)
    before = _state(reading_list)
    url = path.format(pk=reading_list.pk, entry=entry.pk)

    response = getattr(client, method)(url, data) if data is not None else client.get(url)

    if expect == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
    elif expect == PUBLIC:
        assert response.status_code == 302
        assert response["Location"] == f"/lists/{reading_list.pk}/public/"
    else:
        assert response.status_code == expect
    if actor != "owner" or method == "get":
        assert _state(reading_list) == before, "nothing changed"
    if expect == GONE:
        assert "no-store" in response["Cache-Control"], "a 404 for one reader only"
        assert "my private thoughts" not in response.content.decode()
        assert "Secret research" not in response.content.decode()
    if method == "get" and expect == OK and kind == "private":
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_the_lists_page_shows_only_your_own(client, people):
    owner, other = people
    _list(owner, public=False)
    assert client.get("/lists/")["Location"] == "/accounts/login/?next=/lists/"
    client.force_login(other)
    page = client.get("/lists/")
    assert page.status_code == 200 and "Secret research" not in page.content.decode()
    assert client.get("/lists.json").json() == {"lists": []}
    assert "no-store" in page["Cache-Control"]
    client.force_login(owner)
    assert "Secret research" in client.get("/lists/").content.decode()
    assert [row["title"] for row in client.get("/lists.json").json()["lists"]] == [
        "Secret research"
    ]


def test_adding_to_another_users_list_is_refused(client, people):
    owner, other = people
    reading_list, _ = _list(owner, public=True)
    cable_make("08OTTAWA300")
    client.force_login(other)
    response = client.post(
        "/lists/add/", {"cable": "08OTTAWA300", "reading_list": reading_list.pk, "new_title": ""}
    )
    assert response.status_code == 400
    assert not ListEntry.objects.filter(cable__reference_id="08OTTAWA300").exists()
