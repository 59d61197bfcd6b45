"""Pages are gzipped for clients that accept it, with Django's BREACH mitigation kept; the API's
answers are not, so their ETags stay strong for If-Match."""

import gzip
import re

import pytest

pytestmark = pytest.mark.django_db

CSRF_IN_PAGE = re.compile(r'"x-csrftoken": "([^"]+)"')


def test_the_reading_page_is_gzipped_when_the_browser_accepts_it(client, article):
    response = client.get(article.get_absolute_url(), headers={"Accept-Encoding": "gzip, deflate, br"})
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    page = gzip.decompress(response.content).decode()
    assert article.title in page
    assert len(response.content) < len(page.encode()) / 2


def test_the_reading_page_is_sent_plain_to_a_client_that_does_not_accept_gzip(client, article):
    response = client.get(article.get_absolute_url())
    assert not response.has_header("Content-Encoding")
    assert article.title in response.content.decode()


def test_each_gzipped_page_carries_a_csrf_token_masked_anew(client, alice, article):
    """BREACH guesses a secret from the size of compressed pages; Django masks the CSRF token
    differently in every response (and pads each gzip header), so there is no fixed secret to guess."""
    client.force_login(alice)
    tokens = []
    for _ in range(2):
        response = client.get(article.get_absolute_url(), headers={"Accept-Encoding": "gzip"})
        assert response["Content-Encoding"] == "gzip"
        tokens.append(CSRF_IN_PAGE.search(gzip.decompress(response.content).decode())[1])
    assert tokens[0] != tokens[1]


def test_the_api_is_not_gzipped_so_its_etag_stays_strong(client, article):
    url = f"/api/articles/{article.slug}/annotations/"
    response = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")
    assert response["ETag"].startswith('"')
