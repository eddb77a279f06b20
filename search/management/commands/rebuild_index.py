from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from search.index import IndexBusy
from search.services import index_rebuild


class Command(BaseCommand):
    help = (
        "Build a complete new search index beside the live one and swap it in atomically "
        "(searches keep working meanwhile); old generations are removed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--procs",
            type=int,
            default=1,
            help="Segments written at once, one worker process each (default 1; 2 on 2 cores)",
        )

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        tty = self.stdout.isatty()

        def progress(count: int) -> None:
            if tty:
                self.stdout.write(f"\r  {count:,} cables indexed", ending="")
                self.stdout.flush()

        try:
            report = index_rebuild(procs=options["procs"], on_progress=progress)
        except IndexBusy as exc:
            raise CommandError(str(exc)) from exc
        if tty:
            self.stdout.write("")
        elapsed = time.perf_counter() - started
        rate = report.indexed / elapsed if elapsed else 0
        self.stdout.write(
            f"Rebuilt the search index: {report.indexed:,} cables in {elapsed:.1f} s "
            f"({rate:,.0f}/s); {report.cleared:,} pending marks cleared."
        )
