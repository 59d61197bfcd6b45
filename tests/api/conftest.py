"""Fixtures of the API tests."""

import pytest


@pytest.fixture
def put_annotation(annotation_api):
    """PUT as a careful client does: with the ETag of the version it read (GET) in If-Match.

    A caller who may not read the annotation gets no ETag, and sends `If-Match: *`.
    """

    def put(url, data, *, token):
        etag = annotation_api.send("GET", url, token=token).get("ETag", "*")
        return annotation_api.send("PUT", url, data, token=token, **{"If-Match": etag})

    return put


@pytest.fixture(scope="module")
def spec():
    """/api/openapi.json, as a client reads it."""
    from django.test import Client

    return Client().get("/api/openapi.json").json()
