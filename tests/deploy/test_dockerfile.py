"""The image's recipe, checked without a container engine: what it installs, who it
runs as, where its data lives, and that compose wires PostgreSQL to it. (That its
command serves the site is ``test_gunicorn.py``.)"""

from __future__ import annotations

import json
import re
import subprocess
import sys

from tests.deploy import dockerfile
from tests.deploy.conftest import BASE_DIR, manage, production_env

DOCKERFILE = BASE_DIR / "Dockerfile"
RUNTIME_MARKER = "# Development and tests"
DEV_ONLY = {"pytest", "pytest-django", "ruff", "playwright"}


def runtime_requirements() -> set[str]:
    """The package names the image installs: requirements.txt above the marker the
    Dockerfile cuts at."""
    text = (BASE_DIR / "requirements.txt").read_text()
    assert RUNTIME_MARKER in text
    runtime = text.split(RUNTIME_MARKER)[0]
    return {
        re.split(r"[\[=<>~ ]", line.strip())[0].lower()
        for line in runtime.splitlines()
        if line.strip() and not line.startswith("#")
    }


def test_the_image_installs_runtime_requirements_only():
    assert f"sed '/^{RUNTIME_MARKER}/,$d'" in DOCKERFILE.read_text()
    runtime = runtime_requirements()
    assert {"django", "gunicorn", "psycopg", "whoosh", "whitenoise", "dj-database-url"} <= runtime
    assert not runtime & DEV_ONLY


def test_the_site_imports_without_development_packages(tmp_path):
    """Every module a request can reach loads with pytest, ruff and playwright absent."""
    code = f"""
import sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {sorted(p.replace("-", "_") for p in DEV_ONLY)!r}:
            raise ImportError("development package imported at run time: " + name)
sys.meta_path.insert(0, Block())
import django
django.setup()
import importlib, pkgutil
import config.wsgi, config.urls, cables, search
for package in (cables, search):
    for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        if ".tests" not in module.name:
            importlib.import_module(module.name)
print("ok")
"""
    env = production_env(tmp_path, DJANGO_SETTINGS_MODULE="config.settings")
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("ok")


def test_the_image_runs_as_a_non_root_user_with_data_on_a_volume():
    stage = dockerfile.final_stage(DOCKERFILE)
    keywords = [i.keyword for i in stage]
    assert stage[0].arguments == "python:3.11-slim"
    (user,) = [i.arguments for i in stage if i.keyword == "USER"]
    assert user not in {"root", "0"}
    # the user is set before the command, after everything that needs root
    assert keywords.index("USER") > max(
        n for n, i in enumerate(stage) if i.keyword in {"RUN", "COPY"}
    )
    assert any(i.keyword == "VOLUME" and "/data" in i.arguments for i in stage)
    env = dockerfile.env(DOCKERFILE)
    assert env["DEBUG"] == "0"
    assert env["SEARCH_INDEX_DIR"] == "/data/index"
    assert env["CABLES_VAR_DIR"] == "/data"
    # static files are built into the image, not onto the volume that would hide them
    assert not env["STATIC_ROOT"].startswith("/data")


def test_static_files_are_collected_at_build_time_in_production_mode():
    runs = [i.arguments for i in dockerfile.final_stage(DOCKERFILE) if i.keyword == "RUN"]
    (collect,) = [r for r in runs if "collectstatic" in r]
    assert "SECRET_KEY=" in collect
    assert "--noinput" in collect
    assert dockerfile.env(DOCKERFILE)["DEBUG"] == "0"  # so the manifest storage is used


def test_the_healthcheck_probes_healthz():
    probe = dockerfile.healthcheck(DOCKERFILE)
    assert probe[:2] == ["python", "-c"]
    assert "/healthz" in probe[2]


def test_dockerignore_keeps_local_state_out_of_the_image():
    ignored = {
        line.strip()
        for line in (BASE_DIR / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert {".git", ".venv", "var", "test-artifacts", "**/__pycache__"} <= ignored
    assert ".env" in ignored  # compose's secrets (EMAIL_URL, SECRET_KEY) stay out of it
    assert "demo" not in ignored  # the demo corpus ships, to try the image out


def test_compose_runs_the_image_with_postgresql():
    compose = (BASE_DIR / "compose.yaml").read_text()
    assert re.search(r"^  db:\n    image: postgres:\d+", compose, re.M)
    assert re.search(r"^  web:\n    build: \.", compose, re.M)
    assert "DATABASE_URL: postgres://" in compose
    assert "- data:/data" in compose
    assert "condition: service_healthy" in compose
    assert "SECRET_KEY: ${SECRET_KEY:?" in compose  # no default secret
    for one_off in ("manage.py migrate", "manage.py load_cable_ids", "manage.py ingest"):
        assert f"docker compose run --rm web python {one_off}" in compose


def compose_web_environment() -> dict[str, str]:
    """The ``web`` service's environment as compose passes it when the operator sets
    nothing: ``${NAME:-default}`` is its default (``${NAME:?}``, a required value,
    is left as written)."""
    compose = (BASE_DIR / "compose.yaml").read_text()
    block = re.search(
        r"^  web:\n(?:    .*\n|\s*\n)*?    environment:\n((?:      .*\n)+)", compose, re.M
    )
    assert block, "no environment in the web service"
    env = {}
    for line in block.group(1).splitlines():
        match = re.fullmatch(r"      ([A-Z_]+): (.*)", line)
        if match:
            env[match.group(1)] = re.sub(r"\$\{[A-Z_]+:-([^}]*)\}", r"\1", match.group(2))
    return env


ACCOUNT_SETTINGS = (
    "SIGNUP_ENABLED",
    "EMAIL_URL",
    "DEFAULT_FROM_EMAIL",
    "EMAIL_TIMEOUT",
    "LOGIN_RATE_LIMIT",
    "LOGIN_RATE_WINDOW",
    "LOGIN_RATE_IP_HEADER",
)


def test_compose_passes_the_account_and_email_settings(tmp_path):
    """Each setting the accounts read is in compose, for an operator to set, and its
    default there starts the app as the README says: sign-up open, reset mail on the
    log, the log-in limiter on REMOTE_ADDR (no header trusted unless asked)."""
    environment = compose_web_environment()
    assert set(ACCOUNT_SETTINGS) <= set(environment)
    assert environment["DATABASE_URL"].startswith("postgres://")
    # the container has what compose passes, and no EMAIL_HOST of this machine's
    env = production_env(
        tmp_path, EMAIL_HOST="", **{name: environment[name] for name in ACCOUNT_SETTINGS}
    )
    code = (
        "from django.conf import settings as s; import json; print(json.dumps({"
        "'signup': s.SIGNUP_ENABLED, 'backend': s.EMAIL_BACKEND,"
        "'from': s.DEFAULT_FROM_EMAIL, 'email_timeout': s.EMAIL_TIMEOUT,"
        "'limit': s.LOGIN_RATE_LIMIT, 'window': s.LOGIN_RATE_WINDOW,"
        "'ip_header': s.LOGIN_RATE_IP_HEADER}))"
    )
    result = manage(env, "shell", "-c", code)
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {
        "signup": True,
        "backend": "django.core.mail.backends.console.EmailBackend",
        "from": "Cable Archive <noreply@localhost>",
        "email_timeout": 10,
        "limit": 10,
        "window": 900,
        "ip_header": "",
    }
