"""Template context shared by every page."""

from leniency import __version__


def site(request) -> dict:
    return {"version": __version__}
