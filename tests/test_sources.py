"""The readers: every input form, and bad input reported with its location."""

from __future__ import annotations

from pathlib import Path

from cables.sources import SourceError, SourceItem, iter_sources
from cables.sources.htmlpages import page_metadata, page_to_text
from tests.cabletext import cable_text
from tests.conftest import corpus_path


def _write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path


def test_txt_directory_uses_metadata_beside_it(tmp_path):
    _write(tmp_path / "08OTTAWA492.txt", cable_text())
    _write(
        tmp_path / "metadata.csv",
        "reference_id,created,released,classification,origin,partial\n"
        "08OTTAWA492,2008-02-19 15:23,2011-04-28 19:08,CONFIDENTIAL,Embassy Ottawa,false\n",
    )
    (item,) = list(iter_sources([tmp_path]))
    assert isinstance(item, SourceItem)
    assert item.metadata.reference_id == "08OTTAWA492"
    assert item.metadata.released.isoformat() == "2011-04-28T19:08:00+00:00"
    assert item.metadata.partial is False
    (bare,) = list(iter_sources([tmp_path], use_metadata=False))
    assert bare.metadata is None


def test_bad_files_are_reported_with_their_reason(tmp_path):
    _write(tmp_path / "empty.txt", "")
    _write(tmp_path / "blank.txt", "  \n\n ")
    _write(tmp_path / "binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    _write(tmp_path / "huge.txt", "A" * (3 * 1024 * 1024))
    _write(tmp_path / "cp1252.txt", cable_text(subject="CAF\xc9 TALKS").encode("cp1252"))
    results = {Path(r.source).name: r for r in iter_sources([tmp_path])}
    assert "empty" in results["empty.txt"].reason
    assert "whitespace" in results["blank.txt"].reason
    assert "binary" in results["binary.txt"].reason
    assert "too large" in results["huge.txt"].reason
    cp = results["cp1252.txt"]
    assert isinstance(cp, SourceItem)
    assert "CAFÉ TALKS" in cp.text
    assert "cp1252" in cp.note


def test_missing_and_unknown_paths(tmp_path):
    other = _write(tmp_path / "notes.docx", "x")
    results = list(iter_sources([tmp_path / "nope", other]))
    assert [type(r) for r in results] == [SourceError, SourceError]
    assert "no such file" in results[0].reason
    assert "unknown file type .docx" in results[1].reason


DUMP_ROW = (
    '"7","2/19/2008 15:23","08OTTAWA492","Embassy Ottawa","CONFIDENTIAL","",'
    '"O 191523Z FEB 08\nFM AMEMBASSY OTTAWA\nTO SECSTATE WASHDC IMMEDIATE 7212",'
    '"C O N F I D E N T I A L OTTAWA 000492\n\nSUBJECT: THE \\"BIG\\" ONE\n\n'
    "1. (C) It\\'s here.\n\nWILKINS\"\n"
)


def test_dump_rows_stream_with_escapes_and_cut_rows(tmp_path):
    cut = '"8","2/20/2008 10:00","08OTTAWA500","Embassy Ottawa"\n'
    dump = _write(tmp_path / "cables.csv", DUMP_ROW + cut + DUMP_ROW.replace('"7"', '"9"', 1))
    results = list(iter_sources([dump]))
    assert isinstance(results[0], SourceItem)
    assert results[0].row == 7
    assert results[0].metadata.reference_id == "08OTTAWA492"
    assert results[0].metadata.created.isoformat() == "2008-02-19T15:23:00+00:00"
    assert 'THE "BIG" ONE' in results[0].text
    assert "It's here." in results[0].text
    assert results[0].text.startswith("O 191523Z FEB 08\n")
    assert isinstance(results[1], SourceError)
    assert results[1].row == 8
    assert "expected 8 columns, found 4" in results[1].reason
    assert isinstance(results[2], SourceItem)
    assert results[2].row == 9


def test_real_dump_sample():
    sample = corpus_path("cables-csv", "cables_sample.csv")
    items = list(iter_sources([sample]))
    assert [i.metadata.reference_id for i in items] == ["66BUENOSAIRES2481", "72TEHRAN1164"]
    assert items[0].metadata.origin == "Embassy Buenos Aires"
    assert 'OF \\"PREFERENTIAL' not in items[0].text
    assert 'OF "PREFERENTIAL JURISDICTION"' in items[0].text


def test_html_pages_give_the_same_text_as_the_txt_files():
    html_dir = corpus_path("cablegate", "html")
    txt_dir = corpus_path("cablegate", "txt")
    pages = sorted(html_dir.glob("*.html"))[:300]
    same = 0
    for page in pages:
        text = page_to_text(page.read_text(encoding="utf-8"))
        same += text == (txt_dir / f"{page.stem}.txt").read_text(encoding="utf-8")
    assert same >= 0.98 * len(pages)


def test_html_metadata_table():
    page = corpus_path("cablegate", "html", "08TRIPOLI227.html").read_text(encoding="utf-8")
    meta = page_metadata(page)
    assert meta.reference_id == "08TRIPOLI227"
    assert meta.created.isoformat() == "2008-03-17T10:10:00+00:00"
    assert meta.origin == "Embassy Tripoli"
    assert meta.classification == "CONFIDENTIAL"
    assert meta.partial is False
