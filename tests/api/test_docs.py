"""The API describes itself: OpenAPI at /api/openapi.json, readable docs at /api/docs."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_openapi_document_lists_the_container_and_the_item(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    assert spec["info"]["title"] == "Marginalia"
    container = spec["paths"]["/api/articles/{slug}/annotations/"]
    item = spec["paths"]["/api/articles/{slug}/annotations/{note_id}"]
    assert {"get", "post"} <= set(container)
    assert {"get", "put", "delete"} <= set(item)


def test_the_docs_page_is_served_without_signing_in(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    assert "/api/openapi.json" in response.content.decode()
