"""Start Django for the subcommands that need the database."""

from __future__ import annotations

import os


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leniency.config.settings")
    import django

    django.setup()
