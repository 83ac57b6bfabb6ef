"""Fixtures shared by the whole suite."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher
from hypothesis import settings as hypothesis_settings

# Playwright's sync API runs an event loop in the test thread; Django's ORM would refuse
# to run there without this (the live server itself runs in its own thread).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# On CI the property tests replay a fixed sequence, so a run is reproducible from its commit; local runs keep
# exploring new random examples (and a failure found there is kept as a worked test).
hypothesis_settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


class FastArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2 still (the stored hashes look like production ones), at a cost fit for hundreds of logins."""

    time_cost = 1
    memory_cost = 256
    parallelism = 1


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["tests.conftest.FastArgon2PasswordHasher"]


def shared_data_dir() -> Path | None:
    """../shared/data (or LENIENCY_SHARED_DATA) when present: licensed judgments read at run time."""
    env = os.environ.get("LENIENCY_SHARED_DATA")
    candidates = [Path(env)] if env else []
    candidates.append(Path(__file__).resolve().parent.parent.parent / "shared" / "data")
    for path in candidates:
        if path.is_dir():
            return path
    return None


@pytest.fixture(scope="session")
def shared_data() -> Path:
    path = shared_data_dir()
    if path is None:
        pytest.skip("未找到 ../shared/data（或 LENIENCY_SHARED_DATA）：真实裁判文书不随仓库分发，本测试跳过")
    return path


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.skip("未安装 Debian Chromium（apt-get install chromium）")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS, "headless": True}


@pytest.fixture
def demo_users(db):
    from leniency.accounts.demo import load_units_and_users

    load_units_and_users()
    from leniency.accounts.models import User

    return {u.username: u for u in User.objects.all()}


def uncalibrated_rules(target: Path) -> Path:
    """A copy of the shipped rule data with every calibrated value back at its value before calibration.

    Tests of calibration and of the writer start from the data as it was before any fit, so that what they check
    does not depend on the values the last `leniency calibrate` happened to write.
    """
    import datetime as dt
    import shutil

    from leniency.law.loader import DATA_DIR
    from leniency.law.writer import Provenance, write_fitted_values

    shutil.copytree(DATA_DIR, target, ignore=shutil.ignore_patterns("__pycache__"))
    write_fitted_values([], Provenance(dt.date(2026, 11, 22), "（测试：还原）", "还原为校准前取值"), target)
    return target
