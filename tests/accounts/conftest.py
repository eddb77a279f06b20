import pytest


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """A fast hasher: these tests log in dozens of times (production keeps PBKDF2)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
