"""Tags the parser reads from the shared corpus that are not known codes.

    python bench/tag_report.py [--corpus DIR] [--all]

Parses every ``cablegate/txt/*.txt`` and sorts each tag occurrence into: a known code
(the glossary ``cables/glossary/tags.csv``), a person tag (``SURNAME, GIVEN``), an
accepted free-text tag (several words or a known acronym-like word) or unknown.
Prints the shares and every unknown tag with its count and example cable ids.
"""

from __future__ import annotations

import argparse
import collections
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cables.parsing import parse_cable  # noqa: E402
from cables.parsing.tag_vocab import KNOWN_CODES, is_free_text, is_person  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"


def kind(tag: str) -> str:
    if tag in KNOWN_CODES:
        return "known"
    if is_person(tag):
        return "person"
    if is_free_text(tag):
        return "free-text"
    return "unknown"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--all", action="store_true", help="list person and free-text tags too")
    args = parser.parse_args(argv)
    counts: collections.Counter[str] = collections.Counter()
    by_tag: dict[str, list[str]] = collections.defaultdict(list)
    cables = no_tags = 0
    for path in sorted((args.corpus / "cablegate" / "txt").glob("*.txt")):
        cable = parse_cable(path.read_text(encoding="utf-8"))
        cables += 1
        if not cable.tags:
            no_tags += 1
            by_tag["<no tags>"].append(path.stem)
        for tag in cable.tags:
            k = kind(tag)
            counts[k] += 1
            if k != "known" and (k == "unknown" or args.all):
                by_tag[f"{k:9} {tag}"].append(path.stem)
    total = sum(counts.values())
    print(f"{cables} cables, {no_tags} without tags, {total} tag occurrences")
    for k in ("known", "person", "free-text", "unknown"):
        print(f"  {k:10} {counts[k]:6}  {100 * counts[k] / max(total, 1):6.2f}%")
    for tag, ids in sorted(by_tag.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        print(f"{len(ids):5}  {tag:40}  {' '.join(ids[:4])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
