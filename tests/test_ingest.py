"""Ingest through the command: counts, idempotence, bad input, references."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from cables.models import Cable, KnownCable, Paragraph, Post, Reference
from tests.cabletext import cable_text

pytestmark = pytest.mark.django_db


def ingest(*paths: Path, expect_failure: bool = False) -> str:
    out, err = StringIO(), StringIO()
    if expect_failure:
        with pytest.raises(CommandError, match="failed; everything else was ingested"):
            call_command("ingest", *map(str, paths), "--no-index", stdout=out, stderr=err)
    else:
        call_command("ingest", *map(str, paths), "--no-index", stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


@pytest.fixture
def three_cables(tmp_path: Path) -> Path:
    (tmp_path / "08OTTAWA100.txt").write_text(cable_text(serial=100, month=1, day=5))
    (tmp_path / "08OTTAWA200.txt").write_text(
        cable_text(serial=200, month=2, day=7, refs="A. OTTAWA 100 B. 07 STATE 4567")
    )
    (tmp_path / "08MEXICO300.txt").write_text(
        cable_text(
            station="MEXICO",
            serial=300,
            month=3,
            banner="S E C R E T",
            tags="SNAR PGOV MX",
            refs="OTTAWA 200",
        )
    )
    return tmp_path


def test_ingest_stores_cables_and_is_idempotent(three_cables):
    out = ingest(three_cables)
    assert "new 3, updated 0, unchanged 0, failed 0" in out
    cable = Cable.objects.get(reference_id="08OTTAWA200")
    assert cable.classification == "CONFIDENTIAL"
    assert cable.origin.code == "OTTAWA"
    assert cable.created.isoformat() == "2008-02-07T15:23:00+00:00"
    assert list(cable.tags.values_list("code", flat=True).order_by("cabletag__position")) == [
        "PREL",
        "MARR",
        "CA",
    ]
    assert [p.number for p in cable.paragraphs.all()] == [1, 2, 3]
    assert Cable.objects.get(reference_id="08MEXICO300").classification == "SECRET"

    before = {c.reference_id: c.updated_at for c in Cable.objects.all()}
    out = ingest(three_cables)
    assert "new 0, updated 0, unchanged 3, failed 0" in out
    assert {c.reference_id: c.updated_at for c in Cable.objects.all()} == before
    assert Paragraph.objects.count() == 9


def test_changed_text_updates_in_place_and_keeps_incoming_links(three_cables):
    ingest(three_cables)
    target = Cable.objects.get(reference_id="08OTTAWA200")
    path = three_cables / "08OTTAWA200.txt"
    path.write_text(
        cable_text(serial=200, month=2, day=7, subject="A NEW SUBJECT", refs="OTTAWA 100")
    )
    out = ingest(three_cables)
    assert "new 0, updated 1, unchanged 2" in out
    updated = Cable.objects.get(reference_id="08OTTAWA200")
    assert updated.pk == target.pk
    assert updated.subject == "A NEW SUBJECT"
    assert list(updated.references.values_list("target_reference_id", flat=True)) == ["08OTTAWA100"]
    incoming = Reference.objects.get(source__reference_id="08MEXICO300")
    assert incoming.target_cable_id == target.pk


def test_references_resolve_in_both_directions_whatever_the_order(tmp_path, three_cables):
    # The citing cable first, the cited one later: the link appears when it arrives.
    ingest(three_cables / "08MEXICO300.txt")
    ref = Reference.objects.get(source__reference_id="08MEXICO300")
    assert ref.target_reference_id == "08OTTAWA200"
    assert ref.target_cable is None
    ingest(three_cables)
    ref.refresh_from_db()
    assert ref.target_cable.reference_id == "08OTTAWA200"
    cited = Cable.objects.get(reference_id="08OTTAWA200")
    assert list(Cable.objects.cited_by(cited).values_list("reference_id", flat=True)) == [
        "08OTTAWA100"
    ]
    assert list(Cable.objects.citing("08OTTAWA200").values_list("reference_id", flat=True)) == [
        "08MEXICO300"
    ]
    refs = list(cited.references.values_list("letter", "target_reference_id"))
    assert refs == [("A", "08OTTAWA100"), ("B", "07STATE4567")]


def test_bad_input_is_reported_and_the_rest_goes_in(three_cables):
    (three_cables / "empty.txt").write_text("")
    (three_cables / "binary.txt").write_bytes(b"\x00\x01\x02PK\x03\x04" * 50)
    (three_cables / "nobanner.txt").write_text("Dear diary,\n\nNothing happened today.\n")
    (three_cables / "huge.txt").write_text("A" * (50 * 1024 * 1024))
    (three_cables / "08OTTAWA400.txt").write_bytes(
        cable_text(serial=400, subject="CAF\xc9 DIPLOMACY").encode("cp1252")
    )
    out = ingest(three_cables, expect_failure=True)
    assert "new 4, updated 0, unchanged 0, failed 4" in out
    failed = dict(
        line.strip().removeprefix("FAILED ").split(": ", 1)
        for line in out.splitlines()
        if line.strip().startswith("FAILED ")
    )
    for name, reason in [
        ("empty.txt", "empty file"),
        ("binary.txt", "binary"),
        ("nobanner.txt", "not a cable"),
        ("huge.txt", "too large"),
    ]:
        assert reason in failed[str(three_cables / name)], failed
    assert "cp1252" in out
    assert Cable.objects.get(reference_id="08OTTAWA400").subject == "CAFÉ DIPLOMACY"
    assert Cable.objects.count() == 4


def test_database_rejection_isolates_one_cable(three_cables, monkeypatch):
    """A cable the database refuses fails alone; the batch's others are written."""
    from cables.services import ingest as ingest_service

    original = ingest_service._cable_row

    def poisoned(prepared, post_ids):
        row = original(prepared, post_ids)
        if row.reference_id == "08OTTAWA200":
            row.classification = None  # NOT NULL violation
        return row

    monkeypatch.setattr(ingest_service, "_cable_row", poisoned)
    out = ingest(three_cables, expect_failure=True)
    assert "new 2, updated 0, unchanged 0, failed 1" in out
    assert "08OTTAWA200.txt: database rejected the cable" in out
    assert set(Cable.objects.values_list("reference_id", flat=True)) == {
        "08OTTAWA100",
        "08MEXICO300",
    }
    assert not Paragraph.objects.filter(cable__reference_id="08OTTAWA200").exists()


def test_load_cable_ids_gzipped_and_plain(tmp_path):
    import gzip

    plain = tmp_path / "ids.csv"
    plain.write_text("03OTTAWA492,2\n02OTTAWA3101,11\n")
    zipped = tmp_path / "ids.csv.gz"
    zipped.write_bytes(gzip.compress(b"03OTTAWA492,2\n66BUENOSAIRES2481,12\n"))
    out = StringIO()
    call_command("load_cable_ids", str(plain), stdout=out)
    call_command("load_cable_ids", str(zipped), stdout=out)
    assert "Loaded 2 cable ids" in out.getvalue()
    assert KnownCable.objects.count() == 3
    assert KnownCable.objects.get(reference_id="66BUENOSAIRES2481").year == 1966
    assert KnownCable.objects.get(reference_id="02OTTAWA3101").month == 11

    bad = tmp_path / "bad.csv"
    bad.write_text("03OTTAWA492,2\n03OTTAWA493,13\n")
    with pytest.raises(CommandError, match=r"bad\.csv:2"):
        call_command("load_cable_ids", str(bad), stdout=out)


def test_posts_carry_display_names(three_cables):
    ingest(three_cables)
    assert Post.objects.get(code="OTTAWA").name == "Embassy Ottawa"
    assert Post.objects.get(code="MEXICO").name == "Embassy Mexico"
