"""Fuzzing the parser: garbage and mutated cables raise nothing but CableParseError, and
no input takes more than 20 ms of CPU per KB (20 ms at least; timed once more before it
counts). The mutations are in ``tests/parsing/mutate.py``, shared with ``bench/fuzz.py``
(the 100,000-input run)."""

from __future__ import annotations

import contextlib
import random
import time

import pytest

from cables.parsing import CableParseError, KnownIds, Metadata, parse_cable
from tests.cabletext import cable_text
from tests.conftest import corpus_path

from .mutate import Case, Outcome, check, corpus_seeds, fixture_seeds, make_case, size_of

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabc 0123456789.,:;/()[]#¶-\n\t\"'\x00\x07é中"
RUN_SEED = 13
FIXTURE_CASES = 800  # mutations of the hand-written cables and gold snippets
CORPUS_CASES = 2200  # mutations of real cables
CORPUS_SAMPLE = 400  # real cables to mutate
MAX_SIZE = 120_000  # characters added by one mutation, at most


def _describe(index: int, case: Case, outcome: Outcome) -> str:
    what = outcome.error or f"{outcome.seconds * 1000:.0f} ms"
    size = size_of(case.text)
    return f"case {index} ({case.kind}, {size:,} chars): {what}"


def _fuzz(seeds: list[str], count: int) -> list[str]:
    failures = []
    for index in range(count):
        case = make_case(seeds, RUN_SEED, index, MAX_SIZE)
        outcome = check(case.text)
        if outcome.error or outcome.over_budget:
            failures.append(_describe(index, case, outcome))
    return failures


def test_fuzz_mutated_fixture_cables():
    failures = _fuzz(fixture_seeds(), FIXTURE_CASES)
    assert not failures, "\n".join(failures[:20])


@pytest.mark.corpus
def test_fuzz_mutated_real_cables():
    seeds = corpus_seeds(corpus_path("cablegate", "txt"), CORPUS_SAMPLE, RUN_SEED)
    failures = _fuzz(seeds, CORPUS_CASES)
    assert not failures, "\n".join(failures[:20])


def test_the_fuzzer_finds_what_it_is_for(monkeypatch):
    """A parser that crashes, or takes too long, on an input is reported."""
    import tests.parsing.mutate as mutate

    def crash(text):
        raise IndexError("boom")

    monkeypatch.setattr(mutate, "parse_cable", crash)
    assert check("x").error == "IndexError: boom"

    def slow(text):
        start = time.process_time()
        while time.process_time() - start < 0.05:  # 50 ms of CPU: over the 20 ms floor
            pass

    monkeypatch.setattr(mutate, "parse_cable", slow)
    assert check("x").over_budget


def test_cases_are_reproducible():
    seeds = fixture_seeds()
    for index in (0, 1, 99):
        assert make_case(seeds, 5, index) == make_case(seeds, 5, index)
    kinds = {make_case(seeds, 5, i).kind.split("[")[0] for i in range(400)}
    assert {"long_run", "labels", "many_refs", "byte_flips", "reencode", "marks"} <= kinds
    assert {"header_flood", "punctuation_run", "short_lines"} <= kinds


def _try(text: str, known: KnownIds | None = None) -> None:
    with contextlib.suppress(CableParseError):
        parse_cable(text, known_ids=known)


def test_random_text():
    rng = random.Random(1)
    for _ in range(300):
        size = rng.choice((1, 10, 100, 2000))
        _try("".join(rng.choice(ALPHABET) for _ in range(size)))


def test_non_str_input():
    for value in (None, b"bytes", 42):
        with pytest.raises(CableParseError):
            parse_cable(value)  # type: ignore[arg-type]


def _mutate(rng: random.Random, text: str) -> str:
    chars = list(text)
    for _ in range(rng.randint(1, 40)):
        op = rng.random()
        pos = rng.randrange(len(chars) + 1)
        if op < 0.3 and chars:
            del chars[min(pos, len(chars) - 1)]
        elif op < 0.6:
            chars.insert(pos, rng.choice(ALPHABET))
        elif op < 0.8 and chars:
            start = rng.randrange(len(chars))
            chars[start:start] = chars[start : start + rng.randint(1, 200)]
        else:
            chars[pos:pos] = list(rng.choice(("\n\n", "¶1. (C)", "REF: A. ", "SUBJECT: ", "FM ")))
    return "".join(chars)


@pytest.mark.corpus
def test_mutated_real_cables_with_known_ids():
    txt = corpus_path("cablegate", "txt")
    known = KnownIds.from_pairs([("03OTTAWA492", 2)])
    rng = random.Random(7)
    files = sorted(txt.glob("*.txt"))
    for path in rng.sample(files, 60):
        text = path.read_text(encoding="utf-8")
        for _ in range(5):
            _try(_mutate(rng, text), known)
            cut = rng.randrange(len(text))
            _try(text[:cut], known)
            _try(text[cut:], known)


def test_huge_input_keeps_the_budget():
    line = "C O N F I D E N T I A L OTTAWA 000492\n\n"
    for text in (line + "x " * 10_000_000, line + " " * 20_000_000 + "1.", line + "\n" * 5_000_000):
        outcome = check(text)
        assert outcome.error is None and not outcome.over_budget, outcome


def test_digits_that_are_not_decimal_are_no_serials():
    """Found by bench/fuzz.py (seed 1, case 19382): a superscript digit is ``isdigit()``
    but not a number ``int()`` reads; a REF token of it crashed the parser."""
    text = cable_text(refs="A. STATE ¹ 1234, ² B. 05 LIMA ³")
    cable = parse_cable(text)
    assert [r.letter for r in cable.references] == ["A", "B"]  # read, no serial made of them
    for metadata_id in ("¹²OTTAWA492", "0³OTTAWA4"):
        parse_cable(text, metadata=Metadata(reference_id=metadata_id))
