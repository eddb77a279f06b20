"""The per-cable parse time budget: a cable whose parse runs too long is reported as
failed with its location and the reason, and the batch goes on without it."""

from __future__ import annotations

import re
import signal
import threading
import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from cables.models import Cable
from cables.parsing import parse_cable
from cables.parsing.types import Metadata
from cables.parsing.version import PARSER_VERSION
from cables.services import cables_ingest, cables_reparse
from cables.services import ingest as ingest_service
from cables.services import reparse as reparse_service
from cables.services.budget import BudgetExceeded, TimeBudget
from cables.sources import SourceItem
from tests.cabletext import cable_text

pytestmark = pytest.mark.django_db

STALL = "STALLING TALKS"


def _stall_loop() -> None:
    while True:  # pure Python: the alarm lands between two bytecodes
        pass


def _stall_sleep() -> None:
    time.sleep(60)  # a blocking call: the alarm interrupts it


def _stall_regex() -> None:
    # Catastrophic backtracking inside the C regex engine, which checks for signals.
    re.match(r"(a+)+$", "a" * 40 + "!")


@pytest.fixture(params=[_stall_loop, _stall_sleep, _stall_regex], ids=["loop", "sleep", "regex"])
def slow_parser(request, monkeypatch):
    """``parse_cable`` as ingest calls it, stalling on the cable whose subject is STALL."""
    calls = []

    def parse(text, **kwargs):
        calls.append(text)
        if STALL in text:
            request.param()
        return parse_cable(text, **kwargs)

    monkeypatch.setattr(ingest_service, "parse_cable", parse)
    return calls


@pytest.fixture
def cables_with_a_slow_one(tmp_path: Path) -> Path:
    (tmp_path / "08OTTAWA100.txt").write_text(cable_text(serial=100))
    (tmp_path / "08OTTAWA150.txt").write_text(cable_text(serial=150, subject=STALL))
    (tmp_path / "08OTTAWA200.txt").write_text(cable_text(serial=200, refs="OTTAWA 100"))
    return tmp_path


def test_a_slow_cable_fails_and_the_batch_goes_on(cables_with_a_slow_one, slow_parser):
    handler_before = signal.getsignal(signal.SIGALRM)
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="1 input"):
        call_command(
            "ingest",
            str(cables_with_a_slow_one),
            "--no-index",
            "--parse-budget",
            "1",
            stdout=out,
            stderr=err,
        )
    assert "new 2, updated 0, unchanged 0, failed 1" in out.getvalue()
    slow = cables_with_a_slow_one / "08OTTAWA150.txt"
    assert f"FAILED {slow}: parse took longer than 1 s" in err.getvalue()
    assert set(Cable.objects.values_list("reference_id", flat=True)) == {
        "08OTTAWA100",
        "08OTTAWA200",
    }
    # The cable after the slow one was parsed normally, and nothing is left armed.
    assert Cable.objects.get(reference_id="08OTTAWA200").references.count() == 1
    assert len(slow_parser) == 3
    assert signal.getsignal(signal.SIGALRM) is handler_before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_the_report_names_the_dump_row(slow_parser):
    items = [
        SourceItem("cables.csv", row, cable_text(serial=row, subject=subject), Metadata())
        for row, subject in [(1, "FIRST"), (2, STALL), (3, "THIRD")]
    ]
    report = cables_ingest(items=items, parse_budget=0.1)
    assert report.counts["new"] == 2
    assert [(f.location, f.reason) for f in report.failures] == [
        ("cables.csv:2", "parse took longer than 0.1 s")
    ]


def test_no_budget_when_zero(cables_with_a_slow_one, monkeypatch):
    """0 means no limit: the parse is never interrupted (here a parse that takes a
    little longer than a tiny budget would allow)."""

    def parse(text, **kwargs):
        time.sleep(0.05)
        return parse_cable(text, **kwargs)

    monkeypatch.setattr(ingest_service, "parse_cable", parse)
    out = StringIO()
    call_command(
        "ingest", str(cables_with_a_slow_one), "--no-index", "--parse-budget", "0", stdout=out
    )
    assert "new 3, updated 0, unchanged 0, failed 0" in out.getvalue()


def test_negative_budget_is_refused(cables_with_a_slow_one):
    with pytest.raises(CommandError, match="parse-budget"):
        call_command("ingest", str(cables_with_a_slow_one), "--parse-budget", "-1")


def test_an_interrupted_real_parse_leaves_nothing_behind():
    """Interrupt the real parser part-way (a tiny budget on a long cable), then parse
    the same cable whole: the same result as in a fresh run."""
    text = cable_text(paragraphs=tuple(f"({i}) Officials met again. " * 40 for i in range(2000)))
    expected = parse_cable(text)
    interrupted = 0
    with TimeBudget(0.001) as budget:
        for _ in range(5):
            try:
                budget.start()
                parse_cable(text)
                budget.stop()
            except BudgetExceeded:
                budget.stop()
                interrupted += 1
    if not interrupted:
        pytest.skip("the parse was faster than the budget on this machine")
    assert parse_cable(text) == expected


def test_off_the_main_thread_the_budget_is_not_enforced():
    result = {}

    def run():
        with TimeBudget(0.01) as budget:
            budget.start()
            time.sleep(0.05)
            budget.stop()
            result["enforced"] = budget.enforced

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    assert result == {"enforced": False}


@pytest.fixture(params=[_stall_loop, _stall_regex], ids=["loop", "regex"])
def slow_reparser(request, monkeypatch):
    """``parse_cable`` as reparse calls it, stalling on the cable whose subject is STALL."""
    calls = []

    def parse(text, **kwargs):
        calls.append(text)
        if STALL in text:
            request.param()
        return parse_cable(text, **kwargs)

    monkeypatch.setattr(reparse_service, "parse_cable", parse)
    return calls


def test_reparse_keeps_the_budget_too(cables_with_a_slow_one, slow_reparser):
    """``reparse`` gives each cable the budget ingest gives it: the slow one is reported
    as failed (and left as read by the older parser), the others are re-read."""
    call_command("ingest", str(cables_with_a_slow_one), "--no-index", stdout=StringIO())
    Cable.objects.update(parser_version="1")
    handler_before = signal.getsignal(signal.SIGALRM)
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="1 cable"):
        call_command(
            "reparse",
            "--no-index",
            "--parse-budget",
            "1",
            "--batch-size",
            "2",
            stdout=out,
            stderr=err,
        )
    assert "Re-parsed 3 cables" in out.getvalue()
    assert "unchanged 2, failed 1" in out.getvalue()
    slow = cables_with_a_slow_one / "08OTTAWA150.txt"
    assert f"FAILED {slow}: parse took longer than 1 s" in err.getvalue()
    versions = dict(Cable.objects.values_list("reference_id", "parser_version"))
    assert versions == {
        "08OTTAWA100": PARSER_VERSION,
        "08OTTAWA150": "1",
        "08OTTAWA200": PARSER_VERSION,
    }
    assert len(slow_reparser) == 3
    assert signal.getsignal(signal.SIGALRM) is handler_before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_reparse_service_reports_the_slow_cable(cables_with_a_slow_one, slow_reparser):
    call_command("ingest", str(cables_with_a_slow_one), "--no-index", stdout=StringIO())
    report = cables_reparse(everything=True, parse_budget=0.5)
    assert (report.checked, report.unchanged, report.changed) == (3, 2, 0)
    slow = str(cables_with_a_slow_one / "08OTTAWA150.txt")
    assert [(f.location, f.reason) for f in report.failures] == [
        (slow, "parse took longer than 0.5 s")
    ]


def test_reparse_refuses_a_negative_budget():
    with pytest.raises(CommandError, match="parse-budget"):
        call_command("reparse", "--parse-budget", "-1")
