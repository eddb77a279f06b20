"""Index upkeep: ingest hook, pending repair, atomic rebuild, consistency check."""

from __future__ import annotations

import contextlib
import os
from dataclasses import replace
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from cables.models import Cable
from search.filters import SearchParams
from search.index import current_generation_dir, generations, open_searcher, open_writer
from search.selectors import search_run
from search.services import index_check
from tests.cabletext import cable_text
from tests.conftest import corpus_path

pytestmark = pytest.mark.django_db


def total(q: str = "") -> int:
    return search_run(params=SearchParams(q=q), with_rows=False).total


def test_rebuild_swaps_atomically_while_a_searcher_is_open(archive):
    old = current_generation_dir()
    before = total("missile")
    with open_searcher() as searcher:
        call_command("rebuild_index", stdout=StringIO())
        new = current_generation_dir()
        assert new != old
        assert os.path.islink(new.parent / "current")
        # the searcher opened before the swap still reads the old generation
        assert len(list(searcher.documents())) == 8
        assert searcher.doc_count() == 8
    assert total("missile") == before == 5
    call_command("rebuild_index", stdout=StringIO())
    call_command("rebuild_index", stdout=StringIO())
    assert len(generations()) == 2  # the live one and the one before
    assert not Cable.objects.index_pending().exists()


def test_check_index_finds_a_missing_document_and_update_index_repairs_it(archive):
    call_command("check_index", stdout=StringIO())
    with open_writer() as writer:
        writer.delete("10PARIS500")
    out = StringIO()
    with pytest.raises(CommandError, match="disagree"):
        call_command("check_index", stdout=out)
    assert "1 missing from the index: 10PARIS500" in out.getvalue()
    call_command("update_index", "--repair", stdout=StringIO())
    assert index_check().ok
    assert total("france") == 1


def test_check_index_finds_stale_and_outdated_documents(archive):
    Cable.objects.filter(reference_id="87ROME800").delete()
    Cable.objects.filter(reference_id="10PARIS600").update(content_hash="changed")
    check = index_check()
    assert check.stale == ["87ROME800"]
    assert check.outdated == ["10PARIS600"]
    assert not check.ok


def test_ingest_hook_indexes_each_batch(tmp_path, index_dir):
    (tmp_path / "08OTTAWA100.txt").write_text(cable_text(serial=100, month=1, day=5))
    (tmp_path / "08MEXICO300.txt").write_text(
        cable_text(station="MEXICO", serial=300, month=3, tags="SNAR PGOV MX", refs="OTTAWA 100")
    )
    call_command("ingest", str(tmp_path), stdout=StringIO(), stderr=StringIO())
    assert not Cable.objects.index_pending().exists()
    assert total() == 2
    assert total("tag:snar") == 1
    assert total("ref:08OTTAWA100") == 1
    assert index_check().ok


def test_crash_between_commit_and_index_is_repaired(tmp_path, index_dir):
    (tmp_path / "08OTTAWA100.txt").write_text(cable_text(serial=100, month=1, day=5))
    # --no-index stands for a crash after the database commit
    call_command("ingest", str(tmp_path), "--no-index", stdout=StringIO(), stderr=StringIO())
    assert Cable.objects.index_pending().count() == 1
    call_command("update_index", stdout=StringIO())
    assert not Cable.objects.index_pending().exists()
    assert total("canada") == 1

    # and the next ingest repairs earlier pending cables too
    (tmp_path / "08OTTAWA200.txt").write_text(cable_text(serial=200, month=2, day=7))
    call_command("ingest", str(tmp_path), "--no-index", stdout=StringIO(), stderr=StringIO())
    (tmp_path / "08OTTAWA300.txt").write_text(cable_text(serial=300, month=2, day=9))
    call_command("ingest", str(tmp_path), stdout=StringIO(), stderr=StringIO())
    assert not Cable.objects.index_pending().exists()
    assert total() == 3


@pytest.mark.corpus
@pytest.mark.slow
def test_facet_counts_equal_database_counts_on_real_cables(tmp_path, index_dir):
    from tests.search.test_search import assert_facets_match_database

    source = corpus_path("cablegate", "txt")
    names = sorted(os.listdir(source))[::15][:400]
    for name in names:
        os.symlink(source / name, tmp_path / name)
    with contextlib.suppress(CommandError):  # parser rejects are reported by ingest
        call_command("ingest", str(tmp_path), stdout=StringIO(), stderr=StringIO())
    assert Cable.objects.count() > 300
    assert index_check().ok
    top_tag = search_run(params=SearchParams()).facets[0]["results"][0]["value"]
    top_post = search_run(params=SearchParams()).facets[1]["results"][0]["value"]
    for params in [
        SearchParams(),
        SearchParams(tags=(top_tag,)),
        SearchParams(post=top_post),
        SearchParams(classification="SECRET"),
        SearchParams(caveat="NOFORN"),
        SearchParams(year=2009),
        SearchParams(tags=(top_tag,), classification="CONFIDENTIAL", year=2008),
        SearchParams(xtags=(top_tag,), post=top_post),
    ]:
        assert_facets_match_database(params)
        assert_facets_match_database(replace(params, month=6) if params.year else params)


def test_documents_of_consecutive_and_scattered_cables_are_the_same(archive):
    """A chunk of consecutive primary keys is read by range, any other by list: both
    give every cable asked for, with its tags, markings and references, and no other."""
    from search.documents import cable_documents

    pks = list(Cable.objects.order_by("pk").values_list("pk", flat=True))
    assert len(pks) >= 3

    def docs(subset):
        found = cable_documents(Cable.objects.filter(pk__in=subset))
        return {pk: doc for doc, pk, _hash in found}

    whole = docs(pks)
    assert set(whole) == set(pks)
    every_other = pks[::2]
    assert docs(every_other) == {pk: whole[pk] for pk in every_other}
    middle = pks[1:-1]
    assert docs(middle) == {pk: whole[pk] for pk in middle}
    assert any(doc["tag"] for doc in whole.values())
    assert any(doc["ref"] for doc in whole.values())
