"""The PostgreSQL bulk path (COPY) writes exactly what ``bulk_create`` writes, and a
row the database refuses still fails alone, with its file and row."""

from __future__ import annotations

import contextlib
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from cables.models import Cable, CableTag, Paragraph, Post, Recipient, Reference, Tag
from cables.services import bulk
from tests.cabletext import cable_text

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="COPY is used on PostgreSQL only"
)


def _ingest(*paths: Path) -> str:
    out, err = StringIO(), StringIO()
    with contextlib.suppress(CommandError):  # "N input(s) failed": checked by the caller
        call_command("ingest", *map(str, paths), "--no-index", stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


def _snapshot() -> dict[str, list]:
    """Every stored row, keyed by natural keys instead of ids and without timestamps."""
    cable_fields = [f.attname for f in Cable._meta.concrete_fields]
    cable_fields = [
        f for f in cable_fields if f not in {"id", "origin_id", "ingested_at", "updated_at"}
    ]
    return {
        "cables": sorted(
            (*values, origin)
            for *values, origin in Cable.objects.values_list(*cable_fields, "origin__code")
        ),
        "paragraphs": sorted(
            Paragraph.objects.values_list(
                "cable__reference_id", "position", "number", "classification", "text"
            )
        ),
        "recipients": sorted(
            Recipient.objects.values_list(
                "cable__reference_id", "position", "kind", "name", "precedence", "routing"
            )
        ),
        "tags": sorted(
            CableTag.objects.values_list("cable__reference_id", "tag__code", "position")
        ),
        "references": sorted(
            Reference.objects.values_list(
                "source__reference_id",
                "position",
                "letter",
                "text",
                "target_reference_id",
                "target_cable__reference_id",
            )
        ),
    }


def _clear() -> None:
    for model in (Reference, CableTag, Recipient, Paragraph, Cable, Tag, Post):
        model.objects.all().delete()


@pytest.fixture
def cables_dir(tmp_path: Path) -> Path:
    (tmp_path / "08OTTAWA100.txt").write_text(cable_text(serial=100, month=1, day=5))
    (tmp_path / "08OTTAWA200.txt").write_text(
        cable_text(
            serial=200,
            refs="A. OTTAWA 100 B. 07 STATE 4567",
            subject="TABS\tBACKSLASHES \\N AND CAF\xc9",
            paragraphs=("(C) A line\twith a tab, a \\ backslash and \\N.", "(U) Second."),
        )
    )
    (tmp_path / "08MEXICO300.txt").write_text(
        cable_text(station="MEXICO", serial=300, tags="SNAR PGOV MX", refs="OTTAWA 200")
    )
    return tmp_path


@postgres_only
def test_copy_writes_the_same_rows_as_bulk_create(cables_dir, monkeypatch):
    assert "new 3, updated 0, unchanged 0, failed 0" in _ingest(cables_dir)
    by_copy = _snapshot()
    _clear()
    monkeypatch.setattr(bulk, "copy_supported", lambda: False)
    assert "new 3, updated 0, unchanged 0, failed 0" in _ingest(cables_dir)
    assert _snapshot() == by_copy
    assert by_copy["paragraphs"] and by_copy["recipients"] and by_copy["references"]


@postgres_only
def test_copy_then_update_in_place(cables_dir):
    """A changed cable (bulk_update) after new ones (COPY): the usual second ingest."""
    _ingest(cables_dir)
    pk = Cable.objects.get(reference_id="08OTTAWA200").pk
    (cables_dir / "08OTTAWA200.txt").write_text(cable_text(serial=200, subject="NEW SUBJECT"))
    assert "new 0, updated 1, unchanged 2" in _ingest(cables_dir)
    cable = Cable.objects.get(reference_id="08OTTAWA200")
    assert (cable.pk, cable.subject) == (pk, "NEW SUBJECT")
    assert Reference.objects.get(source__reference_id="08MEXICO300").target_cable_id == pk


@pytest.mark.parametrize("use_copy", [True, False])
def test_rows_insert_values_round_trip(use_copy):
    if use_copy and not bulk.copy_supported():
        pytest.skip("COPY is used on PostgreSQL only")
    post = Post.objects.create(code="OTTAWA")
    cable = Cable.objects.create(reference_id="08OTTAWA1", origin=post, classification="SECRET")
    texts = ["tab\there", "new\nline", "back\\slash \\N", "\\.", "", "caf\xe9 \u2014 \U0001f600"]
    bulk.rows_insert(
        model=Paragraph,
        fields=("cable_id", "position", "number", "classification", "text", "heading"),
        rows=[(cable.pk, i, None if i % 2 else i, "", t, False) for i, t in enumerate(texts)],
        use_copy=use_copy,
    )
    stored = list(Paragraph.objects.order_by("position").values_list("number", "text"))
    assert stored == [(None if i % 2 else i, t) for i, t in enumerate(texts)]


@pytest.mark.parametrize("use_arrays", [True, False])
def test_rows_update_sets_only_the_named_rows(use_arrays):
    if use_arrays and not bulk.copy_supported():
        pytest.skip("arrays (unnest) are used on PostgreSQL only")
    post = Post.objects.create(code="OTTAWA")
    cables = [
        Cable.objects.create(
            reference_id=f"08OTTAWA{n}", origin=post, classification="SECRET", serial=n
        )
        for n in range(1, 8)
    ]
    texts = ["it's", 'say "no"', "back\\slash", "caf\xe9", "", "{a,b}"]
    bulk.rows_update(
        model=Cable,
        fields=("subject", "serial", "declassify_on"),
        rows=[(c.pk, t, None, None) for c, t in zip(cables, texts, strict=False)],
        batch_size=4,  # two statements
        use_arrays=use_arrays,
    )
    stored = list(Cable.objects.order_by("reference_id").values_list("subject", "serial"))
    assert stored == [(t, None) for t in texts] + [("", 7)]  # the last row untouched


DUMP_ROW = '"{n}","2/7/2008 15:23","{rid}","Embassy Ottawa","CONFIDENTIAL","","{header}","{body}"\n'


@postgres_only
def test_dump_row_the_database_refuses_fails_alone_with_its_row(tmp_path):
    """A reference id longer than its column: PostgreSQL refuses the row inside the
    batch's COPY, the batch is replayed one cable at a time and only that row fails,
    by file and row."""
    rows = []
    for n, serial in enumerate((100, 200, 300), start=1):
        text = cable_text(serial=serial)
        header, body = text.split("\n\n", 1)
        rid = f"08OTTAWA{serial}" + ("X" * 80 if serial == 200 else "")
        rows.append(
            DUMP_ROW.format(
                n=n,
                rid=rid,
                header=header.replace('"', '\\"'),
                body=body.replace('"', '\\"'),
            )
        )
    dump = tmp_path / "cables.csv"
    dump.write_text("".join(rows))
    out = _ingest(dump)
    assert "new 2, updated 0, unchanged 0, failed 1" in out
    assert f"FAILED {dump}:2: database rejected the cable" in out
    assert set(Cable.objects.values_list("reference_id", flat=True)) == {
        "08OTTAWA100",
        "08OTTAWA300",
    }
    assert Paragraph.objects.count() == 6
