"""Accounts: the e-mail address as the user name, sign-up behind SIGNUP_ENABLED,
log-out by POST, password reset by e-mail, and every page private."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail

from config.settings import email_settings

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"  # noqa: S105


def signup(client, email: str, password: str = PASSWORD, **extra):
    return client.post(
        "/accounts/signup/",
        {"email": email, "password1": password, "password2": password, **extra},
    )


def test_signup_uses_the_normalised_email_as_user_name_and_logs_in(client):
    response = signup(client, "  Ada.Lovelace@Example.ORG ")
    assert response.status_code == 302 and response["Location"] == "/lists/"
    user = User.objects.get()
    assert user.username == user.email == "ada.lovelace@example.org"
    assert user.check_password(PASSWORD)
    assert client.get("/lists/").status_code == 200  # signed in


def test_signup_refuses_an_address_in_another_case(client):
    signup(client, "ada@example.org")
    client.logout()
    response = signup(client, "ADA@Example.org")
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert User.objects.count() == 1


def test_signup_checks_the_password(client):
    response = signup(client, "ada@example.org", password="12345678")  # noqa: S106
    assert response.status_code == 200 and not User.objects.exists()
    assert "too common" in response.content.decode() or "numeric" in response.content.decode()


def test_signup_follows_a_safe_next_only(client):
    assert signup(client, "a@example.org", next="/lists/add/?cable=X")["Location"] == (
        "/lists/add/?cable=X"
    )
    client.logout()
    assert signup(client, "b@example.org", next="https://evil.example/")["Location"] == "/lists/"


def test_login_accepts_the_address_in_any_case(client):
    User.objects.create_user("ada@example.org", "ada@example.org", PASSWORD)
    response = client.post(
        "/accounts/login/", {"username": "ADA@example.ORG", "password": PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == "/lists/"


def test_login_redirects_to_next(client):
    User.objects.create_user("ada@example.org", "ada@example.org", PASSWORD)
    response = client.post(
        "/accounts/login/",
        {"username": "ada@example.org", "password": PASSWORD, "next": "/lists/7/"},
    )
    assert response["Location"] == "/lists/7/"


@pytest.mark.parametrize("enabled", [True, False])
def test_signup_enabled_setting(client, settings, enabled):
    settings.SIGNUP_ENABLED = enabled
    login_page = client.get("/accounts/login/").content.decode()
    page = client.get("/accounts/signup/")
    posted = signup(client, "ada@example.org")
    if enabled:
        assert 'href="/accounts/signup/' in login_page
        assert page.status_code == 200
        assert posted.status_code == 302 and User.objects.count() == 1
    else:
        assert "/accounts/signup/" not in login_page
        assert page.status_code == 403 and "Sign-up is closed" in page.content.decode()
        assert posted.status_code == 403 and not User.objects.exists()


def test_logout_is_a_post(client):
    user = User.objects.create_user("ada@example.org", "ada@example.org", PASSWORD)
    client.force_login(user)
    assert client.get("/accounts/logout/").status_code == 405
    assert client.get("/lists/").status_code == 200
    page = client.get("/lists/").content.decode()
    assert re.search(r'<form[^>]*action="/accounts/logout/"[^>]*method="post"', page)
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/lists/").status_code == 302  # to the log-in page


def test_password_reset_by_email(client):
    User.objects.create_user("ada@example.org", "ada@example.org", "old password 1234")
    response = client.post("/accounts/password_reset/", {"email": "ADA@example.org"})
    assert response.status_code == 302 and response["Location"] == "/accounts/password_reset/done/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ada@example.org"]
    assert message.subject == "Cable Archive: reset your password"
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", message.body).group(1)

    form = client.get(link, follow=True)
    assert "Choose a new password" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a brand new passphrase", "new_password2": "a brand new passphrase"},
    )
    assert done.status_code == 302 and done["Location"] == "/accounts/reset/done/"
    assert client.login(username="ada@example.org", password="a brand new passphrase")  # noqa: S106
    assert "does not work" in client.get(link, follow=True).content.decode()  # used once


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client):
    response = client.post("/accounts/password_reset/", {"email": "nobody@example.org"})
    assert response["Location"] == "/accounts/password_reset/done/"
    assert mail.outbox == []


@pytest.mark.parametrize(
    "url",
    [
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password_reset/",
        "/accounts/password_reset/done/",
        "/accounts/reset/done/",
        "/accounts/reset/MQ/bad-token/",
    ],
)
def test_account_pages_are_private(client, url):
    response = client.get(url)
    assert response.status_code == 200
    cache_control = response["Cache-Control"]
    assert "private" in cache_control and "no-store" in cache_control
    assert "public" not in cache_control


def test_email_settings_from_a_url():
    assert email_settings("console://")["EMAIL_BACKEND"].endswith("console.EmailBackend")
    smtp = email_settings("smtp+tls://mailer%40example.org:p%2Fss@smtp.example.org")
    assert smtp == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "smtp.example.org",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "mailer@example.org",
        "EMAIL_HOST_PASSWORD": "p/ss",
        "EMAIL_USE_TLS": True,
        "EMAIL_USE_SSL": False,
    }
    ssl = email_settings("smtps://u:p@smtp.example.org")
    assert ssl["EMAIL_PORT"] == 465 and ssl["EMAIL_USE_SSL"] and not ssl["EMAIL_USE_TLS"]
    assert email_settings("smtp://relay:2525")["EMAIL_PORT"] == 2525
