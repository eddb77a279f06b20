"""Build the peer's index from the ingested database, timed.

The documents are our index's documents: one per cable, read with one SQL statement
(a server-side cursor) from the application's tables, the columns and joins
``search`` reads through the ORM: subject, header + body as ``text``, the post's code,
classification, caveats, created, signer, classifier, the tags in order, the distinct
paragraph markings and the cited cable ids. Timed apart: reading (the database and the
cursor), making tantivy documents, and the writer (``add_document`` to the end of
``commit`` and its merges). ``num_threads`` indexing threads share ``heap_mb`` each.
"""

from __future__ import annotations

import shutil
import time
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import tantivy

from .schema import index_open

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

SELECT = """
SELECT c.reference_id, c.subject, c.header, c.body, p.code, c.classification, c.caveats,
       c.created, c.signer, c.classified_by_name,
       ARRAY(SELECT t.code FROM cables_cabletag ct JOIN cables_tag t ON t.id = ct.tag_id
             WHERE ct.cable_id = c.id ORDER BY ct.position),
       ARRAY(SELECT DISTINCT pa.classification FROM cables_paragraph pa
             WHERE pa.cable_id = c.id AND pa.classification <> ''),
       ARRAY(SELECT DISTINCT r.target_reference_id FROM cables_reference r
             WHERE r.source_id = c.id AND r.target_reference_id <> '')
FROM cables_cable c LEFT JOIN cables_post p ON p.id = c.origin_id
ORDER BY c.id
"""


def document(row: tuple) -> tantivy.Document:
    """One cable's document (``row`` as ``SELECT`` gives it)."""
    (rid, subject, header, body, post, classification, caveats, created, signer, by) = row[:10]
    tags, markings, refs = row[10:]
    doc = tantivy.Document()
    doc.add_text("reference_id", rid)
    doc.add_text("subject", subject or "")
    doc.add_text("text", f"{header}\n\n{body}" if header else (body or ""))
    for code in tags:
        doc.add_text("tag", " ".join(code.split()))
    if post:
        doc.add_text("post", post)
    doc.add_text("classification", classification or "")
    for caveat in (caveats or "").split():
        doc.add_text("caveat", caveat)
    by = (by or "").strip()
    if by:
        doc.add_text("by", by)
        doc.add_text("classified_by", by)
    for marking in markings:
        doc.add_text("pclass", marking)
    if signer and signer.strip():
        doc.add_text("signer", signer.strip())
    if refs:
        doc.add_text("ref", " ".join(sorted(refs)))
    if created is not None:
        utc = created.astimezone(UTC) if created.tzinfo else created.replace(tzinfo=UTC)
        doc.add_date("created", utc)
        doc.add_integer("day", (utc - EPOCH).days)
        doc.add_integer("year", utc.year)
        doc.add_integer("month", utc.year * 12 + utc.month - 1)
    return doc


def build(url: str, index_dir: Path, *, threads: int = 2, heap_mb: int = 256) -> dict:
    shutil.rmtree(index_dir, ignore_errors=True)
    index_dir.mkdir(parents=True)
    started = time.perf_counter()
    index = index_open(str(index_dir), create=True)
    writer = index.writer(heap_size=heap_mb * threads * 1_000_000, num_threads=threads)
    read_s = make_s = add_s = 0.0
    count = 0
    with psycopg.connect(url) as conn, conn.cursor(name="tantivy_peer") as cursor:
        cursor.itersize = 2000
        t = time.perf_counter()
        cursor.execute(SELECT)
        rows = iter(cursor)
        while True:
            row = next(rows, None)
            t1 = time.perf_counter()
            read_s += t1 - t
            if row is None:
                break
            doc = document(row)
            t2 = time.perf_counter()
            make_s += t2 - t1
            writer.add_document(doc)
            t = time.perf_counter()
            add_s += t - t2
            count += 1
    t = time.perf_counter()
    writer.commit()
    writer.wait_merging_threads()
    commit_s = time.perf_counter() - t
    seconds = time.perf_counter() - started
    index.reload()
    searcher = index.searcher()
    return {
        "count": count,
        "num_docs": searcher.num_docs,
        "segments": searcher.num_segments,
        "seconds": seconds,
        "read_seconds": read_s,
        "document_seconds": make_s,
        "writer_seconds": add_s + commit_s,
        "commit_seconds": commit_s,
        "cables_per_s": count / seconds if seconds else 0.0,
        "threads": threads,
        "heap_mb_per_thread": heap_mb,
        "index_bytes": sum(p.stat().st_size for p in index_dir.rglob("*") if p.is_file()),
    }
