"""A NUL character (%00) in an address is answered with a 400 and a message, and changes nothing.

On PostgreSQL a NUL reaching a lookup was a 500; run these there too:
DATABASE_URL=postgres://… pytest tests/test_nul_in_addresses.py
"""

import json

import pytest
from django.urls import reverse

from annotations.models import Annotation
from seminars.models import Membership
from tests.annotations.factories import PUBLIC, note_on_quote

pytestmark = pytest.mark.django_db

MESSAGE = "The address contains a NUL character (%00)"

ADDRESSES = [
    "/tags/%00/",
    "/people/%00/",
    "/seminars/join/%00/",
    "/seminars/%00/",
    "/articles/%00/",
    "/articles/{slug}/notes/at/%00/",
    "/articles/{slug}/?tag=%00",
    "/articles/{slug}/?seminar=%00",
    "/articles/{slug}/?scope=all&seminar=korea%002006",
    "/articles/{slug}/notes/new/?seminar=%00",
    "/articles/{slug}/notes/new/?paragraph=%00",
    "/tags/?page=%00",
    "/?%00=1",
]


@pytest.fixture
def signed_in_charlie(client, charlie):
    client.force_login(charlie)
    client.raise_request_exception = False
    return client


@pytest.mark.parametrize("address", ADDRESSES)
def test_a_nul_in_an_address_is_a_400_that_says_why(signed_in_charlie, article, seminar, address):
    response = signed_in_charlie.get(address.format(slug=article.slug))
    assert response.status_code == 400
    assert MESSAGE in response.content.decode()


def test_a_nul_in_an_api_address_is_a_400_in_json(client, article):
    client.raise_request_exception = False
    response = client.get(f"/api/articles/{article.slug}/annotations/?page=%00")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert MESSAGE in json.loads(response.content)["error"]


def test_joining_through_a_nul_join_code_joins_nobody(signed_in_charlie, charlie, seminar):
    response = signed_in_charlie.post("/seminars/join/%00/")
    assert response.status_code == 400
    assert not Membership.objects.filter(user=charlie).exists()


def test_a_note_posted_to_a_nul_address_is_not_saved(client, alice, article):
    client.force_login(alice)
    response = client.post(reverse("annotation-create", args=[article.slug]) + "?seminar=%00", {"comment": "Hi"})
    assert response.status_code == 400
    assert not Annotation.objects.exists()


def test_the_400_page_shows_charlie_none_of_alices_notes(signed_in_charlie, alice, article):
    note_on_quote(alice, article, "kind of mysteries", comment="privatesecret")
    page = signed_in_charlie.get("/people/alice%00/?tag=%00").content.decode()
    assert "privatesecret" not in page


@pytest.mark.parametrize("value", ["seminar:a\x00b", "seminar:\x00", "pub\x00lic"])
def test_a_nul_in_the_visibility_of_a_note_is_refused_and_nothing_changes(client, alice, article, seminar, value):
    client.force_login(alice)
    note = note_on_quote(alice, article, "kind of mysteries", comment="Kept", visibility=PUBLIC)
    response = client.post(reverse("annotation-create", args=[article.slug]), {"visibility": value, "comment": "x"})
    assert response.status_code == 400
    assert "is not one of" in response.content.decode()
    response = client.post(reverse("annotation-edit", args=[note.pk]), {"visibility": value, "comment": "Changed"})
    assert response.status_code == 400
    note.refresh_from_db()
    assert (Annotation.objects.count(), note.visibility, note.comment) == (1, PUBLIC, "Kept")


def test_a_nul_in_the_article_added_to_a_reading_list_is_refused_with_a_message(client, alice, seminar):
    client.force_login(alice)
    client.raise_request_exception = False
    response = client.post(reverse("seminar-add-article", args=[seminar.slug]), {"article": "a\x00"}, follow=True)
    assert response.status_code == 400
    assert "Choose an article from the list." in response.content.decode()
    assert not seminar.reading_list.exists()
