"""What the parser reads from the human header fields, over the shared corpus.

    python bench/parser_fields.py [--corpus DIR] [--unknown-limit N] [--json]

For every cable of ``cablegate/txt``: the share of tag occurrences that are known codes
(in the TAGS glossary), person tags (``GATES, ROBERT M.``), free-text tags
(``HUMAN RIGHTS``) and unknown, with every unknown tag listed (count and an example
cable: each one is a real free-text tag or a defect to fix); cables with a subject;
REF items and how many name a cable (and how many of those ids are in the Cablegate
list); Classified By lines with a name; signers and summaries found.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cables.glossary import lookup  # noqa: E402
from cables.parsing import CableParseError, KnownIds, parse_cable, tag_vocab  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"


def tag_kind(tag: str) -> str:
    """``known`` (in the glossary), ``person`` (``SURNAME, GIVEN``), ``free-text`` (several
    words, or a known one-word subject) or ``unknown`` (a real tag to add to the
    glossary, or a defect of the reader)."""
    if lookup(tag) is not None:
        return "known"
    if tag_vocab.is_person(tag):
        return "person"
    if tag_vocab.is_free_text(tag):
        return "free-text"
    return "unknown"


def report(corpus: Path) -> dict:
    paths = sorted((corpus / "cablegate" / "txt").glob("*.txt"))
    ids_file = corpus / "cablegate-ids" / "cable2month.csv.gz"
    known = KnownIds.from_file(ids_file) if ids_file.exists() else None
    kinds: Counter = Counter()
    by_kind: dict[str, Counter] = {k: Counter() for k in ("person", "free-text", "unknown")}
    example: dict[str, str] = {}
    counts: Counter = Counter()
    for path in paths:
        try:
            cable = parse_cable(path.read_text(encoding="utf-8"), known_ids=known)
        except CableParseError:
            counts["unparsable"] += 1
            continue
        counts["cables"] += 1
        counts["with tags"] += bool(cable.tags)
        for tag in cable.tags:
            kind = tag_kind(tag)
            kinds[kind] += 1
            if kind in by_kind:
                by_kind[kind][tag] += 1
                example.setdefault(tag, path.stem)
        counts["with subject"] += bool(cable.subject)
        counts["with REF"] += bool(cable.references)
        for ref in cable.references:
            counts["REF items"] += 1
            if ref.reference_id:
                counts["REF items naming a cable"] += 1
                if known is not None and ref.reference_id in known:
                    counts["named cables in the Cablegate list"] += 1
        if cable.classified_by is not None:
            counts["Classified By lines"] += 1
            counts["Classified By with a name"] += bool(cable.classified_by.name)
        counts["signers found"] += bool(cable.signer)
        counts["summaries found"] += bool(cable.summary)
    total_tags = sum(kinds.values()) or 1
    return {
        "counts": dict(counts),
        "tag_occurrences": sum(kinds.values()),
        "tag_share": {
            k: kinds[k] / total_tags for k in ("known", "person", "free-text", "unknown")
        },
        "tags": {
            kind: [(tag, n, example[tag]) for tag, n in counter.most_common()]
            for kind, counter in by_kind.items()
        },
    }


def _share(part: int, whole: int) -> str:
    return f"{part:,} of {whole:,} ({100 * part / whole:.1f}%)" if whole else f"{part:,}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="shared corpus dir")
    parser.add_argument(
        "--unknown-limit", type=int, default=0, help="list at most N tags per kind (0: all)"
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    if not (args.corpus / "cablegate" / "txt").is_dir():
        print(f"no corpus at {args.corpus}", file=sys.stderr)
        return 2
    data = report(args.corpus)
    if args.json:
        print(json.dumps(data, indent=1))
        return 0
    c = data["counts"]
    print(f"cables parsed: {c.get('cables', 0):,} (unparsable {c.get('unparsable', 0):,})")
    print(f"tag occurrences: {data['tag_occurrences']:,}")
    for kind, share in data["tag_share"].items():
        print(f"  {kind:10} {100 * share:6.2f}%")
    print(f"cables with TAGS:    {_share(c.get('with tags', 0), c.get('cables', 0))}")
    print(f"cables with SUBJECT: {_share(c.get('with subject', 0), c.get('cables', 0))}")
    print(f"cables with REF:     {_share(c.get('with REF', 0), c.get('cables', 0))}")
    print(
        "REF items naming a cable: "
        + _share(c.get("REF items naming a cable", 0), c.get("REF items", 0))
    )
    print(
        "  of those, in the Cablegate id list: "
        + _share(
            c.get("named cables in the Cablegate list", 0), c.get("REF items naming a cable", 0)
        )
    )
    print(
        "Classified By with a name: "
        + _share(c.get("Classified By with a name", 0), c.get("Classified By lines", 0))
    )
    print(f"signers found:   {_share(c.get('signers found', 0), c.get('cables', 0))}")
    print(f"summaries found: {_share(c.get('summaries found', 0), c.get('cables', 0))}")
    for kind in ("unknown", "free-text", "person"):
        rows = data["tags"][kind]
        shown = rows[: args.unknown_limit] if args.unknown_limit else rows
        print(f"\n{kind} tags ({len(rows):,} distinct):")
        for tag, n, cable_id in shown:
            print(f"  {n:5}  {tag:40} e.g. {cable_id}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
