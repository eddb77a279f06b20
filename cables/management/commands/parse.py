from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date, datetime

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from cables.parsing import CableParseError, ParsedCable, parse_cable
from cables.selectors import known_ids_get
from cables.sources import SourceError, SourceNote, iter_sources, printable


def _jsonable(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def parsed_to_dict(parsed: ParsedCable) -> dict:
    return _jsonable(asdict(parsed))


class Command(BaseCommand):
    help = (
        "Parse cables and print every field the archive understood, one JSON object per "
        "cable per line. Reads the text alone (no metadata.csv); uses the known-id list "
        "when loaded."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", help="Files or directories, any form ingest takes")
        parser.add_argument("--format", choices=["json"], default="json", help="Output format")

    def handle(self, *args, **options) -> None:
        try:
            known_ids = known_ids_get()
        except DatabaseError as exc:
            self.stderr.write(f"known-id list unavailable ({exc}); run 'manage.py migrate'.")
            known_ids = None
        failed = 0
        for item in iter_sources(options["paths"], use_metadata=False):
            if isinstance(item, SourceNote):
                self.stderr.write(
                    f"note {printable(item.location)}: {printable(item.note, backslash=False)}"
                )
                continue
            source = {"file": item.source, "row": item.row}
            if isinstance(item, SourceError):
                failed += 1
                self.stdout.write(json.dumps({"source": source, "error": item.reason}))
                continue
            try:
                parsed = parse_cable(item.text, known_ids=known_ids)
            except CableParseError as exc:
                failed += 1
                self.stdout.write(json.dumps({"source": source, "error": str(exc)}))
                continue
            record = {"source": source, **parsed_to_dict(parsed)}
            self.stdout.write(json.dumps(record, ensure_ascii=False))
        if failed:
            raise CommandError(f"{failed} input(s) could not be parsed (see 'error' lines).")
