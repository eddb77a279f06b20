"""A researcher follows people and paragraph markings, in real headless Chromium: from a
cable page to everything its signer signed and its classifier classified, then the
"Paragraph marking" facet. Data: the demo corpus, ingested and indexed for real."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from cables.models import Cable

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def result_ids(page) -> set[str]:
    return set(page.locator("ol.results .result-id").all_inner_texts())


def test_signer_classifier_and_paragraph_marking(open_tab, demo_archive, live_server):
    page = open_tab().page
    cable = Cable.objects.get(reference_id="04OTTAWA912")
    signed = set(Cable.objects.filter(signer=cable.signer).values_list("reference_id", flat=True))
    classified = set(
        Cable.objects.filter(classified_by_name=cable.classified_by_name).values_list(
            "reference_id", flat=True
        )
    )
    assert cable.signer == "RIDGEWAY" and cable.classified_by_name == "Susan K. Marsh"

    # The header panel links the signer to their person page, which lists what they
    # signed ...
    page.goto(live_server.url + "/cable/04OTTAWA912/")
    page.get_by_role("link", name="RIDGEWAY", exact=True).click()
    expect(page).to_have_url(re.compile(r"/person/ridgeway/$"))
    signed_table = page.locator("section#signed table.cable-table a[href^='/cable/']")
    assert set(signed_table.all_inner_texts()) == signed

    # ... and, by the small search link beside the name, to a search for everything
    # they signed.
    page.goto(live_server.url + "/cable/04OTTAWA912/")
    page.locator("a[title='Search the cables signed RIDGEWAY']").filter(has_text="search").click()
    expect(page).to_have_url(re.compile(r"/search/\?q=signer%3A%22RIDGEWAY%22"))
    expect(page.locator("#search-heading")).to_contain_text(f"{len(signed)} cable")
    assert result_ids(page) == signed

    # ... and the classifier likewise.
    page.goto(live_server.url + "/cable/04OTTAWA912/")
    page.get_by_role("link", name="Susan K. Marsh", exact=True).click()
    expect(page).to_have_url(re.compile(r"/person/marsh_susan/$"))
    page.go_back()
    page.locator("a[title='Search the cables Susan K. Marsh classified']").filter(
        has_text="search"
    ).click()
    expect(page).to_have_url(re.compile(r"q=by%3A%22Susan\+K\.\+Marsh%22"))
    assert result_ids(page) == classified

    # The paragraph-marking facet: cables with at least one (S) paragraph.
    secret = set(
        Cable.objects.filter(paragraphs__classification="S")
        .distinct()
        .values_list("reference_id", flat=True)
    )
    assert secret
    page.goto(live_server.url + "/")
    facet = page.locator("section.facet-pclass")
    expect(facet).to_contain_text("Paragraph marking")
    link = facet.get_by_role("link", name=re.compile(r"^\(S\) "))
    expect(link.locator("xpath=..").locator(".count")).to_have_text(str(len(secret)))
    link.click()
    expect(page).to_have_url(re.compile(r"[?&]pclass=S\b"))
    expect(page.locator("#search-heading")).to_contain_text(f"{len(secret)} cable")
    assert result_ids(page) == secret  # fewer than a page of them: all shown
    expect(page.get_by_role("list", name="Active filters")).to_contain_text("(S)")
