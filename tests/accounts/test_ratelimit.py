"""The log-in form's limiter: 10 failures per 15 minutes per address and per account."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"  # noqa: S105


@pytest.fixture
def ada(db):
    return User.objects.create_user("ada@example.org", "ada@example.org", PASSWORD)


def attempt(client, username="ada@example.org", password="wrong", ip="10.0.0.1"):  # noqa: S107
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_ten_failures_block_the_account_with_429(client, ada):
    for _ in range(10):
        assert attempt(client).status_code == 200
    blocked = attempt(client, password=PASSWORD)  # even the right password
    assert blocked.status_code == 429
    assert "Too many attempts, try again in 15 minutes" in blocked.content.decode()
    assert "_auth_user_id" not in client.session
    # From another address, the same account (any case) is still blocked ...
    assert attempt(client, username="ADA@example.org", ip="10.9.9.9").status_code == 429
    # ... and another account from another address is not.
    User.objects.create_user("bob@example.org", "bob@example.org", PASSWORD)
    assert attempt(client, "bob@example.org", PASSWORD, ip="10.9.9.9").status_code == 302


def test_ten_failures_from_one_address_block_it_for_every_account(client, ada):
    for n in range(10):
        assert attempt(client, username=f"guess{n}@example.org").status_code == 200
    assert attempt(client, password=PASSWORD).status_code == 429
    assert attempt(client, password=PASSWORD, ip="10.0.0.2").status_code == 302


def test_the_block_ends_with_the_window(client, ada, settings, monkeypatch):
    settings.LOGIN_RATE_LIMIT = 2
    for _ in range(2):
        attempt(client)
    assert attempt(client, password=PASSWORD).status_code == 429
    later = time.time() + 15 * 60 + 1
    monkeypatch.setattr(time, "time", lambda: later)
    assert attempt(client, password=PASSWORD).status_code == 302


def test_the_wait_counts_down(client, ada, settings, monkeypatch):
    settings.LOGIN_RATE_LIMIT = 1
    attempt(client)
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 11 * 60)
    assert "try again in 4 minutes" in attempt(client).content.decode()
    monkeypatch.setattr(time, "time", lambda: now + 14 * 60 + 30)
    assert "try again in 1 minute." in attempt(client).content.decode()


def test_a_good_login_clears_the_account_count(client, ada):
    for _ in range(9):
        attempt(client, ip="10.0.0.3")
    assert attempt(client, password=PASSWORD, ip="10.0.0.4").status_code == 302
    client.logout()
    for _ in range(9):
        assert attempt(client, ip="10.0.0.5").status_code == 200
    assert attempt(client, password=PASSWORD, ip="10.0.0.6").status_code == 302


def test_the_client_address_header_when_a_proxy_sets_it(client, ada, settings):
    settings.LOGIN_RATE_IP_HEADER = "X-Real-IP"
    for n in range(10):
        client.post(
            "/accounts/login/",
            {"username": f"g{n}@example.org", "password": "x"},
            HTTP_X_REAL_IP="192.0.2.7",
        )
    blocked = client.post(
        "/accounts/login/",
        {"username": "ada@example.org", "password": PASSWORD},
        HTTP_X_REAL_IP="192.0.2.7",
    )
    assert blocked.status_code == 429
    other = client.post(
        "/accounts/login/",
        {"username": "ada@example.org", "password": PASSWORD},
        HTTP_X_REAL_IP="192.0.2.8",
    )
    assert other.status_code == 302
