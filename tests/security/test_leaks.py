"""Issue 9.7: no suggestions or introspection for strangers, no e-mail addresses for
members, and one log line (no traceback) for a refused request."""

from __future__ import annotations

import logging

from tests import harness
from tests.api.flows import codes
from wfm_app.api.graphql.context import Context
from wfm_app.api.graphql.schema import schema

INTROSPECTION = "{ __schema { types { name } } }"


def test_strangers_get_no_suggestions_and_no_schema(gql):
    for document in ("{ dealz { id } }", "{ deals { nme } }", INTROSPECTION):
        answer = gql(None, document)
        assert codes(answer) == ["UNAUTHENTICATED"], answer
        assert "Did you mean" not in str(answer) and "__Schema" not in str(answer)


def test_production_serves_no_introspection_even_signed_in(gql):
    answer = gql("admin", INTROSPECTION)  # the test app runs with --env prod
    assert answer["data"] is None and "introspection" in str(answer["errors"]).lower()


def test_members_see_display_names_not_email_addresses(gql):
    made = gql("admin", 'mutation { createWFMStatus(input: {name: "Audit trail"}) { id } }')
    status_id = made["data"]["createWFMStatus"]["id"]
    query = "query($id: ID!) { wfmStatus(id: $id) { createdByUser { display_name email } } }"
    seen = {
        who: gql(who, query, id=status_id)["data"]["wfmStatus"]
        for who in ("alice", "manager", "admin")
    }
    assert seen["alice"]["createdByUser"] == {"display_name": "Ada Admin", "email": None}
    assert seen["manager"]["createdByUser"]["email"] == "ada.admin@example.com"
    assert seen["admin"]["createdByUser"]["email"] == "ada.admin@example.com"


def test_a_refused_request_logs_one_line(seeded, caplog):
    caplog.set_level(logging.DEBUG)
    document = 'mutation { createWFMStatus(input: {name: "Not mine"}) { id } }'
    result = harness.run_async(schema.execute(document, context_value=Context(actor=seeded.alice)))
    assert [error.extensions["code"] for error in result.errors] == ["FORBIDDEN"]
    records = [r for r in caplog.records if r.name.startswith(("wfm", "strawberry"))]
    assert len(records) == 1 and records[0].exc_info is None, records
    assert "FORBIDDEN" in records[0].getMessage()
