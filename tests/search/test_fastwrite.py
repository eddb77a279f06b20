"""The fast segment writer writes what Whoosh's own writer writes: same terms, postings,
positions, weights, stored fields and field lengths, and (with value sharing off) the
same bytes; analysis agrees with the StemmingAnalyzer token for token."""

from __future__ import annotations

import os

import pytest
from whoosh.filedb.filestore import FileStorage

from search.engine import analysis
from search.engine.analysis import analyzer_is_standard, text_terms
from search.engine.postings import FastSegmentWriter
from search.engine.schema import ANALYZER, SCHEMA, names_join
from tests.cabletext import cable_text
from tests.conftest import corpus_path

TRICKY = [
    "",
    "a",
    "The the THE of",
    "U.S. officials met in Washington D.C. on 12.5.2009; e-mail: x_y@state.gov",
    "İstanbul ÇANKAYA Müller straße naïve café 北京 Ελλάδα",
    "running runs ran runner's 1,000,000 3.14159 v2.0.1",
    "of the embassy... the EMBASSY, Embassy's embassies",
    "¶1. (C) Summary: text\twith\ttabs\nand\r\nlines",
]


def _documents(texts: list[str]) -> list[dict]:
    return [
        {
            "reference_id": f"09LONDON{i}",
            "subject": text[:60],
            "text": text,
            "tag": "PREL\nMARR\nGATES, ROBERT M.\nHUMAN RIGHTS",
            "post": "LONDON",
            "classification": "secret",
            "caveat": "NOFORN",
            "paragraph_classification": "c s",
            "ref": "08PARIS1 08PARIS2",
            "signer": "O'BRIEN" if i % 2 else "TUTTLE",
            "classified_by": f"Richard {text[:12]}",
            "person": names_join(["TUTTLE", "Richard Mills", "GATES, ROBERT M."]),
            "content_hash": str(i),
            "facets": (
                "LONDON",
                "SECRET",
                ("NOFORN",),
                ("PREL", "GATES, ROBERT M."),
                14000 + i,
                "Richard Mills",
                ("C", "S/NF"),
            ),
        }
        for i, text in enumerate(texts)
    ]


def _write(path, docs, *, fast: bool) -> None:
    ix = FileStorage(str(path)).create_index(SCHEMA)
    if fast:
        writer = FastSegmentWriter(ix, limitmb=64, compound=False)
    else:
        writer = ix.writer(limitmb=64, compound=False)
    for doc in docs:
        writer.add_document(**doc)
    writer.commit()


def _files(path) -> dict[str, bytes]:
    # segment files are named MAIN_<random id>.<ext>: compare by extension
    return {
        name.split(".", 1)[1]: (path / name).read_bytes()
        for name in os.listdir(path)
        if name.startswith("MAIN_") and "." in name
    }


def test_analyzer_is_recognised():
    assert analyzer_is_standard(ANALYZER)


@pytest.mark.parametrize("text", TRICKY)
def test_terms_and_positions_match_the_stemming_analyzer(text):
    expected: dict[bytes, list[int]] = {}
    for token in ANALYZER(text, positions=True):
        expected.setdefault(token.text.encode(), []).append(token.pos)
    assert text_terms(text) == expected


def _corpus_texts(count: int) -> list[str]:
    texts = [
        cable_text(station="LONDON", serial=serial, year=2009, month=1 + serial % 12, day=3)
        for serial in range(1, count + 1)
    ]
    return TRICKY + texts


def test_same_files_as_whoosh(tmp_path, monkeypatch):
    # a word seen once shares its encoded position (smaller pickles); off, the files
    # must be the same bytes
    monkeypatch.setattr(analysis, "_single", _NoCache())
    docs = _documents(_corpus_texts(300))
    (tmp_path / "fast").mkdir()
    (tmp_path / "whoosh").mkdir()
    _write(tmp_path / "fast", docs, fast=True)
    _write(tmp_path / "whoosh", docs, fast=False)
    fast, whoosh = _files(tmp_path / "fast"), _files(tmp_path / "whoosh")
    assert fast.keys() == whoosh.keys()
    for ext in fast:
        assert fast[ext] == whoosh[ext], ext


def test_same_postings_with_shared_values(tmp_path):
    docs = _documents(_corpus_texts(200))
    for name, fast in (("fast", True), ("whoosh", False)):
        (tmp_path / name).mkdir()
        _write(tmp_path / name, docs, fast=fast)
    a = FileStorage(str(tmp_path / "fast")).open_index(schema=SCHEMA)
    b = FileStorage(str(tmp_path / "whoosh")).open_index(schema=SCHEMA)
    with a.reader() as ra, b.reader() as rb:
        terms = list(ra.all_terms())
        assert terms == list(rb.all_terms())
        for fieldname, text in terms:
            pa, pb = ra.postings(fieldname, text), rb.postings(fieldname, text)
            items_a, items_b = [], []
            while pa.is_active():
                items_a.append((pa.id(), pa.weight(), pa.value()))
                pa.next()
            while pb.is_active():
                items_b.append((pb.id(), pb.weight(), pb.value()))
                pb.next()
            assert items_a == items_b, (fieldname, text)


def test_real_cables_same_bytes(tmp_path, monkeypatch):
    source = corpus_path("cablegate", "txt")
    texts = [(source / name).read_text() for name in sorted(os.listdir(source))[:150]]
    monkeypatch.setattr(analysis, "_single", _NoCache())
    docs = _documents(texts)
    for name, fast in (("fast", True), ("whoosh", False)):
        (tmp_path / name).mkdir()
        _write(tmp_path / name, docs, fast=fast)
    assert _files(tmp_path / "fast") == _files(tmp_path / "whoosh")


class _NoCache(dict):
    def get(self, key, default=None):
        return default

    def __setitem__(self, key, value):
        pass


def test_segment_writers_of_one_generation_keep_their_temporary_files(tmp_path):
    """Several processes write segments of one generation at once (rebuild_index
    --procs 2, the ingest follower): Whoosh gives every writer the same temporary
    directory and removes it when a writer finishes, which deleted the other writers'
    column files. Each writer now has its own; the first to finish leaves the others'
    alone, and no temporary directory is left behind."""
    ix = FileStorage(str(tmp_path)).create_index(SCHEMA)
    first = FastSegmentWriter(ix, _lk=False, limitmb=64, compound=False)
    second = FastSegmentWriter(ix, _lk=False, limitmb=64, compound=False)
    docs = _documents(TRICKY)
    for doc in docs[:4]:
        first.add_document(**doc)
    for doc in docs[4:]:
        second.add_document(**doc)
    segments = [second.finish_alone(), first.finish_alone()]
    assert [s.doc_count_all() for s in segments] == [len(docs) - 4, 4]
    assert not [name for name in os.listdir(tmp_path) if ".tmp" in name]
