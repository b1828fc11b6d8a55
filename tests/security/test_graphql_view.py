"""POST /graphql answers a plain JSON operation itself (api/graphql/app.py) and leaves
everything else to strawberry's view: either way a client gets the same answer, refusals
included."""

from __future__ import annotations

import json
import re

import httpx
import pytest

from tests import harness
from wfm_app.api.graphql import app as graphql_view

_REQUEST_ID = re.compile(r'"requestId":"[^"]*"')
STATUSES = "{ wfmStatuses { id name } }"
TWO_OPERATIONS = "query A { wfmStatuses { id } } query B { __typename }"


def _post(body: bytes, headers: dict[str, str]) -> httpx.Response:
    async def ask() -> httpx.Response:
        transport = httpx.ASGITransport(graphql_view.graphql_app)
        async with httpx.AsyncClient(transport=transport, base_url="http://wfm") as client:
            return await client.post("/graphql", content=body, headers=headers)

    return harness.run_async(ask())


def _seen(answer: httpx.Response) -> tuple[int, str, str]:
    """What a client reads, less the request's own id."""
    return answer.status_code, answer.headers["content-type"], _REQUEST_ID.sub("", answer.text)


def _both_ways(
    monkeypatch: pytest.MonkeyPatch, body: bytes, headers: dict[str, str]
) -> tuple[httpx.Response, httpx.Response]:
    ours = _post(body, headers)
    with monkeypatch.context() as only_strawberry:
        only_strawberry.setattr(graphql_view, "_plain_json", lambda _scope: False)
        theirs = _post(body, headers)
    return ours, theirs


def _json(document: object) -> bytes:
    return json.dumps(document).encode()


def test_a_plain_operation_is_answered_as_strawberrys_view_answers_it(signer, monkeypatch):
    token = signer(sub="view-admin", roles=["wfm_admin"])
    as_json = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    created = _post(
        _json({"query": 'mutation { createWFMStatus(input: {name: "Plain"}) { id } }'}), as_json
    )
    assert created.status_code == 200 and "errors" not in created.json(), created.text
    bodies = [
        _json({"query": STATUSES}),
        _json({"query": TWO_OPERATIONS, "operationName": "A", "variables": None}),
        _json({"query": "query($n: Int!) { __typename }", "variables": {"n": "x"}}),
        _json({"query": "{ noSuchField }"}),
        _json({"query": "{ wfmStatuses { id "}),
        _json({"query": TWO_OPERATIONS}),  # which one: refused, naming both
        _json({"query": "subscription { wfmStatuses { id } }"}),
        _json({"query": ""}),
    ]
    charset = {**as_json, "Content-Type": "application/json; charset=utf-8"}
    anonymous = {"Content-Type": "application/json"}
    for body in bodies:
        for headers in (as_json, charset, anonymous):
            ours, theirs = _both_ways(monkeypatch, body, headers)
            assert _seen(ours) == _seen(theirs), (body, headers)
    with monkeypatch.context() as parsing:  # and it is answered without strawberry's view

        async def not_here(*_args: object) -> None:
            raise AssertionError("strawberry's view parsed a plain operation")

        parsing.setattr(graphql_view.WfmGraphQL, "parse_http_body", not_here)
        answer = _post(_json({"query": STATUSES}), charset)
    assert "Plain" in [status["name"] for status in answer.json()["data"]["wfmStatuses"]]


def test_what_is_not_one_plain_operation_gets_strawberrys_own_answer(signer, monkeypatch):
    token = signer(sub="view-manager")
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    refused = {
        b'[{"query": "{ __typename }"}]': "Batching is not enabled",
        b'{"query": 7}': "must be a string or null",
        b'{"query": "{ __typename }", "variables": "x"}': "must be an object or null",
        b'{"query": "{ __typename }", "extensions": []}': "must be an object or null",
        b'{"query": ': "Unable to parse request body as JSON",
        b'{"variables": {}}': "No GraphQL query found",
    }
    for body, reason in refused.items():
        ours, theirs = _both_ways(monkeypatch, body, headers)
        assert ours.status_code == 400 and reason in ours.text, (body, ours.text)
        assert _seen(ours) == _seen(theirs), body
    # strawberry ignores keys it does not know; so does the answer
    extra = _post(b'{"query": "{ __typename }", "id": 1}', headers)
    assert extra.json()["data"] == {"__typename": "Query"}, extra.text
    as_text = _post(b'{"query": "{ __typename }"}', {**headers, "Content-Type": "text/plain"})
    assert as_text.status_code == 400 and "Unsupported content type" in as_text.text
