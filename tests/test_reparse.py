"""``manage.py reparse``: stored raw text read again, only what changed rewritten and
re-indexed; idempotent, and a rerun after an interruption finishes the job."""

from __future__ import annotations

from dataclasses import replace
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from cables.models import Cable
from cables.parsing import parse_cable
from cables.parsing.version import PARSER_VERSION
from cables.services import cables_reparse
from cables.services import ingest as ingest_service
from search.filters import SearchParams
from search.selectors import search_run
from search.services import caches_clear, index_cables_update
from tests.cabletext import cable_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def index_dir(settings, tmp_path):
    settings.SEARCH_INDEX_DIR = tmp_path / "index"
    caches_clear()
    yield settings.SEARCH_INDEX_DIR
    caches_clear()


@pytest.fixture
def ingested_by_an_older_parser(tmp_path: Path, monkeypatch, index_dir):
    """Three cables ingested by a "parser" that lost 08OTTAWA200's TAGS and subject
    words, stored as read by an older parser version, then indexed."""
    (tmp_path / "08OTTAWA100.txt").write_text(cable_text(serial=100, month=1, day=5))
    (tmp_path / "08OTTAWA200.txt").write_text(
        cable_text(serial=200, month=2, tags="PREL KNNP IR", subject="IRAN NUCLEAR TALKS")
    )
    (tmp_path / "08OTTAWA300.txt").write_text(cable_text(serial=300, month=3))

    def older_parser(text, **kwargs):
        parsed = parse_cable(text, **kwargs)
        if parsed.reference_id == "08OTTAWA200":
            parsed = replace(parsed, tags=("PREL",), subject="IRAN")
        return parsed

    monkeypatch.setattr(ingest_service, "parse_cable", older_parser)
    call_command("ingest", str(tmp_path), "--no-index", stdout=StringIO())
    monkeypatch.undo()
    Cable.objects.update(parser_version="1")
    index_cables_update(pending=True)
    return tmp_path


def tag_hits(tag: str) -> list[str]:
    caches_clear()
    result = search_run(params=SearchParams(tags=(tag,)), per_page=50)
    return [row["reference_id"] for row in result.rows]


def test_reparse_rewrites_and_reindexes_only_what_changed(ingested_by_an_older_parser):
    assert tag_hits("KNNP") == []
    before = dict(Cable.objects.values_list("reference_id", "updated_at"))
    out = StringIO()
    call_command("reparse", stdout=out, stderr=StringIO())
    assert "Re-parsed 3 cables" in out.getvalue()
    assert "changed 1, unchanged 2, failed 0" in out.getvalue()

    cable = Cable.objects.get(reference_id="08OTTAWA200")
    assert cable.subject == "IRAN NUCLEAR TALKS"
    assert list(cable.tags.values_list("code", flat=True).order_by("cabletag__position")) == [
        "PREL",
        "KNNP",
        "IR",
    ]
    assert cable.parser_version == PARSER_VERSION
    assert not Cable.objects.filter(index_pending=True).exists()
    assert tag_hits("KNNP") == ["08OTTAWA200"]  # re-indexed
    after = dict(Cable.objects.values_list("reference_id", "updated_at"))
    assert after["08OTTAWA100"] == before["08OTTAWA100"]  # untouched rows
    assert set(Cable.objects.values_list("parser_version", flat=True)) == {PARSER_VERSION}


def test_reparse_is_idempotent(ingested_by_an_older_parser):
    call_command("reparse", stdout=StringIO(), stderr=StringIO())
    out = StringIO()
    call_command("reparse", stdout=out, stderr=StringIO())
    assert "Re-parsed 0 cables" in out.getvalue()
    out = StringIO()
    call_command("reparse", "--all", stdout=out, stderr=StringIO())
    assert "Re-parsed 3 cables" in out.getvalue()
    assert "changed 0, unchanged 3" in out.getvalue()


def test_an_interrupted_reparse_carries_on(ingested_by_an_older_parser):
    calls = []

    def stop_after_first_batch(report):
        calls.append(report.checked)
        if len(calls) == 1:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        cables_reparse(batch_size=1, on_progress=stop_after_first_batch)
    assert Cable.objects.filter(parser_version=PARSER_VERSION).count() == 1
    report = cables_reparse(batch_size=1)
    assert report.checked == 2
    assert Cable.objects.filter(parser_version=PARSER_VERSION).count() == 3
    assert Cable.objects.get(reference_id="08OTTAWA200").subject == "IRAN NUCLEAR TALKS"


def test_ingest_of_the_same_files_rereads_cables_of_an_older_parser(ingested_by_an_older_parser):
    out = StringIO()
    call_command("ingest", str(ingested_by_an_older_parser), "--no-index", stdout=out)
    assert "new 0, updated 1, unchanged 2" in out.getvalue()
    assert Cable.objects.get(reference_id="08OTTAWA200").subject == "IRAN NUCLEAR TALKS"
    assert set(Cable.objects.values_list("parser_version", flat=True)) == {PARSER_VERSION}
    # only the changed cable waits for the index
    assert list(
        Cable.objects.filter(index_pending=True).values_list("reference_id", flat=True)
    ) == ["08OTTAWA200"]


def test_reparse_keeps_a_partial_extract_partial(tmp_path, index_dir):
    text = (
        "This record is a partial extract of the original cable. The full text of the "
        "original cable is not available.\n\n" + cable_text(serial=400).split("\n\n", 1)[1]
    )
    (tmp_path / "08OTTAWA400.txt").write_text(text)
    call_command("ingest", str(tmp_path), "--no-index", stdout=StringIO())
    report = cables_reparse(everything=True)
    assert (report.checked, report.changed, report.failures) == (1, 0, [])
    assert Cable.objects.get(reference_id="08OTTAWA400").partial is True
