"""Issue 14 in real headless Chromium: every page type at 400 and 1400 px wide, with
a screenshot each and no horizontal overflow (``scrollWidth <= clientWidth``); the
"Filters" disclosure before the results on a phone; one search box; the cable's
header panel folded on a phone so its text starts on the first screen; ``/`` to
search; one tab stop per result; from a result to the next and back.
Data: the demo corpus, ingested and indexed for real."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"width": 400, "height": 800}
DESKTOP = {"width": 1400, "height": 900}

# One of each page type (path, status).
PAGES = [
    ("/", 200),
    ("/search/?q=%22missile+defense%22&tag=MARR", 200),
    ("/search/?q=missile&more=tag", 200),
    ("/search/?q=nomatchwhatsoever", 200),
    ("/search/help/", 200),
    ("/cable/04STATE61530/", 200),
    ("/cable/04OTTAWA912/?q=missile+defense&pos=1", 200),
    ("/cable/04OTTAWA455/", 200),  # a placeholder: known to Cablegate, not loaded
    ("/tags/", 200),
    ("/tag/MARR/", 200),
    ("/posts/", 200),
    ("/post/OTTAWA/", 200),
    ("/date/", 200),
    ("/date/2004/", 200),
    ("/date/2004/04/", 200),
    ("/people/", 200),
    ("/person/ridgeway/", 200),
    ("/lists/", 200),
    ("/accounts/login/", 200),
    ("/cable/NOPE/", 404),
]

OVERFLOW = """() => {
  const root = document.documentElement;
  const wide = [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > root.clientWidth + 1)
    .slice(0, 5).map(e => e.tagName.toLowerCase() + '.' + e.className);
  return {scroll: root.scrollWidth, client: root.clientWidth, wide};
}"""


def open_at(browser, viewport):
    context = browser.new_context(viewport=viewport)
    return context, context.new_page()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["400px", "1400px"])
def test_no_page_is_wider_than_the_screen(browser, demo_archive, live_server, tmp_path, viewport):
    context, page = open_at(browser, viewport)
    problems = []
    try:
        for path, status in PAGES:
            response = page.goto(live_server.url + path)
            assert response is not None and response.status == status, path
            shot = tmp_path / (re.sub(r"\W+", "_", path).strip("_") or "home")
            page.screenshot(path=f"{shot}-{viewport['width']}.png", full_page=True)
            assert (tmp_path / f"{shot.name}-{viewport['width']}.png").stat().st_size > 5000
            size = page.evaluate(OVERFLOW)
            if size["scroll"] > size["client"]:
                problems.append(f"{path}: {size}")
    finally:
        context.close()
    assert not problems, "\n".join(problems)


def test_a_phone_reaches_the_filters_before_the_results(browser, demo_archive, live_server):
    context, page = open_at(browser, PHONE)
    try:
        page.goto(live_server.url + "/search/?q=%22missile+defense%22")
        expect(page.locator("input[type=search]:visible")).to_have_count(1)  # one box
        filters = page.locator("details.filters")
        expect(filters).not_to_have_attribute("open", "")
        first = page.locator("li.result").first
        assert filters.bounding_box()["y"] < first.bounding_box()["y"]
        assert filters.bounding_box()["y"] < PHONE["height"]  # on the first screen
        page.get_by_text("Filters", exact=True).click()
        marr = filters.get_by_role("link", name="MARR", exact=True)
        expect(marr).to_be_visible()
        expect(marr).to_have_attribute("title", re.compile(r"\w"))  # its meaning
        marr.click()
        expect(page).to_have_url(re.compile(r"tag=MARR"))
        expect(page.get_by_role("list", name="Active filters")).to_contain_text("Tag MARR")
    finally:
        context.close()


def test_wide_screens_show_the_filters_open(browser, demo_archive, live_server):
    context, page = open_at(browser, DESKTOP)
    try:
        page.goto(live_server.url + "/search/?q=missile")
        expect(page.locator("details.filters")).to_have_attribute("open", "")
        expect(page.locator("input[type=search]:visible")).to_have_count(1)
        facet = page.locator("section.facet-tag")
        expect(facet.locator(".facet-meaning").first).to_be_visible()
    finally:
        context.close()


def test_the_cable_text_starts_on_a_phones_first_screen(browser, demo_archive, live_server):
    context, page = open_at(browser, PHONE)
    try:
        page.goto(live_server.url + "/cable/04STATE61530/")
        panel = page.locator("details.cable-meta-panel")
        expect(panel).not_to_have_attribute("open", "")
        assert page.locator("#text-h").bounding_box()["y"] < PHONE["height"]
        panel.locator("summary").click()
        expect(panel.locator("dt", has_text="Reference id")).to_be_visible()
    finally:
        context.close()
    context, page = open_at(browser, DESKTOP)
    try:
        page.goto(live_server.url + "/cable/04STATE61530/")
        expect(page.locator("details.cable-meta-panel")).to_have_attribute("open", "")
    finally:
        context.close()


def test_slash_focuses_search_and_each_result_is_one_tab_stop(open_tab, demo_archive, live_server):
    page = open_tab().page
    page.goto(live_server.url + "/cable/04STATE61530/")
    page.locator("h1").click()
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "site-q"

    page.goto(live_server.url + "/search/?q=missile")
    page.locator("h1").click()
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "q"
    page.keyboard.type("defense")  # typing "/" in the box is text, not a shortcut
    page.keyboard.press("/")
    expect(page.locator("#q")).to_have_value(re.compile(r"defense/$"))

    page.goto(live_server.url + "/search/?q=missile")
    results = page.locator("li.result")
    first_link = results.nth(0).locator("a")
    expect(first_link).to_have_count(1)
    first_link.focus()
    page.keyboard.press("Tab")  # the result's reading-list checkbox, a form control
    assert page.evaluate("document.activeElement.type") == "checkbox"
    page.keyboard.press("Tab")  # then straight to the next result
    focused = page.evaluate("document.activeElement.closest('li.result')?.id")
    assert focused == results.nth(1).get_attribute("id")


def test_from_a_result_to_the_next_and_back(open_tab, demo_archive, live_server):
    tab = open_tab()
    page = tab.page
    page.goto(live_server.url + "/search/?q=%22missile+defense%22&sort=oldest")
    titles = page.locator("li.result .result-title a")
    ids = page.locator("li.result .result-id").all_inner_texts()
    titles.first.click()
    expect(page).to_have_url(re.compile(rf"/cable/{ids[0]}/\?q=.*&sort=oldest&pos=1$"))
    nav = page.get_by_role("navigation", name="Search results")
    expect(nav).to_contain_text(f"Result 1 of {len(ids)}")
    expect(page.locator("#text mark").first).to_have_text(re.compile("missil|defens", re.I))
    nav.get_by_role("link", name=re.compile("^Next")).click()
    expect(page).to_have_url(re.compile(rf"/cable/{ids[1]}/\?.*pos=2$"))
    page.get_by_role("navigation", name="Search results").get_by_role(
        "link", name=re.compile("^‹ Previous")
    ).click()
    expect(page).to_have_url(re.compile(rf"/cable/{ids[0]}/\?.*pos=1$"))
    page.get_by_role("link", name="← Back to results").click()
    expect(page).to_have_url(re.compile(r"/search/\?q=%22missile\+defense%22&sort=oldest#r1$"))
    assert page.locator("li.result .result-id").all_inner_texts() == ids
    assert not tab.errors and not tab.csp_violations()
