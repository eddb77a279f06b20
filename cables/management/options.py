"""Command-line options several management commands share."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import CommandError, CommandParser


def parse_budget_add(parser: CommandParser) -> None:
    """``--parse-budget SECONDS``: how long one cable's parse may take (ingest, reparse)."""
    parser.add_argument(
        "--parse-budget",
        type=float,
        default=None,
        metavar="SECONDS",
        help=(
            "Seconds one cable's parse may take before it is reported as failed and "
            "the batch goes on (default: INGEST_PARSE_BUDGET, 5; 0: no limit)"
        ),
    )


def parse_budget_from(options: dict[str, Any]) -> float:
    """The budget asked for, else ``settings.INGEST_PARSE_BUDGET``; refused below 0."""
    budget = options["parse_budget"]
    if budget is None:
        budget = settings.INGEST_PARSE_BUDGET
    if budget < 0:
        raise CommandError("--parse-budget must be 0 (no limit) or more seconds")
    return budget
