from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cables.reference_report import KnownIndex, ReferenceReport, reference_report_build
from cables.selectors import known_id_pairs, loaded_ids, reference_rows


class Command(BaseCommand):
    help = (
        "How REF items resolve: how many name a cable, how many of those are loaded or in "
        "the Cablegate list (load_cable_ids), and why the rest are not."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="Print the report as JSON")
        parser.add_argument(
            "--examples", type=int, default=5, help="Examples kept per cause (default 5)"
        )

    def handle(self, *args, **options) -> None:
        known = KnownIndex(known_id_pairs())
        report = reference_report_build(
            rows=reference_rows(), known=known, loaded=loaded_ids(), examples=options["examples"]
        )
        if not report.items:
            raise CommandError("No REF items: ingest some cables first.")
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
            return
        self._print(report)

    def _print(self, report: ReferenceReport) -> None:
        out = self.stdout.write
        pct = ReferenceReport.share
        out(f"REF items                      {report.items:>9,}")
        out(
            f"  naming a cable (with an id)  {report.with_id:>9,}  "
            f"{pct(report.with_id, report.items):6.1%} of REF items"
        )
        out(
            f"  resolving to a known id      {report.resolved:>9,}  "
            f"{pct(report.resolved, report.with_id):6.1%} of those naming a cable"
        )
        out(f"    loaded in the archive      {report.loaded:>9,}")
        out(f"    in Cablegate, not loaded   {report.known:>9,}")
        if not report.known_list_size:
            out(self.style.WARNING("  (no Cablegate id list loaded: run load_cable_ids first)"))
        unresolved = report.with_id - report.resolved
        out("")
        out(f"Naming a cable but unresolved  {unresolved:>9,}")
        for bucket in sorted(report.unresolved.values(), key=lambda b: -b.count):
            if not bucket.count:
                continue
            out(f"  {bucket.count:>7,}  {pct(bucket.count, unresolved):6.1%}  {bucket.label}")
            for ex in bucket.examples:
                detail = f"  [{ex['detail']}]" if ex["detail"] else ""
                out(
                    f"             {ex['id']:<22} from {ex['source']} REF {ex['letter'] or '-'}: "
                    f"{ex['text'][:60]}{detail}"
                )
        if report.top_missing:
            out(
                "  most cited unresolved ids: "
                + ", ".join(f"{r} ({n})" for r, n in report.top_missing)
            )
        out("")
        out(
            "Resolution by year of the cited cable "
            "(the Cablegate list is dense only for recent years)"
        )
        for year, (named, resolved) in sorted(report.by_year.items()):
            if named >= 20:
                out(f"  {year or '?':>4}  {named:>7,} named  {pct(resolved, named):6.1%} resolve")
        no_id = report.items - report.with_id
        out("")
        out(f"Naming no cable                {no_id:>9,}")
        for bucket in sorted(report.no_id.values(), key=lambda b: -b.count):
            if not bucket.count:
                continue
            out(f"  {bucket.count:>7,}  {pct(bucket.count, no_id):6.1%}  {bucket.label}")
            for ex in bucket.examples:
                out(f"             {ex['source']} REF {ex['letter'] or '-'}: {ex['text'][:80]}")
