"""schemathesis over the OpenAPI document: a bounded number of generated requests per
operation, signed in as an officer (who may do most things), each operation on a fresh
copy of the test world, and then its stateful phase (sequences of operations linked
through the ids they answer). Every built-in check but one runs on every answer: no server
error, and every answer matches the document (status codes, content types, response
schemas and headers, ``Allow`` on a 405), and invalid data is refused (not the converse:
see :func:`_excluded`)."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance
from starlette.testclient import TestClient

from councilplan.api.app import create_app
from councilplan.store import make_engine, upgrade
from tests.integration.api import world
from tests.integration.api.world import PASSWORD

EXAMPLES = 12  # per operation


def _document_app() -> FastAPI:
    """An app on an empty in-memory database, only to read the OpenAPI document from."""
    engine = make_engine("sqlite://")
    upgrade(engine)
    return create_app(world.settings("sqlite://"), engine=engine)


def _checked(schema: Any) -> Any:
    """The schema, with 413 counted among the answers to data the document allows or
    forbids: a body above the 64 KiB limit is refused for its size before it is read (413
    is documented for every operation, and the limit in the README), whether it is a bulk
    registration of many valid rows or one schemathesis swelled past ``maxItems``. The
    positive and negative data checks cannot know a size limit OpenAPI cannot state."""
    checks = schema.config.checks
    for check in (checks.negative_data_rejection, checks.positive_data_acceptance):
        check.expected_statuses = [*check.expected_statuses, "413"]
    return schema


def _excluded(case: Any) -> list[Any]:
    """The one built-in check left out: that every schema-valid request is accepted. Many
    bodies carry rules no JSON schema can state -- a paper may mark only the ballot's own
    options (22 valid-looking ids for a ballot of 3 are refused, 422, naming the choice), a
    recall threshold is a fraction of at most 1 -- and the server refuses those with 422
    naming the field, as it must. Its converse, that invalid data is refused, runs."""
    return [positive_data_acceptance]


# the schema is read once; each test sends its cases to its own app (``case.call(app=)``)
schema = _checked(schemathesis.openapi.from_asgi("/api/openapi.json", _document_app()))


@pytest.fixture
def signed_in(app: FastAPI) -> tuple[dict[str, str], dict[str, str]]:
    """The officer's session (one per operation; the examples of an operation share it)."""
    with TestClient(app) as c:
        r = c.post("/api/session", json={"username": "sec_m", "password": PASSWORD})
        assert r.status_code == 200
        return dict(c.cookies), {"X-CSRF-Token": r.json()["csrf_token"]}


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_no_server_error_and_answers_match_the_document(
        case: Any, app: FastAPI, signed_in: tuple[dict[str, str], dict[str, str]]) -> None:
    cookies, headers = signed_in
    response = case.call(app=app, cookies=cookies, headers=headers)
    # every built-in check but _excluded's (server errors, status codes, content types,
    # response schemas and headers, invalid data refused, ...)
    case.validate_response(response, headers=headers, excluded_checks=_excluded(case),
                           transport_kwargs={"app": app, "cookies": cookies, "headers": headers})


# -- the stateful phase: sequences of operations, chained through their links -----------------

STATEFUL_EXAMPLES = 15  # sequences
STATEFUL_STEPS = 6  # operations per sequence at most


def test_stateful_sequences_pass_every_check(app: FastAPI) -> None:
    """schemathesis's stateful phase on the app with the test world: sequences of calls
    chained through the links schemathesis infers between operations (an id one answer
    gives is the path parameter of the next call), signed in as the Mill's secretary,
    every built-in check but :func:`_excluded`'s on every answer (server errors, status
    codes, content types, response schemas and headers, data the document says must be
    refused, authentication not ignored, resources used after they are deleted...)."""
    live_schema = _checked(schemathesis.openapi.from_asgi("/api/openapi.json", app))
    machine = live_schema.as_state_machine()
    assert machine.bundles, "no links between operations: the stateful phase has nothing to do"

    class Workflow(machine):  # type: ignore[misc,valid-type]
        def setup(self) -> None:
            with TestClient(app) as c:
                r = c.post("/api/session", json={"username": "sec_m", "password": PASSWORD})
                assert r.status_code == 200
                self.cookies = dict(c.cookies)
                self.csrf = {"X-CSRF-Token": r.json()["csrf_token"]}

        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            return {"cookies": self.cookies, "headers": self.csrf}

        def validate_response(self, response: Any, case: Any,
                              additional_checks: Any = None, **kwargs: Any) -> None:
            calls[f"{case.operation.method.upper()} {case.operation.path}"] += 1
            answers[response.status_code // 100] += 1
            case.validate_response(response, headers=self.csrf, excluded_checks=_excluded(case),
                                   transport_kwargs=kwargs)

    calls: Counter[str] = Counter()
    answers: Counter[int] = Counter()
    Workflow.run(settings=settings(max_examples=STATEFUL_EXAMPLES, deadline=None,
                                   derandomize=True, stateful_step_count=STATEFUL_STEPS,
                                   suppress_health_check=list(HealthCheck)))
    print(f"\nstateful: {sum(calls.values())} calls of {len(calls)} operations "
          f"({len(machine.bundles)} link targets); answers by class {dict(answers)}")
    assert len(calls) > 5
    assert answers[2] > 0  # sequences got past refusals
