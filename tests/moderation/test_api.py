"""The API side: flags through POST …/annotations/<uuid>/flags, and the moderation state in the W3C JSON."""

import json

import pytest
from django.urls import reverse

from annotations import moderating
from moderation.models import AuditEntry, Flag
from tests.moderation.conftest import KINDS, ROLES, SEES


def flags_url(note):
    return reverse("api:annotation-flags", kwargs={"slug": note.article.slug, "note_id": note.pk})


@pytest.fixture
def send_flag(annotation_api, issue_token, world):
    def send(role, note, data):
        person = world.person(role)
        token = issue_token(person) if person is not None else None
        return annotation_api.send("POST", flags_url(note), data, token=token, content_type="application/json")

    return send


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("role", ROLES)
def test_only_a_reader_who_sees_a_note_and_did_not_write_it_flags_it_through_the_api(send_flag, world, role, kind):
    response = send_flag(role, world.notes[kind], {"reason": "spam"})
    if role == "anonymous":
        want = 401
    elif kind not in SEES[role]:
        want = 404
    else:
        want = 400 if role == "author" else 201
    assert response.status_code == want, response.content
    assert Flag.objects.count() == (1 if want == 201 else 0)
    if want != 201:
        assert "error" in response.json()
    else:
        assert response.json()["reason"] == "spam"


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({"reason": "boring"}, 400, "Choose a reason"),
        ({}, 400, "Choose a reason"),
        ({"reason": "other"}, 400, "needs a few words"),
        ({"reason": "spam", "explanation": 3}, 400, "explanation must be text"),
        (["spam"], 400, "JSON object"),
        ("{not json", 400, ""),
    ],
)
def test_a_bad_flag_through_the_api_is_a_problem_that_says_what_to_fix(send_flag, world, body, status, message):
    response = send_flag("flagger", world.notes["public"], body)
    assert response.status_code == status
    assert message in response.json()["error"]
    assert Flag.objects.count() == 0
    assert not AuditEntry.objects.filter(action="flag").exists()


def test_a_second_flag_through_the_api_is_a_409(send_flag, world):
    assert send_flag("flagger", world.notes["public"], {"reason": "spam"}).status_code == 201
    again = send_flag("flagger", world.notes["public"], {"reason": "abusive"})
    assert again.status_code == 409
    assert "already" in again.json()["error"]
    assert list(Flag.objects.values_list("reason", flat=True)) == ["spam"]


def test_the_flags_operation_is_in_the_openapi_document(client):
    spec = client.get("/api/openapi.json").json()
    [path] = [path for path in spec["paths"] if path.endswith("/flags")]
    operation = spec["paths"][path]["post"]
    assert {"201", "400", "401", "404", "409"} <= set(operation["responses"])
    assert "application/json" in operation["requestBody"]["content"]
    assert "moderation" in spec["components"]["schemas"]["Annotation"]["properties"]


def test_the_author_reads_why_her_note_is_hidden_in_the_w3c_json_and_featured_notes_say_so(
    annotation_api, issue_token, world, alice, bob, curator
):
    hidden = annotation_api.send("GET", annotation_api.item(world.notes["hidden"]), token=issue_token(alice)).json()
    assert hidden["moderation"] == {"state": "hidden", "reason": "Off-topic here."}
    pending = annotation_api.send("GET", annotation_api.item(world.notes["pending"]), token=issue_token(alice)).json()
    assert pending["moderation"] == {"state": "pending"}
    bob_token = issue_token(bob)
    assert annotation_api.send("GET", annotation_api.item(world.notes["hidden"]), token=bob_token).status_code == 404
    moderating.feature(curator, world.notes["public"], "A close reading.")
    public = annotation_api.send("GET", annotation_api.item(world.notes["public"]), token=bob_token).json()
    assert "moderation" not in public
    assert public["featured"]["reason"] == "A close reading."
    context = annotation_api.send("GET", reverse("api:context")).json()["@context"]
    assert {"moderation", "state", "reason", "featured"} <= set(context)
    assert json.dumps(public)  # plain JSON all through
