"""/api/openapi.json describes the W3C JSON truly: typed bodies, and what the API serves validates against them."""

import pytest
from jsonschema import Draft202012Validator

from annotations.models import Annotation
from annotations.writing import create_reply
from api.openapi import EXAMPLE
from seminars.models import Membership, Seminar
from tests.annotations.factories import note_on_article, note_on_quote, note_on_range, text_of

pytestmark = pytest.mark.django_db

CONTAINER = "/api/articles/{slug}/annotations/"
ITEM = "/api/articles/{slug}/annotations/{note_id}"
MEDIA_TYPE = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'


def schema(spec, name):
    return spec["components"]["schemas"][name]


def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def errors(spec, name, document):
    """What is wrong with `document` as the named component: [] when it validates."""
    validator = Draft202012Validator(
        {**ref(name), "components": spec["components"]}, format_checker=Draft202012Validator.FORMAT_CHECKER
    )
    return [f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in validator.iter_errors(document)]


def test_post_and_put_take_an_annotation_as_json_ld_or_json(spec):
    for path, method in [(CONTAINER, "post"), (ITEM, "put")]:
        content = spec["paths"][path][method]["requestBody"]["content"]
        assert set(content) == {"application/ld+json", "application/json"}
        assert all(media["schema"] == ref("Annotation") for media in content.values())


def test_the_annotation_types_its_target_and_its_bodies(spec):
    annotation = schema(spec, "Annotation")
    assert annotation["required"] == ["target"]
    assert annotation["properties"]["target"] == ref("Target")
    one, many = annotation["properties"]["body"]["anyOf"][0]["oneOf"]
    assert one == ref("TextualBody")
    assert many == {"type": "array", "items": ref("TextualBody")}
    assert "@context" in annotation["properties"]
    assert set(schema(spec, "TextualBody")["properties"]["purpose"]["anyOf"][0]["enum"]) >= {"commenting", "tagging"}


def test_a_target_is_an_iri_a_specific_resource_or_a_list_of_one_of_those(spec):
    iri, resource, listed = schema(spec, "Target")["oneOf"]
    assert iri["type"] == "string"
    assert resource == ref("SpecificResource")
    assert (listed["type"], listed["minItems"], listed["maxItems"]) == ("array", 1, 1)
    selector = schema(spec, "SpecificResource")["properties"]["selector"]["anyOf"][0]["oneOf"]
    assert selector == [ref("Selector"), {"type": "array", "items": ref("Selector")}]


def test_each_selector_has_its_own_schema_and_the_union_is_discriminated_by_type(spec):
    kinds = ["FragmentSelector", "RangeSelector", "TextQuoteSelector"]
    selector = schema(spec, "Selector")
    assert selector["discriminator"] == {
        "propertyName": "type",
        "mapping": {kind: ref(kind)["$ref"] for kind in kinds},
    }
    assert selector["oneOf"] == [ref(kind) for kind in kinds]
    for kind in [*kinds, "TextPositionSelector"]:
        assert schema(spec, kind)["properties"]["type"]["const"] == kind
        assert "type" in schema(spec, kind)["required"]
    assert schema(spec, "FragmentSelector")["properties"]["refinedBy"]["anyOf"][0] == ref("TextPositionSelector")
    assert schema(spec, "RangeSelector")["properties"]["startSelector"] == ref("FragmentSelector")
    offsets = schema(spec, "TextPositionSelector")["properties"]
    assert (offsets["start"]["type"], offsets["start"]["minimum"]) == ("integer", 0)


def test_answers_are_typed_json_ld_and_errors_are_a_json_problem(spec):
    container, item = spec["paths"][CONTAINER], spec["paths"][ITEM]
    listing = container["get"]["responses"]["200"]["content"]
    assert listing[MEDIA_TYPE]["schema"]["anyOf"] == [ref("AnnotationCollection"), ref("AnnotationPage")]
    assert container["post"]["responses"]["201"]["content"] == {MEDIA_TYPE: {"schema": ref("Annotation")}}
    for method in ("get", "put"):
        assert item[method]["responses"]["200"]["content"] == {MEDIA_TYPE: {"schema": ref("Annotation")}}
    assert container["post"]["responses"]["400"]["content"] == {"application/json": {"schema": ref("Problem")}}
    assert schema(spec, "Problem")["required"] == ["error"]
    assert schema(spec, "AnnotationPage")["properties"]["items"]["items"]["anyOf"][0] == ref("Annotation")


def test_the_documented_example_is_a_valid_annotation(spec):
    example = spec["paths"][CONTAINER]["post"]["requestBody"]["content"]["application/ld+json"]["example"]
    assert example["body"] == EXAMPLE["body"]
    assert errors(spec, "Annotation", example) == []


@pytest.mark.parametrize("host", ["testserver", "localhost:8123", "127.0.0.1:9000"])
def test_the_document_names_the_host_that_asked_for_it_so_its_example_works_there(
    annotation_api, article, alice, issue_token, host
):
    from django.test import Client

    client = Client(headers={"host": host})
    spec = client.get("/api/openapi.json").json()
    assert spec["servers"] == [{"url": f"http://{host}", "description": "This site"}]
    example = spec["paths"][CONTAINER]["post"]["requestBody"]["content"]["application/json"]["example"]
    assert example["target"]["source"] == f"http://{host}/articles/{article.slug}/"
    response = client.post(
        annotation_api.container(article),
        example,
        content_type="application/ld+json",
        headers={"authorization": f"Bearer {issue_token(alice)}"},
    )
    assert response.status_code == 201, response.content
    assert response.json()["id"].startswith(f"http://{host}/api/")
    assert errors(spec, "Annotation", response.json()) == []


def test_every_operation_has_an_operation_id_of_its_own(spec):
    ids = [operation["operationId"] for item in spec["paths"].values() for operation in item.values()]
    # with GET /api/notebook/export, GET and HEAD /api/search, POST …/annotations/<uuid>/flags
    assert len(ids) == len(set(ids)) == 14


def test_head_answers_only_headers(spec):
    for path in (CONTAINER, ITEM):
        head, get = spec["paths"][path]["head"], spec["paths"][path]["get"]
        assert head["operationId"] == get["operationId"] + "_head"
        assert set(head["responses"]) == set(get["responses"])
        assert all("content" not in answer for answer in head["responses"].values())
        assert "content" in get["responses"]["200"]


def test_what_the_schema_refuses_the_api_refuses_with_a_message(spec, annotation_api, article, alice, issue_token):
    refused = [
        {"target": {"source": "http://testserver/articles/x/", "selector": {"type": "XPathSelector", "value": "/p"}}},
        {"target": "http://testserver/articles/x/", "body": {"type": "TextualBody", "value": 3}},
        {"target": "http://testserver/articles/x/", "motivation": "editing"},
    ]
    for document in refused:
        assert errors(spec, "Annotation", document) != []
        response = annotation_api.send("POST", annotation_api.container(article), document, token=issue_token(alice))
        assert response.status_code == 400
        assert response.json()["error"]


@pytest.fixture
def served(annotation_api, article, alice, issue_token):
    """Every kind of annotation as the API serves it, and the collection and pages around them."""
    first, second = text_of(article).paragraphs[1:3]
    whole = note_on_article(alice, article, comment="On the whole.", visibility="public")
    notes = [
        note_on_quote(alice, article, "abrupt policy changes", comment="Why *abrupt*?", tags=["policy"]),
        note_on_range(alice, article, first.key, 50, second.key, 9),
        whole,
        note_on_quote(alice, article, "unpredictability"),
        note_on_article(
            alice, article, canonical="urn:uuid:0c4f0f6e-0000-4000-8000-000000000000", via="https://e.org/1"
        ),
        create_reply(alice, whole, comment="And a second thought."),
    ]
    seminar = Seminar.objects.create(slug="korea", name="Korea")
    Membership.objects.create(seminar=seminar, user=alice)
    notes.append(note_on_article(alice, article, visibility="seminar", seminar=seminar))
    Annotation.objects.filter(pk=notes[3].pk).update(anchor_status="orphaned", start_paragraph=None, end_paragraph=None)
    token, url = issue_token(alice), annotation_api.container(article)
    documents = [annotation_api.send("GET", annotation_api.item(note), token=token).json() for note in notes]
    return {
        "annotations": documents,
        "collection": annotation_api.send("GET", url, token=token).json(),
        "pages": [
            annotation_api.send("GET", url + query, token=token).json() for query in ("?page=0", "?page=0&iris=1")
        ],
    }


def test_every_kind_of_served_annotation_fits_the_annotation_schema(spec, served):
    assert {type(document["target"]) for document in served["annotations"]} == {str, dict}
    for document in served["annotations"]:
        assert errors(spec, "Annotation", document) == [], document


def test_the_served_collection_and_pages_fit_their_schemas(spec, served):
    assert errors(spec, "AnnotationCollection", served["collection"]) == []
    assert served["collection"]["first"]["items"]
    for page in served["pages"]:
        assert errors(spec, "AnnotationPage", page) == []


def test_a_served_annotation_sent_back_is_a_valid_request_body(spec, served, put_annotation, alice, issue_token):
    document = served["annotations"][0]
    response = put_annotation(document["id"], document, token=issue_token(alice))
    assert response.status_code == 200, response.content
    assert errors(spec, "Annotation", response.json()) == []
