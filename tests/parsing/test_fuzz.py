"""Fuzz-style robustness: garbage and mutated cables raise nothing but CableParseError."""

from __future__ import annotations

import contextlib
import random
import time

import pytest

from cables.parsing import CableParseError, KnownIds, parse_cable
from tests.conftest import corpus_path

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabc 0123456789.,:;/()[]#¶-\n\t\"'\x00\x07é中"


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
def test_mutated_real_cables():
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


def test_huge_input_does_not_hang():
    line = "C O N F I D E N T I A L OTTAWA 000492\n\n"
    for text in (line + "x " * 10_000_000, line + " " * 20_000_000 + "1.", line + "\n" * 5_000_000):
        start = time.perf_counter()
        _try(text)
        assert time.perf_counter() - start < 10
