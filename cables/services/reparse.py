"""Re-parse in place: read every stored cable's raw text again with today's parser.

No source files are needed: a cable's header and body are stored verbatim, and what a
source knew beside the text (the release date, the partial flag, the id it gave) is
stored too. A cable whose parse comes out the same is only marked as read by this
parser version; one that comes out differently has its fields, tags, paragraphs,
references and recipients rewritten (in the same bulk writer ingest uses) and goes back
to the search index. Each batch is one transaction, taken in primary-key order among
the cables not yet read by this parser version, so an interrupted run loses nothing and
a rerun carries on where it stopped; a run with nothing left to do changes nothing.
Each parse has the time budget ingest gives it: a cable over it is reported as failed
(and left as it is, for a later parser version) and the batch goes on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import DatabaseError, transaction

from cables.dates import MONTH
from cables.models import Cable
from cables.parsing import CableParseError, KnownIds, Metadata, parse_cable
from cables.parsing.routing import PARTIAL_NOTICE
from cables.parsing.version import PARSER_VERSION
from cables.sources import SourceItem

from .budget import BudgetExceeded, TimeBudget
from .generation import archive_generation_bump
from .ingest import DEFAULT_PARSE_BUDGET, Failure, _Prepared, _store, _validate

logger = logging.getLogger(__name__)

_STORED = (
    "pk",
    "reference_id",
    "header",
    "body",
    "partial",
    "created",
    "date_precision",
    "released",
    "classification",
    "origin__code",
    "source",
    "content_hash",
    "input_hash",
)


@dataclass
class ReparseReport:
    checked: int = 0
    changed: int = 0
    unchanged: int = 0
    failures: list[Failure] = field(default_factory=list)
    changed_ids: list[str] = field(default_factory=list)


def stored_text(*, header: str, body: str, partial: bool) -> str:
    """The cable text as ingest read it (the partial-extract notice is not stored; the
    flag stands for it)."""
    if header:
        return f"{header}\n\n{body}"
    if partial:
        return f"{PARTIAL_NOTICE}\n\n{body}"
    return body


def cables_reparse(
    *,
    everything: bool = False,
    known_ids: KnownIds | None = None,
    batch_size: int = 500,
    on_progress: Callable[[ReparseReport], None] | None = None,
    after_batch: Callable[[list[str]], None] | None = None,
    parse_budget: float | None = None,
) -> ReparseReport:
    """Re-read the cables an older parser version read (``everything``: all cables).
    ``after_batch`` gets the ids each committed batch changed (the index hooks in).
    A cable whose parse takes longer than ``parse_budget`` seconds (default: the
    ``INGEST_PARSE_BUDGET`` setting; 0: no limit) is reported as failed, as in ingest."""
    report = ReparseReport()
    if parse_budget is None:
        parse_budget = getattr(settings, "INGEST_PARSE_BUDGET", DEFAULT_PARSE_BUDGET)
    queryset = Cable.objects.all() if everything else Cable.objects.parsed_before(PARSER_VERSION)
    last_pk = 0
    with TimeBudget(parse_budget) as budget:
        while True:
            rows = queryset.filter(pk__gt=last_pk).order_by("pk").values(*_STORED)
            rows = list(rows[:batch_size])
            if not rows:
                break
            last_pk = rows[-1]["pk"]
            changed = _reparse_batch(rows, known_ids, report, budget)
            if changed:
                archive_generation_bump()  # the batch is committed: its pages change now
            if changed and after_batch:
                after_batch(changed)
            if on_progress:
                on_progress(report)
    return report


def _parse(text: str, metadata: Metadata, known_ids: KnownIds | None, budget: TimeBudget):
    """``parse_cable`` within the time budget (raises :class:`BudgetExceeded`)."""
    budget.start()
    try:
        return parse_cable(text, metadata=metadata, known_ids=known_ids)
    finally:
        budget.stop()


def _reparse_batch(
    rows: list[dict], known_ids: KnownIds | None, report: ReparseReport, budget: TimeBudget
):
    todo: list[_Prepared] = []
    same: list[int] = []
    for row in rows:
        report.checked += 1
        location = row["source"] or row["reference_id"]
        text = stored_text(header=row["header"], body=row["body"], partial=row["partial"])
        metadata = Metadata(
            reference_id=row["reference_id"],
            # a month from the id list is not the text's own date: decided again
            created=None if row["date_precision"] == MONTH else row["created"],
            released=row["released"],
            classification=row["classification"],
            origin=row["origin__code"],
            partial=row["partial"],
        )
        try:
            parsed = _parse(text, metadata, known_ids, budget)
        except CableParseError as exc:
            report.failures.append(Failure(location, str(exc)))
            continue
        except BudgetExceeded:
            reason = f"parse took longer than {budget.seconds:g} s"
            logger.warning("%s: %s; skipped", location, reason)
            report.failures.append(Failure(location, reason))
            continue
        problem = _validate(parsed)
        if problem:
            report.failures.append(Failure(location, problem))
            continue
        prepared = _Prepared(
            SourceItem(source=row["source"], row=None, text=text, metadata=metadata),
            parsed,
            row["input_hash"],
        )
        if prepared.content_hash == row["content_hash"]:
            same.append(row["pk"])
        else:
            todo.append(prepared)
    existing = {p.parsed.reference_id: "" for p in todo}
    try:
        with transaction.atomic():
            Cable.objects.filter(pk__in=same).update(parser_version=PARSER_VERSION)
            if todo:
                _store(todo, existing)
    except (DatabaseError, ValueError) as exc:
        for prepared in todo:
            report.failures.append(Failure(prepared.item.location, f"not stored: {exc}"))
        return []
    report.unchanged += len(same)
    report.changed += len(todo)
    changed = [p.parsed.reference_id for p in todo]
    report.changed_ids.extend(changed)
    return changed
