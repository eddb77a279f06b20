"""Real headless Chromium for the browser tests, driven by Playwright.

The browser is Debian's ``chromium`` (``.ci/run`` installs it); Playwright's own
browser downloads are not used. Playwright is in requirements.txt and imported outright;
tests skip, saying why, only when no Chromium binary exists (a system package). When a
test fails, every page it opened is saved into ``test-artifacts/`` (a full-page
screenshot and the HTML as the browser had it).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect, sync_playwright

BASE_DIR = Path(__file__).resolve().parent.parent.parent
ARTIFACTS = BASE_DIR / "test-artifacts"
DEMO = BASE_DIR / "demo"

# How long an action (click, fill, download) and an ``expect`` wait: the same for both
# (Playwright's own default for ``expect`` is 5 s), and room for a page rendered on a
# busy machine.
TIMEOUT_MS = 10_000
expect.set_options(timeout=TIMEOUT_MS)

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_executable() -> str | None:
    """``CHROMIUM`` from the environment, else Debian's binary, else one on PATH."""
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, for the artifact dump below."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    executable = chromium_executable()
    if executable is None:
        pytest.skip("no Chromium binary (install Debian's chromium: apt-get install chromium)")
    # Playwright's sync API runs an asyncio loop on this thread; Django would then refuse
    # the ORM calls the test fixtures make here (flushing the database, ingesting). The
    # live server answers the browser from its own thread, unaffected.
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            try:
                yield chromium
            finally:
                chromium.close()


@dataclass
class Tab:
    """One page in its own browser context, with what its console said."""

    page: object
    console: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    failed_subresources: list[str] = field(default_factory=list)

    def csp_violations(self) -> list[str]:
        return [line for line in self.console if "Content Security Policy" in line]

    def console_errors(self) -> list[str]:
        """Console errors other than a failed load (a 404 page's own status is one;
        subresources that fail are in ``failed_subresources``, with their URL)."""
        return [
            line
            for line in self.console
            if line.startswith("error:") and "Failed to load resource" not in line
        ]

    def on_response(self, response) -> None:
        if response.status >= 400 and response.request.resource_type != "document":
            self.failed_subresources.append(f"{response.status} {response.url}")


@pytest.fixture
def open_tab(browser, request) -> Iterator[Callable[[], Tab]]:
    """``open_tab()`` a fresh browser context (no cookies, no history: a reader pasting a
    link) and its page. On failure every page opened is dumped into ``test-artifacts/``."""
    contexts, tabs = [], []

    def open_() -> Tab:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        tab = Tab(page)
        page.on("console", lambda m: tab.console.append(f"{m.type}: {m.text}"))
        page.on("pageerror", lambda e: tab.errors.append(str(e)))
        page.on("response", tab.on_response)
        contexts.append(context)
        tabs.append(tab)
        return tab

    yield open_
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
        for number, tab in enumerate(tabs, start=1):
            stem = f"{name}-{number}"
            try:
                tab.page.screenshot(path=ARTIFACTS / f"{stem}.png", full_page=True)
                (ARTIFACTS / f"{stem}.html").write_text(tab.page.content(), encoding="utf-8")
                (ARTIFACTS / f"{stem}.console.txt").write_text(
                    f"url: {tab.page.url}\n" + "\n".join(tab.console + tab.errors) + "\n",
                    encoding="utf-8",
                )
            except Exception as exc:  # a crashed page must not hide the real failure
                (ARTIFACTS / f"{stem}.error.txt").write_text(repr(exc), encoding="utf-8")
    for context in contexts:
        context.close()


@pytest.fixture
def demo_archive(transactional_db, settings, tmp_path) -> Path:
    """The demo corpus ingested into the test database and a real Whoosh index in a
    temporary directory, committed, so the live server's thread sees it."""
    from search.services import caches_clear

    settings.SEARCH_INDEX_DIR = tmp_path / "index"
    caches_clear()
    out = StringIO()
    call_command("load_cable_ids", str(DEMO / "cable-ids.csv"), stdout=out)
    call_command("ingest", str(DEMO / "cables"), stdout=out, stderr=out)
    yield settings.SEARCH_INDEX_DIR
    caches_clear()
