"""A list as CSV, JSON and BibTeX: every cable with its note, escaped for each format."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import User

from readinglists.models import ListEntry, ReadingList
from tests.cables.factories import cable_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def owned(client, db):
    user = User.objects.create_user("ada@example.org", "ada@example.org", "pw-ada-12345")
    reading_list = ReadingList.objects.create(owner=user, title="Costs @ {50%}", description="d")
    rows = [
        cable_make(
            "08OTTAWA100",
            subject="COSTS & 50% OF {BUDGET} #1_X ~ $2 \\ ^",
            created=datetime(2008, 3, 7, 10, 0, tzinfo=UTC),
            classification="SECRET//NOFORN",
        ),
        cable_make("09STATE200", subject='=HYPERLINK("http://x")', classification="UNCLASSIFIED"),
    ]
    for position, (cable, note) in enumerate(
        zip(rows, ["see ¶2 & ¶3\nthen } call", ""], strict=True)
    ):
        ListEntry.objects.create(
            reading_list=reading_list, cable=cable, note=note, position=position
        )
    client.force_login(user)
    return reading_list


def test_csv(client, owned):
    response = client.get(f"/lists/{owned.pk}.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="reading-list-{owned.pk}.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [r["reference_id"] for r in rows] == ["08OTTAWA100", "09STATE200"]
    assert rows[0]["note"] == "see ¶2 & ¶3\nthen } call"
    assert rows[0]["position"] == "1" and rows[0]["url"] == "http://testserver/cable/08OTTAWA100/"
    assert rows[0]["created"] == "2008-03-07T10:00:00+00:00"
    assert rows[1]["subject"] == '\'=HYPERLINK("http://x")'  # no spreadsheet formula


def test_json(client, owned):
    data = client.get(f"/lists/{owned.pk}.json").json()
    assert data["title"] == "Costs @ {50%}" and data["public"] is False and data["count"] == 2
    assert data["formats"]["bib"] == f"http://testserver/lists/{owned.pk}.bib"
    first = data["entries"][0]
    assert first["reference_id"] == "08OTTAWA100" and first["note"].startswith("see ¶2")
    assert first["post"] == "OTTAWA" and first["classification"] == "SECRET//NOFORN"
    assert "ada@example.org" not in str(data)


def test_bibtex(client, owned):
    response = client.get(f"/lists/{owned.pk}.bib")
    assert response["Content-Type"] == "application/x-bibtex; charset=utf-8"
    text = response.content.decode()
    assert text.startswith("% Reading list: Costs {50%}\n")  # no "@" outside an entry
    first, second = text.split("@misc{")[1:]
    assert first.startswith("08OTTAWA100,\n")
    assert "author       = {{US Embassy Ottawa}}" in first
    assert (
        r"title        = {COSTS \& 50\% OF \{BUDGET\} \#1\_X \~{} \$2 \textbackslash{} \^{}}"
        in first
    )
    assert "year         = 2008" in first and "month        = mar" in first
    assert "note         = {Secret, no foreign nationals}" in first
    assert r"howpublished = {\url{http://testserver/cable/08OTTAWA100/}}" in first
    assert "url          = {http://testserver/cable/08OTTAWA100/}" in first
    assert r"annote       = {see ¶2 \& ¶3 then \} call}" in first
    assert second.startswith("09STATE200,\n")
    assert "author       = {{Department of State}}" in second
    assert "annote" not in second
    # Braces balance in every entry.
    for entry in (first, second):
        body = entry.replace("\\{", "").replace("\\}", "")
        assert body.count("{") + 1 == body.count("}")
