"""The raw-Whoosh baseline: the same texts, the same schema, no application code.

    python -m harness.rawwhoosh CABLES_CSV INDEX_DIR [--procs 1] [--limitmb 256]

Reads the dump with the csv module, pulls each field out with a regex or a split (no
parser, no ORM, no database; the id's shape is ``cables.parsing.ids.ID_RE``), and feeds
a plain ``writer.add_document`` loop over the schema of ``search.index.schema_build()``.
Fields of the schema this module does not know how to fill are left out (and listed in
the JSON it prints). Prints one JSON object: seconds (end to end: read, extract, add,
commit), extraction seconds, count.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent.parent), str(HERE.parent)]

from cables.parsing.ids import ID_RE  # noqa: E402
from harness.corpus import dump_rows, dump_text  # noqa: E402

TAGS_RE = re.compile(r"^TAGS:?\s*(.*)$", re.MULTILINE)
SUBJECT_RE = re.compile(r"^SUBJ(?:ECT)?:?\s*(.*)$", re.MULTILINE)
MARKING_RE = re.compile(r"^\s*¶?\d+\.\s*\(([A-Z/]{1,8})\)", re.MULTILINE)
CAVEATS = ("NOFORN", "ORCON", "NOCONTRACT", "PROPIN", "REL")
CLASSIFIED_BY_RE = re.compile(r"^Classified By:\s*(.*?)(?:,|\s+for\s+reasons|$)", re.M | re.I)
SIGNER_RE = re.compile(r"\n([A-Z][A-Za-z'-]+)\s*$")


def extract(row: list[str]) -> dict:
    """Every field the schema may hold, read cheaply from one dump row."""
    _, created, rid, _origin, classification, refs, _header, body = row
    text = dump_text(row)
    tags = TAGS_RE.search(body)
    subject = SUBJECT_RE.search(body)
    station = ID_RE.match(rid)
    upper = classification.upper()
    level = upper.split("//", 1)[0].strip()
    caveats = [c for c in CAVEATS if c in upper]
    tag_codes = tags.group(1).replace(",", " ").split() if tags else []
    classified_by = CLASSIFIED_BY_RE.search(body)
    by = classified_by.group(1).strip() if classified_by else ""
    signer_match = SIGNER_RE.search(body[-200:])
    signer = signer_match.group(1) if signer_match else ""
    doc = {
        "reference_id": rid,
        "subject": subject.group(1).strip() if subject else "",
        "text": text,
        "tag": "\n".join(tag_codes),  # one term per tag (search.index.TAG_SEPARATOR)
        "post": station.group(2) if station else "",
        "classification": level.lower().replace(" ", "_"),
        "caveat": " ".join(caveats),
        "paragraph_classification": " ".join(sorted(set(MARKING_RE.findall(body)))),
        "ref": " ".join(refs.replace(",", " ").split()),
        "signer": signer,
        "classified_by": by,
        "person": " 0gap0 ".join(n for n in (signer, by) if n),  # search.index.NAME_GAP
        "content_hash": "",
    }
    try:
        when = datetime.strptime(created.strip(), "%m/%d/%Y %H:%M")
    except ValueError:
        when = None
    if when is not None:
        doc["created"] = when
    markings = tuple(sorted(set(MARKING_RE.findall(body))))
    doc["facets"] = (doc["post"], level, tuple(caveats), tuple(tag_codes), None, by, markings)
    return doc


def build(dump: Path, index_dir: Path, *, procs: int = 1, limitmb: int = 256) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from whoosh.filedb.filestore import FileStorage

    from search.engine.schema import schema_build

    schema = schema_build()
    names = set(schema.names())
    index_dir.mkdir(parents=True, exist_ok=True)
    ix = FileStorage(str(index_dir)).create_index(schema)
    fed: set[str] = set()
    count, extract_s = 0, 0.0
    started = time.perf_counter()
    kwargs = {"limitmb": limitmb}
    if procs > 1:
        kwargs.update(procs=procs, multisegment=False)
    writer = ix.writer(**kwargs)
    for row in dump_rows(dump):
        t = time.perf_counter()
        doc = {k: v for k, v in extract(row).items() if k in names}
        extract_s += time.perf_counter() - t
        fed.update(doc)
        writer.add_document(**doc)
        count += 1
    writer.commit()
    seconds = time.perf_counter() - started
    ix.close()
    size = sum(p.stat().st_size for p in index_dir.rglob("*") if p.is_file())
    return {
        "count": count,
        "seconds": seconds,
        "extract_seconds": extract_s,
        "cables_per_s": count / seconds if seconds else 0.0,
        "procs": procs,
        "limitmb": limitmb,
        "fields_fed": sorted(fed),
        "fields_not_fed": sorted(names - fed),
        "index_bytes": size,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("dump", type=Path)
    parser.add_argument("index_dir", type=Path)
    parser.add_argument("--procs", type=int, default=1)
    parser.add_argument("--limitmb", type=int, default=256)
    args = parser.parse_args(argv)
    print(json.dumps(build(args.dump, args.index_dir, procs=args.procs, limitmb=args.limitmb)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
