"""Search results: a GET form with a checkbox per row that submits to the private
add page; the page itself stays public (no token, no POST form, a 304 when current)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User

from search.services import caches_clear, index_cables_update
from tests.search.factories import small_archive


@pytest.fixture
def archive(db, settings, tmp_path):
    settings.SEARCH_INDEX_DIR = tmp_path / "index"
    caches_clear()
    small_archive()
    index_cables_update(pending=True)
    yield
    caches_clear()


def test_results_carry_checkboxes_in_a_get_form_to_the_add_page(client, archive):
    page = client.get("/search/", {"q": "defense"})
    html = page.content.decode()
    form = re.search(r'<form action="/lists/add/" method="get">(.*?)</form>', html, re.S)
    assert form is not None
    boxes = re.findall(r'<input type="checkbox" name="cable" value="(\w+)"', form.group(1))
    assert boxes and set(boxes) >= {"08OTTAWA100", "09MEXICO300"}
    assert "Add selected to a reading list" in form.group(1)
    assert "csrfmiddlewaretoken" not in html
    assert page["Cache-Control"] == "public, no-cache"
    assert (
        client.get("/search/", {"q": "defense"}, HTTP_IF_NONE_MATCH=page["ETag"]).status_code == 304
    )


def test_submitting_the_selection_leads_to_the_confirmation(client, archive):
    user = User.objects.create_user("ada@example.org", "ada@example.org", "pw-ada-12345")
    client.force_login(user)
    page = client.get("/lists/add/", {"cable": ["08OTTAWA100", "09MEXICO300"]})
    html = page.content.decode()
    assert page.status_code == 200 and "2 cables" in html
    assert 'method="post"' in html and "csrfmiddlewaretoken" in html
