from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from search.index import IndexBusy
from search.services import index_cables_update, index_repair


class Command(BaseCommand):
    help = (
        "Bring the search index up to date: index every cable still marked index_pending "
        "(after a crash, or an ingest with --no-index). With --repair, also index what "
        "check_index reports missing or outdated and drop stale documents."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--repair",
            action="store_true",
            help="Compare with the database and fix every difference",
        )
        parser.add_argument(
            "--wait",
            type=float,
            default=None,
            help="Seconds to wait for a running writer (default: wait as long as it takes)",
        )

    def handle(self, *args, **options) -> None:
        try:
            if options["repair"]:
                report = index_repair()
            else:
                report = index_cables_update(pending=True, lock_timeout=options["wait"])
        except IndexBusy as exc:
            raise CommandError(f"{exc}; try again when it has finished.") from exc
        self.stdout.write(
            f"Indexed {report.indexed:,} cables, removed {report.deleted:,}, "
            f"cleared {report.cleared:,} pending marks."
        )
