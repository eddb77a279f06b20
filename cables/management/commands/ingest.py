from __future__ import annotations

import contextlib
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import reset_queries

from cables.management.options import parse_budget_add, parse_budget_from
from cables.management.progress import Progress
from cables.selectors import known_ids_get
from cables.services import IngestReport, cables_ingest
from cables.services.ingest import database_analyze
from cables.sources import iter_sources, printable
from search.services import indexing_during_ingest


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
        parse_budget_add(parser)
        parser.add_argument(
            "--allow-shrink",
            action="store_true",
            help=(
                "Let a cable's new text replace its stored text even when it is only the "
                "start of it (without it, that is reported as failed: 'truncated?')"
            ),
        )
        parser.add_argument(
            "--no-index",
            action="store_true",
            help=(
                "Write the database only; the search index is brought up to date later "
                "(manage.py update_index). Without it, a background process indexes the "
                "cables as they are committed."
            ),
        )

    def handle(self, *args, **options) -> None:
        paths: list[str] = options["paths"]
        budget = parse_budget_from(options)
        progress = Progress(total=count_inputs(paths), label="cables")

        def on_progress(report: IngestReport) -> None:
            # With DEBUG on, Django keeps the SQL of the last 9,000 queries: for a bulk
            # load, megabytes of INSERT text each; keep one batch's worth at most.
            reset_queries()
            progress.update(
                report.processed,
                extra=f"new {report.counts['new']:,} failed {report.counts['failed']:,}",
            )

        reset_queries()
        indexing = contextlib.nullcontext() if options["no_index"] else indexing_during_ingest()
        with indexing as after_batch:
            report = cables_ingest(
                items=iter_sources(paths),
                known_ids=known_ids_get(),
                batch_size=options["batch_size"],
                on_progress=on_progress,
                after_batch=after_batch,
                parse_budget=budget,
                allow_shrink=options["allow_shrink"],
            )
            progress.update(report.processed, force=True)
            progress.close()
            if report.counts["new"] + report.counts["updated"]:
                database_analyze()
            self._summary(report)
        if after_batch is not None and after_batch.follower is not None:
            self.stdout.write(f"Indexed {after_batch.report.indexed:,} cables for search.")
        if report.counts["failed"]:
            raise CommandError(
                f"{report.counts['failed']} input(s) failed; everything else was ingested."
            )

    def _summary(self, report: IngestReport) -> None:
        """The counts, then a line per note and per failure. A file name may hold a
        newline or a terminal escape: every path (and reason) is printed escaped, as
        ``ls -b`` would, so that one line is one note or failure."""
        c = report.counts
        self.stdout.write(
            f"Ingested {report.processed:,}: new {c['new']:,}, updated {c['updated']:,}, "
            f"unchanged {c['unchanged']:,}, failed {c['failed']:,}"
        )
        for note in report.notes:
            self.stdout.write(f"  note  {_line(note.location, note.reason)}")
        for failure in report.failures:
            self.stderr.write(f"  FAILED {_line(failure.location, failure.reason)}")


def _line(location: str, reason: str) -> str:
    return f"{printable(location)}: {printable(reason, backslash=False)}"
