"""A researcher's journey in real headless Chromium, beyond reading (issue 11).

Follow a search as an Atom feed (the feed the link fetches parses, every entry's link
opens its cable page); open a similar cable from a cable page; sign up from "Add to a
reading list", put one cable in a new named list from its page and a second one from
search results, write a private note, reorder, export the list as CSV, JSON and BibTeX;
log out; as another user fail to open the list (404) or its exports; as an anonymous
reader be asked to log in at /lists/. Last the owner logs in again, makes the list
public and its permalink reads the same in a fresh browser, notes included.

Everything a reader does is a click or a form fill in the browser; the test itself
never writes to the database. Data: the demo corpus in ``demo/``, ingested and indexed
for real.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
from playwright.sync_api import expect

from cables.citation import bibtex_escape
from tests.browser.demo_facts import PHRASE, PHRASE_HITS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ATOM = "{http://www.w3.org/2005/Atom}"
FIRST_CABLE = "04OTTAWA912"  # added from its cable page
SECOND_CABLE = "04STATE61530"  # added from search results
LIST_TITLE = "Missile defense & Canada <2004>"
NOTE = "Beale's briefing: compare with the State guidance (REF A) <check>"
PASSWORD = "Cable-reader-2024!"  # noqa: S105
OWNER = "ada.researcher@example.org"
OTHER = "other.reader@example.org"


@pytest.fixture
def signup_open(settings):
    """Sign-up as a site that lets readers in runs it. A fast password hasher, as in
    tests/accounts: production's PBKDF2 (a million rounds) takes seconds a hash on a
    busy machine, past the browser's wait for the page after "Create account"."""
    settings.SIGNUP_ENABLED = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def cable_id_of(url: str) -> str:
    match = re.fullmatch(r"/cable/([^/]+)/", urlsplit(url).path)
    assert match, url
    return match.group(1)


def entry_ids(page) -> list[str]:
    return page.locator("ol.entries li.entry .result-id").all_inner_texts()


def flash(page):
    return page.locator("p.message")


def sign_up(page, email: str) -> None:
    """From the log-in page a reader was sent to: follow "Sign up" and create an account."""
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    page.get_by_role("link", name="Sign up").click()
    expect(page.get_by_role("heading", name="Sign up")).to_be_visible()
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()


def log_out(page) -> None:
    page.get_by_role("button", name="Log out").click()


def download_text(page, link) -> tuple[str, str]:
    """Click a link that the server sends as an attachment: its name and text."""
    with page.expect_download() as info:
        link.click()
    download = info.value
    return download.suggested_filename, Path(download.path()).read_text(encoding="utf-8")


def test_researcher_journey(open_tab, demo_archive, live_server, signup_open):
    tab = open_tab()
    page = tab.page
    base = live_server.url

    # -- A search, followed as a feed --------------------------------------------------
    page.goto(base + "/")
    page.get_by_label("Search the cables").fill(PHRASE)
    page.get_by_label("Search the cables").press("Enter")
    expect(page.locator("#search-heading")).to_have_text('6 cables for "missile defense"')
    advertised = page.locator('link[rel="alternate"][type="application/atom+xml"]')
    expect(advertised).to_have_count(1)
    follow = page.get_by_role("link", name="Follow this search")
    expect(follow).to_be_visible()
    assert follow.get_attribute("href") == advertised.get_attribute("href")
    with page.expect_response(lambda r: urlsplit(r.url).path == "/search.atom") as info:
        follow.click()
    feed_response = info.value
    assert feed_response.status == 200
    assert feed_response.headers["content-type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(feed_response.body())  # noqa: S314 - our own feed
    assert feed.tag == f"{ATOM}feed"
    assert "missile defense" in feed.findtext(f"{ATOM}title")
    for required in ("id", "updated", "author/{*}name"):
        assert feed.findtext(f"{ATOM}{required}"), required
    entries = feed.findall(f"{ATOM}entry")
    assert entries
    links = []
    for entry in entries:
        for required in ("id", "title", "updated", "author/{*}name", "summary"):
            assert entry.findtext(f"{ATOM}{required}"), required
        link = entry.find(f"{ATOM}link[@rel='alternate']")
        assert link is not None
        links.append(link.get("href"))
    assert {cable_id_of(href) for href in links} == PHRASE_HITS
    # every entry's link opens its cable page in the browser
    for href in links:
        response = page.goto(href)
        assert response is not None and response.status == 200, href
        expect(page.locator("code.cable-id")).to_have_text(cable_id_of(href))

    # -- A similar cable -------------------------------------------------------------
    page.goto(base + f"/cable/{FIRST_CABLE}/")
    similar = page.locator("section#similar")
    expect(similar.get_by_role("heading", name="Similar cables")).to_be_visible()
    # The section is the page's own link until static/js/similar.js swaps in the table.
    expect(similar.locator("tbody tr").first).to_be_visible()
    first_similar = similar.locator("tbody tr td:nth-child(2) a").first
    similar_id = first_similar.inner_text().strip()
    assert similar_id and similar_id != FIRST_CABLE
    first_similar.click()
    expect(page).to_have_url(f"{base}/cable/{similar_id}/")
    expect(page.locator("code.cable-id")).to_have_text(similar_id)

    # -- Sign up from "Add to a reading list" on a cable page ---------------------------
    page.goto(base + f"/cable/{FIRST_CABLE}/")
    page.get_by_role("link", name="Add to a reading list").click()
    sign_up(page, OWNER)
    # back where the reader was going: adding the cable, to a first list
    expect(page.get_by_role("heading", name="Add to a reading list")).to_be_visible()
    expect(page.locator("form.stacked fieldset")).to_contain_text(FIRST_CABLE)
    expect(page.get_by_label("Reading list")).to_have_value("")
    page.get_by_label("New list").fill(LIST_TITLE)
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(LIST_TITLE)
    expect(flash(page)).to_contain_text(f"Added {FIRST_CABLE}")
    list_url = page.url
    assert re.fullmatch(rf"{re.escape(base)}/lists/\d+/", list_url), list_url
    assert entry_ids(page) == [FIRST_CABLE]

    # -- A second cable, ticked in search results ------------------------------------
    page.get_by_label("Search cables").fill(PHRASE)
    page.get_by_label("Search cables").press("Enter")
    expect(page.locator("#search-heading")).to_contain_text("6 cables")
    page.get_by_label(f"Select {SECOND_CABLE}").check()
    page.get_by_role("button", name="Add selected to a reading list").click()
    expect(page.get_by_role("heading", name="Add to a reading list")).to_be_visible()
    expect(page.locator("form.stacked fieldset")).to_contain_text(SECOND_CABLE)
    # the list used last is chosen already
    expect(page.get_by_label("Reading list").locator("option:checked")).to_have_text(LIST_TITLE)
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page).to_have_url(list_url)
    expect(flash(page)).to_contain_text(f"Added {SECOND_CABLE}")
    assert entry_ids(page) == [FIRST_CABLE, SECOND_CABLE]

    # -- A private note on an entry ---------------------------------------------------
    # each entry's note field and button name its cable (not one "Note" per entry)
    expect(page.get_by_role("textbox", name=re.compile(r"^Note on "))).to_have_count(2)
    page.get_by_role("textbox", name=f"Note on {FIRST_CABLE}").fill(NOTE)
    page.get_by_role("button", name=f"Save note on {FIRST_CABLE}").click()
    expect(flash(page)).to_contain_text(f"Note saved for {FIRST_CABLE}")
    page.reload()
    expect(page.get_by_role("textbox", name=f"Note on {FIRST_CABLE}")).to_have_value(NOTE)
    expect(page.get_by_role("textbox", name=f"Note on {SECOND_CABLE}")).to_have_value("")

    # -- Reorder: the State guidance first ---------------------------------------------
    page.get_by_role("button", name=f"Move {SECOND_CABLE} up").click()
    expect(page.locator("ol.entries li.entry .result-id").first).to_have_text(SECOND_CABLE)
    assert entry_ids(page) == [SECOND_CABLE, FIRST_CABLE]
    expect(page.get_by_role("button", name=f"Move {SECOND_CABLE} up")).to_be_disabled()
    expect(page.get_by_role("button", name=f"Move {FIRST_CABLE} down")).to_be_disabled()

    # -- Exports -----------------------------------------------------------------------
    exports = page.locator("p.formats")
    name, text = download_text(page, exports.get_by_role("link", name="CSV"))
    assert name.endswith(".csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["reference_id"] for r in rows] == [SECOND_CABLE, FIRST_CABLE]
    assert [r["note"] for r in rows] == ["", NOTE]
    assert rows[1]["url"] == f"{base}/cable/{FIRST_CABLE}/"

    name, text = download_text(page, exports.get_by_role("link", name="BibTeX"))
    assert name.endswith(".bib")
    bib = re.findall(r"^@misc\{(\w+),\n(.*?)^\}$", text, re.M | re.S)
    assert [key for key, _ in bib] == [SECOND_CABLE, FIRST_CABLE]
    (_, second_bib), (_, first_bib) = bib
    assert "annote" not in second_bib
    assert re.search(r"^  annote\s+= \{(.*)\}$", first_bib, re.M).group(1) == bibtex_escape(NOTE)
    assert f"{base}/cable/{FIRST_CABLE}/" in first_bib

    with page.expect_response(lambda r: urlsplit(r.url).path.endswith(".json")) as info:
        exports.get_by_role("link", name="JSON").click()
    exported = json.loads(info.value.body())
    assert exported["title"] == LIST_TITLE
    assert exported["public"] is False
    assert [e["reference_id"] for e in exported["entries"]] == [SECOND_CABLE, FIRST_CABLE]
    assert [e["note"] for e in exported["entries"]] == ["", NOTE]
    export_urls = list(exported["formats"].values())
    page.go_back()
    expect(page).to_have_url(re.compile(rf"^{re.escape(list_url)}(#e\d+)?$"))

    # -- Log out; another reader cannot open the list --------------------------------
    log_out(page)
    expect(page).to_have_url(base + "/")
    page.get_by_role("link", name="Reading lists").click()
    sign_up(page, OTHER)
    expect(page.get_by_role("heading", name="Your reading lists")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text(LIST_TITLE)
    for url in [list_url, list_url + "public/", *export_urls]:
        response = page.goto(url)
        assert response is not None and response.status == 404, url
        expect(page.get_by_role("heading", name="Not found")).to_be_visible()
        expect(page.locator("main")).not_to_contain_text(LIST_TITLE)
        expect(page.locator("main")).not_to_contain_text("Beale")
    page.goto(base + "/lists/")  # the reading-list pages carry the account and "Log out"
    log_out(page)

    # -- Anonymous: /lists/ asks to log in ---------------------------------------------
    response = page.goto(base + "/lists/")
    assert response is not None and response.status == 200
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/lists/$"))
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()

    # -- The owner logs in, makes the list public: its permalink for everyone -----------
    page.get_by_label("E-mail").fill(OWNER.upper())
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Your reading lists")).to_be_visible()
    page.get_by_role("link", name=LIST_TITLE).click()
    expect(page).to_have_url(list_url)
    public = page.get_by_label("Public")
    # the box stands under its label, not adrift in the middle of the form
    box, label = public.bounding_box(), page.locator("label[for=id_public]").bounding_box()
    assert box["width"] < 30 and abs(box["x"] - label["x"]) < 8, (box, label)
    public.check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(flash(page)).to_contain_text("The list is public now")
    permalink = page.locator("main a[href$='/public/']").get_attribute("href")
    assert permalink == urlsplit(list_url).path + "public/"

    reader = open_tab()
    response = reader.page.goto(base + permalink)
    assert response is not None and response.status == 200
    expect(reader.page.get_by_role("heading", level=1)).to_have_text(LIST_TITLE)
    assert entry_ids(reader.page) == [SECOND_CABLE, FIRST_CABLE]
    expect(reader.page.locator(".entry-note-text")).to_have_text(NOTE)
    expect(reader.page.locator("main form")).to_have_count(0)
    expect(reader.page.locator("main textarea, main button")).to_have_count(0)

    for t in (tab, reader):
        assert not t.errors, t.errors
        assert not t.csp_violations(), t.csp_violations()
