from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from cables.management.progress import Progress
from cables.models import Cable
from cables.services.generation import archive_generation_bump
from people.models import Person, PersonRole
from people.services import people_rebuild


class Command(BaseCommand):
    help = (
        "Recompute every person (signers, classifiers, person tags) from the stored "
        "cables, from scratch, in one transaction. Idempotent: run it once after "
        "upgrading an archive that was ingested before people existed, after a change "
        "to the name rules (people/names.py), or at any time."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch-size", type=int, default=1000, help="Cables read per query (default 1000)"
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Only when there are cables but no people yet (an archive from before people)",
        )

    def handle(self, *args, **options) -> None:
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1")
        if options["if_empty"] and (PersonRole.objects.exists() or not Cable.objects.exists()):
            self.stdout.write("People are there already (or there are no cables): nothing to do.")
            return
        progress = Progress(total=Cable.objects.count(), label="cables")
        try:
            done = people_rebuild(
                batch_size=options["batch_size"],
                on_progress=lambda n, _total: progress.update(n),
            )
        except DatabaseError as exc:
            raise CommandError(f"people_rebuild failed: {exc}") from exc
        finally:
            progress.close()
        archive_generation_bump()  # the people pages change now
        self.stdout.write(f"{done:,} cables read, {Person.objects.count():,} people.")
