from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from search.services import index_check


class Command(BaseCommand):
    help = (
        "Compare the search index with the database (counts, missing, stale and outdated "
        "cables, pending marks); exit non-zero when they disagree, saying how to repair."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--show", type=int, default=10, help="How many ids of each kind to list (default 10)"
        )

    def handle(self, *args, **options) -> None:
        check = index_check()
        show = options["show"]
        self.stdout.write(f"Database: {check.database:,} cables")
        if check.index_missing:
            raise CommandError("There is no search index. Repair: manage.py rebuild_index")
        self.stdout.write(f"Index:    {check.index:,} cables")
        for label, ids in (
            ("missing from the index", check.missing),
            ("stale (in the index, not in the database)", check.stale),
            ("outdated (indexed with older content)", check.outdated),
        ):
            if ids:
                listed = ", ".join(ids[:show]) + (" …" if len(ids) > show else "")
                self.stdout.write(f"  {len(ids):,} {label}: {listed}")
        if check.pending:
            self.stdout.write(f"  {check.pending:,} cables marked index_pending")
        if not check.ok:
            raise CommandError(
                "The index and the database disagree. Repair: manage.py update_index --repair "
                "(or manage.py rebuild_index for a fresh index)."
            )
        self.stdout.write(self.style.SUCCESS("The index agrees with the database."))
