"""A tag has at most 40 characters: the server refuses a longer one, by the web form and the API,
with a message that names the limit and the tag's length, and saves nothing."""

import pytest
from django.urls import reverse

from annotations.models import Annotation
from annotations.tagging import MAX_TAG_LENGTH, TagError, clean_tags

LONG = "x" * 500


def _post_note(client, article, tags):
    paragraph = article.paragraphs.exclude(text="").first()
    place = {"start_key": paragraph.key, "start_offset": 0, "end_key": paragraph.key, "end_offset": 5}
    return client.post(
        reverse("annotation-create", args=[article.slug]),
        {"comment": "A note.", "tags": tags, "visibility": "private", **place},
    )


def test_a_500_character_tag_from_the_web_form_is_refused_with_the_limit_and_nothing_is_saved(client, alice, article):
    client.force_login(alice)
    response = _post_note(client, article, f"peace, {LONG}")
    assert response.status_code == 400
    assert "longer than 40 characters (it has 500)" in response.content.decode()
    assert not Annotation.objects.exists()


def test_a_500_character_tag_is_refused_in_the_reading_pages_toast(client, alice, article):
    client.force_login(alice)
    paragraph = article.paragraphs.exclude(text="").first()
    response = client.post(
        reverse("annotation-create", args=[article.slug]),
        {"comment": "A note.", "tags": LONG, "start_key": paragraph.key, "start_offset": 0,
         "end_key": paragraph.key, "end_offset": 5},
        headers={"HX-Request": "true"},
    )  # fmt: skip
    assert response.status_code == 400
    assert "<html" not in response.content.decode()
    assert "longer than 40 characters" in response.content.decode()
    assert not Annotation.objects.exists()


def test_a_tag_of_exactly_the_limit_is_saved(client, alice, article):
    client.force_login(alice)
    assert _post_note(client, article, "y" * MAX_TAG_LENGTH).status_code == 302
    assert [tag.name for tag in Annotation.objects.get().tags.all()] == ["y" * MAX_TAG_LENGTH]


def test_a_500_character_tag_through_the_api_is_a_400_naming_the_limit(alice, article, issue_token, annotation_api):
    annotation = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "Annotation",
        "body": [{"type": "TextualBody", "purpose": "tagging", "value": LONG}],
        "target": f"http://testserver/articles/{article.slug}/",
    }
    response = annotation_api.send("POST", annotation_api.container(article), annotation, token=issue_token(alice))
    assert response.status_code == 400
    assert "longer than 40 characters (it has 500)" in response.json()["error"]
    assert not Annotation.objects.exists()


def test_a_tag_that_normalising_lengthens_says_why_it_counts_longer():
    typed = "a" * (MAX_TAG_LENGTH - 1) + "ﬁ"  # 40 as typed, 41 once the ligature is written out
    with pytest.raises(TagError, match=r"\(it has 41\).*Ligatures"):
        clean_tags([typed])
