"""GET /api/search: the annotations one may see that match, as an AnnotationCollection; bad queries are 400s."""

import json

import pytest

from api import serialising
from tests.annotations.factories import note_on_quote

pytestmark = pytest.mark.django_db


def get(client, query, status=200, **params):
    response = client.get("/api/search", {"q": query, **params})
    assert response.status_code == status, response.content.decode()[:1000]
    return json.loads(response.content)


def note_ids(collection):
    items = collection.get("first", {}).get("items", []) if "first" in collection else collection["items"]
    return [item["id"].rsplit("/", 1)[1] for item in items]


def test_alice_finds_her_private_note_and_charlie_does_not(client, notes, alice, charlie):
    client.force_login(charlie)
    assert get(client, "zeppelin")["total"] == 0
    client.force_login(alice)
    found = get(client, "zeppelin")
    assert found["total"] == 1
    assert note_ids(found) == [str(notes["private"].pk)]


def test_the_answer_is_a_w3c_annotation_collection(client, notes):
    found = get(client, "diplomacy")
    assert found["type"] == ["AnnotationCollection"]
    assert found["@context"][0] == serialising.ANNO_CONTEXT
    assert found["total"] == 2
    item = found["first"]["items"][0]
    assert item["type"] == "Annotation"
    assert item["id"].endswith(f"/api/articles/geneva/annotations/{item['id'].rsplit('/', 1)[1]}")
    assert found["first"]["partOf"]["total"] == 2
    assert "/api/search?q=diplomacy" in found["id"]


def test_seminar_and_private_notes_stay_with_their_readers(client, notes, curator, bob):
    client.force_login(curator)
    assert get(client, "walruses")["total"] == 0
    assert get(client, "zeppelin")["total"] == 0
    client.force_login(bob)
    assert note_ids(get(client, "walruses")) == [str(notes["seminar"].pk)]


def test_results_come_in_pages_of_two_hundred(client, library, alice):
    for n in range(serialising.PAGE_SIZE + 1):
        note_on_quote(alice, library, "valley", comment=f"Glacier note {n}.", visibility="public")
    found = get(client, "glacier")
    assert found["total"] == 201
    assert len(found["first"]["items"]) == 200
    last = get(client, "glacier", page=1)
    assert last["type"] == "AnnotationPage"
    assert last["startIndex"] == 200
    assert len(last["items"]) == 1
    assert "prev" in last
    assert "next" not in last
    assert get(client, "glacier", page=2, status=404)["error"].startswith("There is no page 2")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("tag:nosuchtag", "No note you can see is tagged"),
        ("by:nobody", "There is no reader called"),
        ("in:nowhere", "There is no article"),
        ("is:whatever", "is not something to search for"),
        ("x" * 10_000, "10,000 characters long"),
        ("", "The query is empty"),
    ],
)
def test_a_query_that_cannot_run_is_a_400_saying_why(client, notes, query, message):
    assert message in get(client, query, status=400)["error"]


def test_a_missing_query_is_a_400(client, db):
    response = client.get("/api/search")
    assert response.status_code == 400
    assert "q" in json.loads(response.content)["error"]


def test_search_is_in_the_openapi_document(client, db):
    document = json.loads(client.get("/api/openapi.json").content)
    operation = document["paths"]["/api/search"]["get"]
    assert {parameter["name"] for parameter in operation["parameters"]} >= {"q", "page"}
    assert "400" in operation["responses"]
