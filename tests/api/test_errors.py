"""Every error of the API is JSON, `{"error": …}`, with DEBUG on or off: a path it lacks, a method an
address lacks, a crash, a NUL character in the address."""

import pytest
from django.test import Client

from annotations.models import Annotation
from tests.annotations.factories import note_on_quote

pytestmark = pytest.mark.django_db


@pytest.fixture(params=[True, False], ids=["debug on", "debug off"])
def debug(request, settings):
    settings.DEBUG = request.param
    return request.param


@pytest.fixture
def note(alice, article):
    return note_on_quote(alice, article, "abrupt policy changes", visibility="public")


def json_error(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    message = response.json()["error"]
    assert message
    return message


def test_a_path_the_api_does_not_have_is_a_json_404(client, debug):
    message = json_error(client.get("/api/no/such/thing"), 404)
    assert "/api/no/such/thing" in message
    assert "/api/docs" in message


def test_a_container_without_its_slash_is_a_json_404_that_names_the_right_address(client, article, debug):
    message = json_error(client.get(f"/api/articles/{article.slug}/annotations"), 404)
    assert f"did you mean /api/articles/{article.slug}/annotations/?" in message


def test_a_method_an_address_lacks_is_a_json_405_with_allow(annotation_api, note, debug):
    response = annotation_api.send("PATCH", annotation_api.item(note), {"bodyValue": "x"})
    assert "PATCH is not allowed here" in json_error(response, 405)
    assert set(response["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS", "PUT", "DELETE"}


def test_a_bad_query_parameter_is_a_json_400(annotation_api, article, debug):
    response = annotation_api.send("GET", annotation_api.container(article) + "?page=two")
    assert "page" in json_error(response, 400)


def test_a_page_number_of_thousands_of_digits_is_a_json_400(annotation_api, article, debug):
    response = annotation_api.send("GET", annotation_api.container(article) + "?page=" + "9" * 5000)
    assert "page" in json_error(response, 400)


def test_a_crash_is_a_json_500_that_gives_nothing_away_and_is_logged(monkeypatch, article, caplog, debug):
    def crash(*args, **kwargs):
        raise RuntimeError("the secret inner workings")

    monkeypatch.setattr("api.serialising.collection", crash)
    response = Client(raise_request_exception=False).get(f"/api/articles/{article.slug}/annotations/")
    message = json_error(response, 500)
    assert "went wrong on our side" in message
    assert "secret" not in response.content.decode()
    assert any(record.exc_info and "secret" in str(record.exc_info[1]) for record in caplog.records)


def test_a_crash_still_reaches_the_test_clients_exception_report(monkeypatch, article):
    monkeypatch.setattr("api.serialising.collection", lambda *args, **kwargs: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        Client().get(f"/api/articles/{article.slug}/annotations/")


@pytest.mark.parametrize(
    "url",
    [
        "/api/articles/%00/annotations/",
        "/api/articles/north-korean-missile-crisis%00/annotations/",
        "/api/articles/north-korean-missile-crisis/annotations/%00",
        "/api/articles/north-korean-missile-crisis/annotations/?page=%00",
        "/api/articles/north-korean-missile-crisis/annotations/?%00=1",
    ],
)
def test_a_nul_in_an_api_address_is_a_json_400(annotation_api, article, alice, issue_token, url, debug):
    for method in ("GET", "POST", "PUT", "DELETE"):
        body = {"type": "Annotation", "target": "http://testserver/articles/north-korean-missile-crisis/"}
        response = annotation_api.send(method, url, body, token=issue_token(alice))
        assert "NUL" in json_error(response, 400)
    assert not Annotation.objects.exists()
