"""Production settings: ``check --deploy`` is clean, and a missing secret fails loudly."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.deploy.conftest import BASE_DIR, manage, production_env

pytestmark = pytest.mark.slow


def test_check_deploy_is_clean_in_production_settings(tmp_path):
    """Every deployment warning (HSTS, secure cookies, SSL redirect, a strong key,
    DEBUG off, ALLOWED_HOSTS...) is addressed: warnings fail the check too."""
    env = production_env(tmp_path, ALLOWED_HOSTS="archive.example.org")
    result = manage(env, "check", "--deploy", "--fail-level", "WARNING")
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("SECRET_KEY", "SECRET_KEY must be set when DEBUG is off"),
        ("ALLOWED_HOSTS", "ALLOWED_HOSTS must be set when DEBUG is off"),
    ],
)
def test_production_refuses_to_start_without(tmp_path, missing, message):
    env = production_env(tmp_path)
    del env[missing]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert message in result.stderr


def test_production_settings_values(tmp_path):
    """What ``check --deploy`` does not look at: the proxy header, the exempt health
    check, hashed static files, and a bounded PostgreSQL connect."""
    env = production_env(tmp_path, database_url="postgres://u@db.invalid:5432/cables")
    code = (
        "from django.conf import settings as s; import json; print(json.dumps({"
        "'proxy': s.SECURE_PROXY_SSL_HEADER, 'exempt': s.SECURE_REDIRECT_EXEMPT,"
        "'storage': s.STORAGES['staticfiles']['BACKEND'], 'hsts': s.SECURE_HSTS_SECONDS,"
        "'timeout': s.DATABASES['default']['OPTIONS'].get('connect_timeout'),"
        "'debug': s.DEBUG}))"
    )
    result = manage(env, "shell", "-c", code)

    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values == {
        "proxy": ["HTTP_X_FORWARDED_PROTO", "https"],
        "exempt": ["^healthz/?$"],
        "storage": "whitenoise.storage.CompressedManifestStaticFilesStorage",
        "hsts": 31536000,
        "timeout": 5,
        "debug": False,
    }
