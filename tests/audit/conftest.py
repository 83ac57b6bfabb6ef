import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """The demo users' Argon2 hashing costs seconds per test; nothing here logs in with a password."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
