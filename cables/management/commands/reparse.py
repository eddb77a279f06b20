from __future__ import annotations

import contextlib

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import reset_queries

from cables.management.options import parse_budget_add, parse_budget_from
from cables.management.progress import Progress
from cables.models import Cable
from cables.parsing.version import PARSER_VERSION
from cables.selectors import known_ids_get
from cables.services import ReparseReport, cables_reparse
from cables.services.ingest import database_analyze
from cables.sources import printable
from search.services import indexing_during_ingest


class Command(BaseCommand):
    help = (
        "Re-read the stored raw text of every cable with today's parser (no source files "
        "needed), rewrite what changed (fields, tags, paragraphs, references) and "
        "re-index only those cables. Idempotent, batched, safe to interrupt: a rerun "
        "carries on with the cables this parser version has not read yet."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--all",
            action="store_true",
            help="Re-read every cable, also those this parser version already read",
        )
        parser.add_argument(
            "--batch-size", type=int, default=500, help="Cables per transaction (default 500)"
        )
        parse_budget_add(parser)
        parser.add_argument(
            "--no-index",
            action="store_true",
            help="Leave changed cables pending for 'manage.py update_index'",
        )

    def handle(self, *args, **options) -> None:
        everything = options["all"]
        budget = parse_budget_from(options)
        todo = Cable.objects.all() if everything else Cable.objects.parsed_before(PARSER_VERSION)
        progress = Progress(total=todo.count(), label="cables")
        reset_queries()

        def on_progress(report: ReparseReport) -> None:
            reset_queries()  # with DEBUG on, Django would keep every query's SQL
            progress.update(report.checked, extra=f"changed {report.changed:,}")

        indexing = contextlib.nullcontext() if options["no_index"] else indexing_during_ingest()
        with indexing as after_batch:
            report = cables_reparse(
                everything=everything,
                known_ids=known_ids_get(),
                batch_size=options["batch_size"],
                on_progress=on_progress,
                after_batch=after_batch,
                parse_budget=budget,
            )
        progress.update(report.checked, force=True)
        progress.close()
        if report.changed:
            database_analyze()
        self.stdout.write(
            f"Re-parsed {report.checked:,} cables with parser version {PARSER_VERSION}: "
            f"changed {report.changed:,}, unchanged {report.unchanged:,}, "
            f"failed {len(report.failures):,}"
        )
        for failure in report.failures:
            # the stored source is escaped already (older ones may not be)
            location = printable(failure.location, backslash=False)
            reason = printable(failure.reason, backslash=False)
            self.stderr.write(f"  FAILED {location}: {reason}")
        if report.failures:
            raise CommandError(f"{len(report.failures)} cable(s) could not be re-parsed.")
