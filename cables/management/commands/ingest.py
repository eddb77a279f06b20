from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cables.management.progress import Progress
from cables.selectors import known_ids_get
from cables.services import IngestReport, cables_ingest
from cables.sources import iter_sources


def count_inputs(paths: list[str]) -> int | None:
    """How many cables to expect, when cheap to know (files; not CSV dumps)."""
    total = 0
    for raw in paths:
        path = Path(raw)
        files = list(path.rglob("*")) if path.is_dir() else [path]
        for f in files:
            if f.suffix.lower() == ".csv" and f.name != "metadata.csv":
                return None
            if f.suffix.lower() in {".txt", ".html", ".htm"}:
                total += 1
    return total


class Command(BaseCommand):
    help = (
        "Ingest cables: .txt files or directories of them (with a metadata.csv beside "
        "them when present), the cablegate site's .html pages, or the cables.csv dump."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", help="Files or directories to ingest")
        parser.add_argument(
            "--batch-size", type=int, default=500, help="Cables per transaction (default 500)"
        )
        parser.add_argument(
            "--no-index",
            action="store_true",
            help="Write the database only; the search index is brought up to date later",
        )

    def handle(self, *args, **options) -> None:
        paths: list[str] = options["paths"]
        progress = Progress(total=count_inputs(paths), label="cables")

        def on_progress(report: IngestReport) -> None:
            progress.update(
                report.processed,
                extra=f"new {report.counts['new']:,} failed {report.counts['failed']:,}",
            )

        after_batch = None if options["no_index"] else _index_hook()
        report = cables_ingest(
            items=iter_sources(paths),
            known_ids=known_ids_get(),
            batch_size=options["batch_size"],
            on_progress=on_progress,
            after_batch=after_batch,
        )
        progress.update(report.processed, force=True)
        progress.close()
        self._summary(report)
        if report.counts["failed"]:
            raise CommandError(
                f"{report.counts['failed']} input(s) failed; everything else was ingested."
            )

    def _summary(self, report: IngestReport) -> None:
        c = report.counts
        self.stdout.write(
            f"Ingested {report.processed:,}: new {c['new']:,}, updated {c['updated']:,}, "
            f"unchanged {c['unchanged']:,}, failed {c['failed']:,}"
        )
        for note in report.notes:
            self.stdout.write(f"  note  {note.location}: {note.reason}")
        for failure in report.failures:
            self.stderr.write(f"  FAILED {failure.location}: {failure.reason}")


def _index_hook():
    """The search index's after-batch hook: index each committed batch (and anything
    left pending by an earlier crash)."""
    from search.services import index_after_batch_hook

    return index_after_batch_hook()
