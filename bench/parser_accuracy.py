"""How well the parser agrees with the Cablegate site's metadata.

    python bench/parser_accuracy.py [--corpus DIR] [--quiet]

Parses every cable in ``DIR/cablegate/txt`` WITHOUT its metadata (the known-id list
``DIR/cablegate-ids/cable2month.csv.gz`` is loaded) and compares five fields with
``metadata.csv``:

- reference_id
- classification: ours as it is (``SECRET//NOFORN`` when the banner or its handling
  lines say NOFORN); the site's "UNCLASSIFIED//FOR OFFICIAL USE ONLY" is
  our "UNCLASSIFIED//FOUO"
- origin: the display name of our origin station (``station_name``), or the same
  station code once the site's origin is read with ``station_from_text``
- created: the date part, for cables WITH a routing header (date-time group). Partial
  extracts print no DTG in their header; when we find a date in their text anyway it
  is compared year-month only and reported separately (not part of the threshold)
- partial

Prints per-field agreement and every disagreement with its cable id and category.
``evaluate()`` returns the figures for tests.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cables.parsing import (  # noqa: E402
    CableParseError,
    KnownIds,
    parse_cable,
    split_id,
    station_from_text,
    station_name,
)

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
FIELDS = ("reference_id", "classification", "origin", "created", "partial")
EXTRA = ("classification (site convention)",)


@dataclass
class Disagreement:
    cable: str
    field: str
    category: str
    ours: str
    theirs: str


@dataclass
class Report:
    total: int = 0
    compared: Counter = field(default_factory=Counter)
    agreed: Counter = field(default_factory=Counter)
    disagreements: list[Disagreement] = field(default_factory=list)
    partial_created_compared: int = 0
    partial_created_agreed: int = 0

    def percent(self, name: str) -> float:
        compared = self.compared[name]
        return 100.0 * self.agreed[name] / compared if compared else 100.0

    @property
    def figures(self) -> dict[str, float]:
        return {name: self.percent(name) for name in FIELDS + EXTRA}


def our_classification(parsed) -> str | None:
    return parsed.classification


_NOFORN_THEN_SENSITIVE_RE = re.compile(r"^\s*NOFORN\b[^\n]*(?:\n[^\n]*){0,6}?\bSENSITIVE\b", re.M)


def site_classification(parsed) -> str | None:
    """The Cablegate site's own convention, learnt from metadata.csv: like
    ``our_classification`` but a cable whose handling lines put NOFORN before
    SENSITIVE ("NOFORN / SENSITIVE / SIPDIS", 2009-2010) is listed without NOFORN
    (9 of the 10 such cables in the corpus)."""
    cls = our_classification(parsed)
    if cls and cls.endswith("//NOFORN"):
        head = parsed.body[:4000]
        subject = head.find("SUBJECT")
        if _NOFORN_THEN_SENSITIVE_RE.search(head[: subject if subject > 0 else 1500]):
            return cls[: -len("//NOFORN")]
    return cls


def their_classification(value: str) -> str:
    return value.replace("//FOR OFFICIAL USE ONLY", "//FOUO")


def _id_category(ours: str | None, theirs: str) -> str:
    if ours is None:
        return "id: none found"
    a, b = split_id(ours), split_id(theirs)
    if a is None or b is None:
        return "id: not id-shaped"
    if a[2] != b[2]:
        return "id: serial differs (text names another cable)"
    if a[1] != b[1]:
        return "id: station spelling differs"
    return "id: year differs"


def _cls_category(ours: str | None, theirs: str) -> str:
    if ours is None:
        return "classification: none found"
    o_base, _, o_extra = ours.partition("//")
    t_base, _, t_extra = theirs.partition("//")
    if o_base != t_base:
        return "classification: level differs from banner"
    if t_extra == "NOFORN":
        return "classification: NOFORN missing"
    if o_extra == "NOFORN":
        return "classification: NOFORN extra"
    if t_extra == "FOUO":
        return "classification: FOUO missing"
    return "classification: FOUO extra"


def evaluate(corpus: Path = DEFAULT_CORPUS) -> Report:
    cablegate = corpus / "cablegate"
    known = KnownIds.from_file(corpus / "cablegate-ids" / "cable2month.csv.gz")
    report = Report()
    with (cablegate / "metadata.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        rid = row["reference_id"]
        text = (cablegate / "txt" / f"{rid}.txt").read_text(encoding="utf-8")
        report.total += 1
        try:
            parsed = parse_cable(text, known_ids=known)
        except CableParseError as error:
            for name in FIELDS + EXTRA:
                report.compared[name] += 1
                report.disagreements.append(Disagreement(rid, name, "parse error", str(error), ""))
            continue
        _compare(report, rid, row, parsed)
    return report


def _compare(report: Report, rid: str, row: dict, parsed) -> None:
    def check(name: str, ok: bool, category: str, ours: object, theirs: object) -> None:
        report.compared[name] += 1
        if ok:
            report.agreed[name] += 1
        else:
            report.disagreements.append(Disagreement(rid, name, category, str(ours), str(theirs)))

    check(
        "reference_id",
        parsed.reference_id == rid,
        _id_category(parsed.reference_id, rid),
        parsed.reference_id,
        rid,
    )

    ours_cls, theirs_cls = our_classification(parsed), their_classification(row["classification"])
    check(
        "classification",
        ours_cls == theirs_cls,
        _cls_category(ours_cls, theirs_cls),
        ours_cls,
        theirs_cls,
    )

    site_cls = site_classification(parsed)
    check(
        EXTRA[0],
        site_cls == theirs_cls,
        "site convention: " + _cls_category(site_cls, theirs_cls),
        site_cls,
        theirs_cls,
    )

    origin_ok = station_name(parsed.origin) == row["origin"] or (
        parsed.origin is not None and station_from_text(row["origin"]) == parsed.origin
    )
    check(
        "origin",
        origin_ok,
        "origin: " + ("none found" if parsed.origin is None else "other station"),
        f"{parsed.origin} ({station_name(parsed.origin)})",
        row["origin"],
    )

    theirs_created = row["created"][:10]
    if parsed.header:
        ours_created = parsed.created.date().isoformat() if parsed.created else None
        category = "created: no DTG found"
        if ours_created:
            delta = abs((parsed.created.date() - _date(theirs_created)).days)
            category = "created: one day apart" if delta == 1 else "created: other date"
        check("created", ours_created == theirs_created, category, ours_created, theirs_created)
    elif parsed.created is not None:
        report.partial_created_compared += 1
        if parsed.created.date().isoformat()[:7] == theirs_created[:7]:
            report.partial_created_agreed += 1
        else:
            report.disagreements.append(
                Disagreement(
                    rid,
                    "created(partial, y-m)",
                    "created: partial extract month differs",
                    parsed.created.date().isoformat(),
                    theirs_created,
                )
            )

    theirs_partial = row["partial"] == "true"
    check(
        "partial",
        parsed.partial == theirs_partial,
        "partial: differs",
        parsed.partial,
        theirs_partial,
    )


def _date(iso: str):
    from datetime import date

    return date.fromisoformat(iso)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--corpus",
        type=Path,
        default=DEFAULT_CORPUS,
        help="the shared corpus directory (holds cablegate/ and cablegate-ids/)",
    )
    parser.add_argument("--quiet", action="store_true", help="figures only, no disagreements")
    args = parser.parse_args(argv)
    report = evaluate(args.corpus)
    print(f"{report.total} cables parsed without metadata (known-id list loaded)\n")
    for name in FIELDS + EXTRA:
        print(
            f"  {name:15} {report.percent(name):7.2f}%  "
            f"({report.agreed[name]}/{report.compared[name]})"
        )
    if report.partial_created_compared:
        pct = 100.0 * report.partial_created_agreed / report.partial_created_compared
        print(
            f"  created of partial extracts with a printed date, year-month: {pct:.2f}% "
            f"({report.partial_created_agreed}/{report.partial_created_compared})"
        )
    by_category: dict[str, list[Disagreement]] = defaultdict(list)
    for item in report.disagreements:
        by_category[item.category].append(item)
    if by_category:
        print("\nDisagreements by category:")
        for category, items in sorted(by_category.items(), key=lambda kv: -len(kv[1])):
            print(f"\n  {category} ({len(items)})")
            if not args.quiet:
                for item in items:
                    print(f"    {item.cable}: ours={item.ours!r} metadata={item.theirs!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
