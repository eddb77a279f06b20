from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cables.parsing import read_known_ids
from cables.services import cable_ids_load


class Command(BaseCommand):
    help = (
        "Load a list of known cable ids with their months (lines 'reference_id,month', "
        "gzipped or not), used to settle years and to resolve references."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="e.g. cable2month.csv.gz")

    def handle(self, *args, **options) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        try:
            new, seen = cable_ids_load(pairs=read_known_ids(path))
        except (ValueError, OSError, EOFError) as exc:
            raise CommandError(f"could not load {path}: {exc} (nothing was loaded)") from exc
        self.stdout.write(f"Loaded {seen:,} cable ids from {path}: {new:,} new.")
