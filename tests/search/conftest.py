from __future__ import annotations

import pytest

from search.services import caches_clear, index_cables_update
from tests.search.factories import small_archive


@pytest.fixture
def index_dir(settings, tmp_path):
    settings.SEARCH_INDEX_DIR = tmp_path / "index"
    caches_clear()
    yield settings.SEARCH_INDEX_DIR
    caches_clear()


@pytest.fixture
def archive(db, index_dir):
    cables = small_archive()
    index_cables_update(pending=True)
    return cables
