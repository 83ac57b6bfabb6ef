"""schemathesis over the whole OpenAPI schema (every router), in-process through the Django WSGI app.

Authenticated as the demo prosecutor (session cookie + CSRF token), on a database holding a unit's cases in
every stage. No response may be a server error (5xx) or break the schema it documents. Bounded: a fixed
number of generated examples per operation keeps the run near a minute on two cores.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from leniency.config.wsgi import application
from tests.cases.scenario import build

pytestmark = pytest.mark.django_db

# (user, examples per operation): the prosecutor reaches most services; the judge and a lawyer reach theirs.
RUNS = [("prosecutor", 15), ("judge", 5), ("duty", 5)]

# Operations that abort the whole process (not a 5xx the test could report) are listed here with the reason,
# so one engineer's crash does not take the whole suite down; each entry is reported to its owner.
EXCLUDED: dict[str, str] = {}


def _auth(user) -> dict[str, dict[str, str]]:
    client = Client()
    client.force_login(user)
    token = _get_new_csrf_string()
    return {
        "headers": {"X-CSRFToken": token},
        "cookies": {"sessionid": client.cookies["sessionid"].value, "csrftoken": token},
    }


def _real_ids() -> dict[str, list[int]]:
    from leniency.cases.models import AdjustmentRequest, Approval, Case, Consultation, Defendant, Recording

    return {
        "case_id": list(Case.objects.values_list("pk", flat=True)),
        "defendant_id": list(Defendant.objects.values_list("pk", flat=True)),
        "consultation_id": list(Consultation.objects.values_list("pk", flat=True)),
        "recording_id": list(Recording.objects.values_list("pk", flat=True)),
        "request_id": list(AdjustmentRequest.objects.values_list("pk", flat=True)),
        "approval_id": list(Approval.objects.values_list("pk", flat=True)),
    }


@pytest.fixture
def keep_test_connection():
    """Like Django's test client: the WSGI handler must not close the connection holding the test transaction."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _fuzz(operation, examples: int, auth: dict, real_ids: dict[str, list[int]]):
    @given(case=operation.as_strategy())
    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    def run(case):
        # Aim most generated ids at existing records so that bodies reach the services, not just a 404.
        for name, value in list((case.path_parameters or {}).items()):
            ids = real_ids.get(name)
            if ids and isinstance(value, int) and value % 4 != 0:
                case.path_parameters[name] = ids[value % len(ids)]
        case.call_and_validate(**auth, checks=[not_a_server_error, response_schema_conformance])

    return run


def test_whole_api_has_no_server_error_and_keeps_its_schema(world, keep_test_connection):
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
    build(world)
    real_ids = _real_ids()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 30, len(operations)
    failures = []
    for username, examples in RUNS:
        auth = _auth(world[username])
        for operation in operations:
            if f"{operation.method.upper()} {operation.path}" in EXCLUDED:
                continue
            try:
                _fuzz(operation, examples, auth, real_ids)()
            except Exception as exc:  # collect every operation's failure, then report them together
                failures.append(f"[{username}] {operation.method.upper()} {operation.path}: {exc}")
    assert not failures, "\n\n".join(failures)
