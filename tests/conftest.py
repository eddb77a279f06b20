"""Shared fixtures: where the real corpus lives, and skipping cleanly when it doesn't."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
CORPUS_DIR = Path(os.environ.get("CABLES_CORPUS_DIR", BASE_DIR.parent / "shared" / "corpus"))


def corpus_path(*parts: str) -> Path:
    """A path inside the shared corpus; skips the calling test when it is absent."""
    path = CORPUS_DIR.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared corpus not available: {path}")
    return path


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return corpus_path()


@pytest.fixture(scope="session")
def seed_text() -> str:
    return corpus_path("seed", "03OTTAWA492.txt").read_text(encoding="utf-8")
