"""Issue 15 item 6: no URL answers 500. Every URL pattern of the project, read from the
URL resolver (a route added tomorrow is walked too), is requested with hostile values
in each of its path parameters (NUL, ``0000``, 10,000 characters, ``../``, percent-
encoded invalid UTF-8...) and with hostile query strings, by an anonymous reader and
by a logged-in superuser (who reaches the admin and owns a reading list). Each answer
must be below 500. Runs on SQLite and on PostgreSQL (where NUL reaching a query was
the 500)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import quote, quote_from_bytes

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

from readinglists.models import ListEntry, ReadingList
from search.filters import SearchFilterSet
from search.services import caches_clear, index_cables_update
from tests.search.factories import small_archive

pytestmark = pytest.mark.django_db

# Path values. ``bytes`` are sent percent-encoded as they are (invalid UTF-8);
# ``str`` values are percent-encoded from UTF-8 (``/`` kept: it may split a segment).
HOSTILE_PATH: list[str | bytes] = [
    "\x00",
    "a\x00b",
    "\x1b[31m\r\n",
    "0000",
    "0",
    "13",
    "9999",
    "99999999999999999999999",
    "x" * 10_000,
    "../../../etc/passwd",
    "..",
    b"\xff\xfe",
    b"\xc0\xae\xc0\xae/",
    "%00",
    "\u202e<script>'\"; --é\U0001f600",
]

# Query-string values, each sent for every parameter name at once on every route.
HOSTILE_QUERY: list[str | bytes] = [
    "\x00",
    "a\x00b",
    "-1",
    "99999999999999999999999",
    "x" * 10_000,
    b"\xff\xfe",
    "\u202e<script>",
    "2008-13-45",
]
# ... and sent alone, one parameter at a time, on the routes that read the query.
HOSTILE_QUERY_ALONE: list[str | bytes] = ["\x00", "x" * 10_000, b"\xff\xfe"]

# Parameter names any view of the archive reads (the search's own, read from its
# filter set, and the others').
QUERY_NAMES = sorted(
    {
        *SearchFilterSet.base_filters,
        "page",
        "per_page",
        "sort",
        "q",
        "next",
        "ids",
        "cable",
        "list",
        "o",
        "p",
        "e",
        "_changelist_filters",
    }
)

# Routes whose views read the query string: each parameter is also sent alone.
QUERY_ROUTES = {
    "search:home",
    "search:search",
    "search:search_json",
    "search:search_csv",
    "search:search_atom",
    "people:people_list",
    "people:people_list_json",
    "cables:date_month",
    "cables:date_month_json",
    "readinglists:add",
    "readinglists:create",
}
# Routes a logged-in user reaches further than an anonymous reader (who is sent to
# the log-in page): walked by a superuser too.
PRIVATE_PREFIXES = ("admin:", "readinglists:")


@dataclass(frozen=True)
class Slot:
    name: str
    regex: str


@dataclass(frozen=True)
class Route:
    name: str
    parts: tuple[str | Slot, ...]


def _route_parts(pattern) -> list[str | Slot]:
    """A pattern as literal text and parameter slots."""
    if isinstance(pattern, RoutePattern):
        parts: list[str | Slot] = []
        route = pattern._route
        position = 0
        for match in re.finditer(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>", route):
            parts.append(route[position : match.start()])
            converter = pattern.converters[match.group("name")]
            parts.append(Slot(match.group("name"), converter.regex))
            position = match.end()
        parts.append(route[position:])
        return parts
    if isinstance(pattern, RegexPattern):
        regex = pattern._regex.removeprefix("^").removesuffix("$").removesuffix(r"\Z")
        parts = []
        position = 0
        for match in re.finditer(r"\(\?P<(?P<name>\w+)>", regex):
            parts.append(regex[position : match.start()].replace("\\", ""))
            depth, end = 1, match.end()
            while depth:
                depth += {"(": 1, ")": -1}.get(regex[end], 0)
                end += 1
            parts.append(Slot(match.group("name"), regex[match.end() : end - 1]))
            position = end
        parts.append(regex[position:].replace("\\", ""))
        return parts
    raise AssertionError(f"a URL pattern of a kind this walker does not know: {pattern!r}")


def every_route() -> Iterator[Route]:
    def walk(resolver: URLResolver, prefix: list, namespace: str) -> Iterator[Route]:
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                yield from walk(entry, [*prefix, *_route_parts(entry.pattern)], inner)
            elif isinstance(entry, URLPattern):
                name = f"{namespace}{entry.name or entry.pattern}"
                yield Route(name, tuple([*prefix, *_route_parts(entry.pattern)]))

    yield from walk(get_resolver(), [], "")


def _encode(value: str | bytes) -> str:
    if isinstance(value, bytes):
        return quote_from_bytes(value, safe="/")
    return quote(value, safe="/")


def _query(pairs: list[tuple[str, str | bytes]]) -> str:
    return "&".join(f"{quote(name)}={_encode(value)}" for name, value in pairs)


@pytest.fixture
def world(db, settings, tmp_path):
    """A small archive with its index, a person, and a superuser owning a reading
    list: the benign values each parameter gets while another one is hostile."""
    settings.SEARCH_INDEX_DIR = tmp_path / "index"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    caches_clear()
    cables = small_archive()
    index_cables_update(pending=True)
    admin = User.objects.create_superuser("root@example.org", "root@example.org", "pw-12345-x")
    reading_list = ReadingList.objects.create(owner=admin, title="Mine", public=True)
    entry = ListEntry.objects.create(reading_list=reading_list, cable=cables[0], position=0)
    benign = {
        "reference_id": cables[0].reference_id,
        "year": "2008",
        "month": "01",
        "slug": "wilkins",
        "pk": str(reading_list.pk),
        "entry": str(entry.pk),
        "object_id": str(cables[0].pk),
        "content_type_id": "1",
        "id": str(admin.pk),
        "uidb64": "MQ",
        "token": "set-password",
        "app_label": "cables",
        "url": "nothing/",
    }
    yield benign, admin
    caches_clear()


def _benign(route: Route, slot: Slot, benign: dict[str, str]) -> str:
    if slot.name == "code":
        return "OTTAWA" if "post" in route.name else "MARR"
    value = benign.get(slot.name, "1")
    assert re.fullmatch(slot.regex, value), f"{route.name}: no benign value for {slot.name}"
    return value


def _path(route: Route, values: dict[str, str]) -> str:
    return "/" + "".join(
        part if isinstance(part, str) else values[part.name] for part in route.parts
    )


def _requests(benign: dict[str, str], *, private: bool) -> Iterator[tuple[str, str]]:
    """(route name, URL) of every request the walk makes: of every route, or (with
    ``private``) of the routes a logged-in user reaches further."""
    for route in every_route():
        if private and not route.name.startswith(PRIVATE_PREFIXES):
            continue
        slots = [part for part in route.parts if isinstance(part, Slot)]
        good = {slot.name: quote(_benign(route, slot, benign), safe="") for slot in slots}
        for slot in slots:
            for value in HOSTILE_PATH:
                yield route.name, _path(route, {**good, slot.name: _encode(value)})
        base = _path(route, good)
        for value in HOSTILE_QUERY:
            yield route.name, base + "?" + _query([(name, value) for name in QUERY_NAMES])
        if route.name in QUERY_ROUTES and not private:
            for name in QUERY_NAMES:
                for value in HOSTILE_QUERY_ALONE:
                    yield route.name, base + "?" + _query([(name, value)])


def test_the_walk_covers_every_route_and_parameter():
    routes = list(every_route())
    names = {route.name for route in routes}
    # the archive's own routes and Django's (admin, accounts) alike
    for name in (
        "cables:date_month_json",
        "cables:tag_detail",
        "readinglists:entry_move",
        "people:person_detail_json",
        "password_reset_confirm",
        "admin:index",
    ):
        assert name in names
    assert names >= QUERY_ROUTES
    slots = {part.name for route in routes for part in route.parts if isinstance(part, Slot)}
    assert {"reference_id", "code", "year", "month", "slug", "pk", "entry", "uidb64"} <= slots


def test_no_url_answers_500(world):
    benign, admin = world
    anonymous = Client(raise_request_exception=False)
    superuser = Client(raise_request_exception=False)
    superuser.force_login(admin)
    failures = []
    count = 0
    for who, client, private in (("anonymous", anonymous, False), ("superuser", superuser, True)):
        for name, url in _requests(benign, private=private):
            count += 1
            response = client.get(url)
            if response.status_code >= 500:
                failures.append(f"{who} {name} {url[:160]!r}: {response.status_code}")
    assert count > 2000
    assert not failures, f"{len(failures)} of {count} requests answered 500:\n" + "\n".join(
        failures[:60]
    )


@pytest.mark.parametrize(
    "url, status, says",
    [
        ("/date/0000/", 404, None),
        ("/date/0000.json", 404, None),
        ("/date/0000/01/", 404, None),
        ("/date/0000/01.json", 404, None),
        ("/tag/%00/", 404, None),
        ("/tag/%00.json", 404, None),
        ("/tag/a%00b/", 404, None),
        ("/tag/a%00b.json", 404, None),
        ("/tag/" + "A" * 10_000 + "/", 404, None),
        ("/cable/" + "A" * 10_000 + "/", 404, None),
        ("/person/" + "a" * 10_000 + "/", 404, None),
        ("/people/?q=a%00b", 200, None),
        ("/people.json?q=%00", 200, None),
    ],
)
def test_the_reported_urls(world, client, url, status, says):
    response = client.get(url)
    assert response.status_code == status, url
    if status == 404 and not url.endswith(".json"):
        assert b"Not found" in response.content or b"No " in response.content
