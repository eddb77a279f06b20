from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from cables.management.progress import Progress
from cables.selectors import known_ids_get
from cables.services import IngestReport, cables_ingest
from cables.services.ingest import database_analyze
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
            help=(
                "Write the database only; the search index is brought up to date later "
                "(manage.py update_index). Without it, a background process indexes the "
                "cables as they are committed."
            ),
        )

    def handle(self, *args, **options) -> None:
        paths: list[str] = options["paths"]
        progress = Progress(total=count_inputs(paths), label="cables")

        def on_progress(report: IngestReport) -> None:
            progress.update(
                report.processed,
                extra=f"new {report.counts['new']:,} failed {report.counts['failed']:,}",
            )

        # With DEBUG on, Django keeps the SQL of the last 9,000 queries: for a bulk
        # load, megabytes of INSERT text each (830 MB RSS after 20,000 cables).
        connection.queries_log.clear()
        settings.DEBUG = False
        follower = after_batch = None
        if not options["no_index"]:
            follower = _index_follower()
            after_batch = None if follower else _index_hook()
        try:
            report = cables_ingest(
                items=iter_sources(paths),
                known_ids=known_ids_get(),
                batch_size=options["batch_size"],
                on_progress=on_progress,
                after_batch=after_batch,
            )
        except BaseException:
            if follower:
                follower.abort()  # what it had not indexed stays pending
            raise
        progress.update(report.processed, force=True)
        progress.close()
        if report.counts["new"] + report.counts["updated"]:
            database_analyze()
        self._summary(report)
        if follower:
            indexed = follower.finish()
            self.stdout.write(f"Indexed {indexed.indexed:,} cables for search.")
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


def _index_follower():
    """The search index's background writer: a second process indexes the cables this
    one commits (and anything left pending by an earlier crash), a segment at a time,
    so parsing and database writes overlap with index writing. None when another
    process could not see what this one commits (called inside a transaction, as in
    tests, or an in-memory database): then each batch is indexed inline."""
    in_memory = connection.vendor == "sqlite" and connection.is_in_memory_db()
    if connection.in_atomic_block or in_memory:
        return None
    from search.services import IndexFollower

    return IndexFollower()


def _index_hook():
    """Inline indexing: each committed batch (and anything left pending) is indexed
    before the next batch is parsed."""
    from search.services import index_after_batch_hook

    return index_after_batch_hook()
