"""The production entry point, for real: the Dockerfile's command (gunicorn with
``gunicorn.conf.py``) on a loopback port, DEBUG off, after the same ``migrate``,
``collectstatic``, ``load_cable_ids`` and ``ingest`` an operator runs, against
PostgreSQL when the suite runs on it. Fetched over HTTP like a proxy would.

No container engine runs here, so this is the image's behaviour minus Docker: the
command is read from the Dockerfile, so the two cannot drift apart.
"""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from config.middleware import CONTENT_SECURITY_POLICY
from tests.deploy import dockerfile
from tests.deploy.conftest import BASE_DIR, DEMO, manage, production_env, throwaway_database

pytestmark = pytest.mark.slow

DOCKERFILE = BASE_DIR / "Dockerfile"
PRODUCTION_COMMAND = ["gunicorn", "-c", "gunicorn.conf.py", "config.wsgi"]
HTTPS = {"X-Forwarded-Proto": "https"}  # what the TLS-terminating proxy adds
DEBUG_MARKERS = ("Traceback", "DEBUG = True", "URLconf", "Django tried these URL patterns")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


@dataclass
class Response:
    status: int
    headers: object
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


@dataclass
class Server:
    url: str
    env: dict
    log: Path
    process: subprocess.Popen

    def get(self, path: str, headers: dict | None = None) -> Response:
        request = urllib.request.Request(self.url + path, headers=headers or {})  # noqa: S310
        try:
            with _opener.open(request, timeout=15) as response:
                return Response(response.status, response.headers, response.read())
        except urllib.error.HTTPError as error:
            return Response(error.code, error.headers, error.read())


def executable(argv: list[str]) -> list[str]:
    """The command as the image runs it, with its program found in this virtualenv."""
    program = Path(sys.executable).parent / argv[0]
    assert program.exists(), f"{argv[0]} is not installed in {program.parent}"
    return [str(program), *argv[1:]]


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Server:
    tmp = tmp_path_factory.mktemp("production")
    data = tmp / "data"
    data.mkdir()
    port = free_port()
    with throwaway_database(tmp) as database_url:
        env = production_env(
            data, database_url, GUNICORN_BIND=f"127.0.0.1:{port}", GUNICORN_WORKERS="2"
        )
        manage(env, "migrate", "--noinput")
        manage(env, "collectstatic", "--noinput")
        manage(env, "load_cable_ids", str(DEMO / "cable-ids.csv"))
        manage(env, "ingest", str(DEMO / "cables"))
        log = tmp / "gunicorn.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                executable(dockerfile.command(DOCKERFILE)),
                cwd=BASE_DIR,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        running = Server(f"http://127.0.0.1:{port}", env, log, process)
        try:
            deadline = time.monotonic() + 60
            while True:
                assert process.poll() is None, f"gunicorn exited:\n{log.read_text()}"
                try:
                    if running.get("/healthz").status == 200:
                        break
                except OSError:
                    pass
                assert time.monotonic() < deadline, f"gunicorn never healthy:\n{log.read_text()}"
                time.sleep(0.2)
            yield running
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    assert process.returncode == 0, f"gunicorn did not stop cleanly:\n{log.read_text()}"


def test_the_dockerfile_runs_the_production_command():
    assert dockerfile.command(DOCKERFILE) == PRODUCTION_COMMAND


def test_healthz_answers_plain_http(server):
    """The probe needs no TLS: /healthz is exempt from the HTTPS redirect."""
    response = server.get("/healthz")
    assert response.status == 200
    assert json.loads(response.body) == {
        "status": "ok",
        "database": {"ok": True, "cables": 36, "index_pending": 0},
        "index": {"ok": True, "documents": 36, "in_sync": True},
    }


def test_plain_http_is_redirected_to_https(server):
    response = server.get("/search/?q=navy")
    assert response.status == 301
    assert response.headers["Location"] == server.url.replace("http:", "https:") + "/search/?q=navy"


def test_reading_pages_over_https_with_security_headers(server):
    pages = {
        "/": "All 36 cables",
        "/search/?q=%22missile+defense%22": "6 cables for",
        "/cable/04STATE61530/": "MISSILE DEFENSE: GUIDANCE FOR SPRING CONSULTATIONS",
        "/tag/MARR/": "MARR",
    }
    for path, expected in pages.items():
        response = server.get(path, HTTPS)
        assert response.status == 200, path
        assert expected in response.text, path
        headers = response.headers
        assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
        assert (
            headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
        )
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "same-origin"
        assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
        assert "Permissions-Policy" in headers


def test_static_files_are_hashed_compressed_and_cached_for_ever(server):
    home = server.get("/", HTTPS).text
    match = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', home)
    assert match, "the stylesheet link is not the hashed name from the manifest"
    css = server.get(match.group(1), HTTPS)
    assert css.status == 200
    assert css.headers["Content-Type"].startswith("text/css")
    assert "max-age=315360000" in css.headers["Cache-Control"]
    assert "immutable" in css.headers["Cache-Control"]
    gzipped = server.get(match.group(1), {**HTTPS, "Accept-Encoding": "gzip"})
    assert gzipped.headers["Content-Encoding"] == "gzip"
    assert len(gzipped.body) < len(css.body)
    # the 500 page links the unhashed name (it must render without the manifest)
    plain = server.get("/static/css/site.css", HTTPS)
    assert plain.status == 200
    assert "immutable" not in plain.headers.get("Cache-Control", "")


def test_debug_is_off(server):
    for path, expected in [("/cable/NOPE/", "searching the archive"), ("/nope/", "Not found")]:
        response = server.get(path, HTTPS)
        assert response.status == 404, path
        assert expected in response.text, path
        for marker in DEBUG_MARKERS:
            assert marker not in response.text, (path, marker)
    # a Host header outside ALLOWED_HOSTS is refused, without a debug page
    forged = server.get("/", {**HTTPS, "Host": "evil.example"})
    assert forged.status == 400
    assert "DisallowedHost" not in forged.text


def test_the_dockerfile_healthcheck_probe_passes(server):
    """The image's HEALTHCHECK command, run as is against this server."""
    argv = dockerfile.healthcheck(DOCKERFILE)
    assert argv[0] == "python"
    result = subprocess.run(
        [sys.executable, *argv[1:]],
        env=server.env,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_access_log(server):
    server.get("/search/?q=embassy", HTTPS)
    line = re.compile(r'"GET /search/\?q=embassy HTTP/1\.1" 200 \d+ \d+ms "Python-urllib')
    deadline = time.monotonic() + 5  # written just after the response is sent
    while not line.search(log := server.log.read_text()) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert line.search(log), log[-2000:]
    assert "Booting worker" in log
