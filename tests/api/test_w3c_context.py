"""Our JSON-LD context declares what anno.jsonld lacks, so a JSON-LD processor drops nothing we send.

Checked with pyld while building this: expanding a served collection with both contexts keeps
`visibility` and `anchorStatus` (as …/api/ns/marginalia#visibility and #anchorStatus), and compacting
it back gives the same keys. The tests below state the reason without needing pyld: every key and
every `type` value we serve is a term of anno.jsonld or of our context.
"""

import json

import pytest

from annotations.models import Annotation
from tests.annotations.factories import note_on_article, note_on_quote, note_on_range, text_of

pytestmark = pytest.mark.django_db


def test_the_context_document_declares_our_terms_under_our_namespace(client):
    response = client.get("/api/ns/marginalia.jsonld")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    context = response.json()["@context"]
    assert context["mgl"] == "http://testserver/api/ns/marginalia#"
    assert context["visibility"] == "mgl:visibility"
    assert context["anchorStatus"] == "mgl:anchorStatus"
    assert context["seminar"] == "mgl:seminar"
    assert context["BasicContainer"] == "ldp:BasicContainer"


def test_every_served_annotation_names_our_context(annotation_api, article, alice):
    note = note_on_quote(alice, article, "abrupt policy changes", visibility="public")
    body = annotation_api.send("GET", annotation_api.item(note)).json()
    assert body["@context"] == ["http://www.w3.org/ns/anno.jsonld", "http://testserver/api/ns/marginalia.jsonld"]


def _keys_and_types(value, found):
    if isinstance(value, dict):
        for key, item in value.items():
            found["keys"].add(key)
            if key == "type":
                found["types"].update(item if isinstance(item, list) else [item])
            _keys_and_types(item, found)
    elif isinstance(value, list):
        for item in value:
            _keys_and_types(item, found)
    return found


def test_every_key_and_type_we_serve_is_a_term_of_one_of_our_two_contexts(
    w3c_script, client, annotation_api, article, alice
):
    kit = w3c_script("validate_model").folder
    anno_terms = set(json.loads((kit / "anno.jsonld").read_text())["@context"])
    our_terms = set(client.get("/api/ns/marginalia.jsonld").json()["@context"])
    first, second = text_of(article).paragraphs[1:3]
    note_on_quote(alice, article, "abrupt policy changes", comment="Hm", tags=["t"], visibility="public")
    note_on_range(alice, article, first.key, 50, second.key, 9, visibility="public")
    note_on_article(alice, article, canonical="urn:uuid:1", via="https://e.org/", visibility="public")
    orphan = note_on_quote(alice, article, "unpredictability", visibility="public")
    Annotation.objects.filter(pk=orphan.pk).update(anchor_status="orphaned")
    collection = annotation_api.send("GET", annotation_api.container(article)).json()
    found = _keys_and_types(collection, {"keys": set(), "types": set()})
    undefined = {term for term in found["keys"] | found["types"] if not term.startswith("@")}
    undefined -= anno_terms | our_terms
    assert undefined == set()
    assert {"visibility", "anchorStatus", "BasicContainer"} <= found["keys"] | found["types"]
    assert {"visibility", "anchorStatus", "BasicContainer"}.isdisjoint(anno_terms)
