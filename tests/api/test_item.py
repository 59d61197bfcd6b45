"""One annotation: GET, HEAD, OPTIONS, PUT (with If-Match) and DELETE."""

import pytest

from annotations.models import Annotation
from tests.annotations.factories import note_on_article, note_on_quote, note_on_range, text_of

pytestmark = pytest.mark.django_db

MEDIA_TYPE = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'


@pytest.fixture
def token(alice, issue_token):
    return issue_token(alice)


@pytest.fixture
def note(article, alice):
    return note_on_quote(
        alice, article, "abrupt policy changes", visibility="public", comment="Why *abrupt*?", tags=["policy"]
    )


def test_an_annotation_is_served_as_w3c_json_ld_with_the_protocol_headers(annotation_api, note):
    response = annotation_api.send("GET", annotation_api.item(note))
    assert response.status_code == 200
    assert response["Content-Type"] == MEDIA_TYPE
    assert response["Link"] == '<http://www.w3.org/ns/ldp#Resource>; rel="type"'
    assert response["Allow"] == "GET, HEAD, OPTIONS, PUT, DELETE"
    assert "Accept" in response["Vary"]
    assert response["ETag"].startswith('"')
    body = response.json()
    assert body["@context"][0] == "http://www.w3.org/ns/anno.jsonld"
    assert body["id"] == f"http://testserver{annotation_api.item(note)}"
    assert body["type"] == "Annotation"
    assert body["motivation"] == "commenting"
    assert body["visibility"] == "public"
    assert body["body"] == [
        {"type": "TextualBody", "value": "Why *abrupt*?", "format": "text/markdown", "purpose": "commenting"},
        {"type": "TextualBody", "value": "policy", "purpose": "tagging"},
    ]
    assert body["created"].endswith("Z")


def test_a_one_paragraph_target_is_a_fragment_refined_by_a_position_beside_the_quote(annotation_api, note):
    target = annotation_api.send("GET", annotation_api.item(note)).json()["target"]
    assert target["source"] == f"http://testserver/articles/{note.article.slug}/"
    position, quote = target["selector"]
    assert position == {
        "type": "FragmentSelector",
        "conformsTo": "http://tools.ietf.org/rfc/rfc3986",
        "value": note.start_key,
        "refinedBy": {"type": "TextPositionSelector", "start": note.start_offset, "end": note.end_offset},
    }
    assert quote == {
        "type": "TextQuoteSelector",
        "exact": "abrupt policy changes",
        "prefix": note.quote_prefix,
        "suffix": note.quote_suffix,
    }


def test_a_cross_paragraph_target_is_a_range_of_two_points_beside_the_quote(annotation_api, article, alice, token):
    text = text_of(article)
    first, second = text.paragraphs[1], text.paragraphs[2]
    note = note_on_range(alice, article, first.key, 50, second.key, 9)
    range_selector, quote = annotation_api.send("GET", annotation_api.item(note), token=token).json()["target"][
        "selector"
    ]
    assert range_selector["type"] == "RangeSelector"
    assert range_selector["startSelector"]["value"] == first.key
    assert range_selector["startSelector"]["refinedBy"] == {"type": "TextPositionSelector", "start": 50, "end": 50}
    assert range_selector["endSelector"]["value"] == second.key
    assert range_selector["endSelector"]["refinedBy"] == {"type": "TextPositionSelector", "start": 9, "end": 9}
    assert quote["exact"] == first.text[50:] + "\n\n" + second.text[:9]


def test_a_note_on_the_whole_article_targets_the_article_iri(annotation_api, article, alice):
    note = note_on_article(alice, article, visibility="public", comment="On the whole.")
    body = annotation_api.send("GET", annotation_api.item(note)).json()
    assert body["target"] == f"http://testserver/articles/{note.article.slug}/"
    assert body["motivation"] == "commenting"


def test_an_orphaned_note_keeps_only_its_quote(annotation_api, note):
    Annotation.objects.filter(pk=note.pk).update(anchor_status="orphaned", start_paragraph=None, end_paragraph=None)
    target = annotation_api.send("GET", annotation_api.item(note)).json()["target"]
    assert target["anchorStatus"] == "orphaned"
    assert target["selector"]["type"] == "TextQuoteSelector"
    assert target["selector"]["exact"] == "abrupt policy changes"


def test_head_and_options_answer_200_with_the_headers(annotation_api, note):
    head = annotation_api.send("HEAD", annotation_api.item(note))
    assert head.status_code == 200
    assert head.content == b""
    assert head["ETag"] == annotation_api.send("GET", annotation_api.item(note))["ETag"]
    options = annotation_api.send("OPTIONS", annotation_api.item(note))
    assert options.status_code == 200
    assert options["Allow"] == "GET, HEAD, OPTIONS, PUT, DELETE"


def _replacement(annotation_api, note, **changes):
    current = annotation_api.send("GET", annotation_api.item(note)).json()
    return {**current, **changes}


def test_put_replaces_the_body_and_returns_the_new_annotation(annotation_api, put_annotation, note, token):
    data = _replacement(annotation_api, note, body={"type": "TextualBody", "value": "Changed my mind."})
    response = put_annotation(annotation_api.item(note), data, token=token)
    assert response.status_code == 200, response.content
    assert response.json()["body"] == [
        {"type": "TextualBody", "value": "Changed my mind.", "format": "text/markdown", "purpose": "commenting"}
    ]
    note.refresh_from_db()
    assert note.comment == "Changed my mind."
    assert list(note.tags.names()) == []
    assert note.visibility == "public"


def test_put_leaves_out_what_it_does_not_send(annotation_api, put_annotation, note, token):
    key = note.start_key  # a note on the whole article needs a comment: this one keeps to its paragraph
    data = {"type": "Annotation", "target": f"http://testserver/articles/{note.article.slug}/#{key}"}
    response = put_annotation(annotation_api.item(note), data, token=token)
    assert response.status_code == 200
    note.refresh_from_db()
    assert (note.comment, note.visibility, note.start_key, note.start_offset) == ("", "private", key, 0)


def test_put_can_move_the_note_to_another_passage(annotation_api, put_annotation, note, token):
    target = {"source": f"http://testserver/articles/{note.article.slug}/"}
    target["selector"] = {"type": "TextQuoteSelector", "exact": "unpredictability"}
    response = put_annotation(annotation_api.item(note), _replacement(annotation_api, note, target=target), token=token)
    assert response.status_code == 200
    note.refresh_from_db()
    assert note.quote_exact == "unpredictability"


def test_put_of_an_orphaned_note_with_its_target_unchanged_keeps_it_orphaned(
    annotation_api, put_annotation, note, token
):
    Annotation.objects.filter(pk=note.pk).update(
        anchor_status="orphaned", start_paragraph=None, end_paragraph=None, quote_exact="text that was removed"
    )
    data = _replacement(annotation_api, note, visibility="private")
    response = put_annotation(annotation_api.item(note), data, token=token)
    assert response.status_code == 200, response.content
    note.refresh_from_db()
    assert (note.anchor_status, note.visibility, note.quote_exact) == ("orphaned", "private", "text that was removed")


def test_put_with_the_current_etag_in_if_match_succeeds(annotation_api, note, token):
    etag = annotation_api.send("GET", annotation_api.item(note))["ETag"]
    data = _replacement(annotation_api, note, bodyValue="Fresh.", body=None)
    response = annotation_api.send("PUT", annotation_api.item(note), data, token=token, **{"If-Match": etag})
    assert response.status_code == 200, response.content
    assert response["ETag"] != etag


def test_put_with_a_stale_etag_is_412_and_changes_nothing(annotation_api, put_annotation, note, token):
    stale = annotation_api.send("GET", annotation_api.item(note))["ETag"]
    data = _replacement(annotation_api, note, body={"type": "TextualBody", "value": "first edit"})
    assert put_annotation(annotation_api.item(note), data, token=token).status_code == 200
    data = _replacement(annotation_api, note, body={"type": "TextualBody", "value": "second edit"})
    response = annotation_api.send("PUT", annotation_api.item(note), data, token=token, **{"If-Match": stale})
    assert response.status_code == 412
    assert "changed since you read it" in response.json()["error"]
    note.refresh_from_db()
    assert note.comment == "first edit"


def test_put_without_if_match_is_428_and_changes_nothing(annotation_api, note, token):
    data = _replacement(annotation_api, note, bodyValue="Overwritten blindly.", body=None)
    response = annotation_api.send("PUT", annotation_api.item(note), data, token=token)
    assert response.status_code == 428
    assert response["Content-Type"] == "application/json"
    message = response.json()["error"]
    assert "If-Match" in message
    assert annotation_api.send("GET", annotation_api.item(note))["ETag"] in message
    note.refresh_from_db()
    assert note.comment == "Why *abrupt*?"


def test_put_with_if_match_star_replaces_whatever_version_is_there(annotation_api, note, token):
    data = _replacement(annotation_api, note, bodyValue="Whatever was there.", body=None)
    response = annotation_api.send("PUT", annotation_api.item(note), data, token=token, **{"If-Match": "*"})
    assert response.status_code == 200, response.content
    note.refresh_from_db()
    assert note.comment == "Whatever was there."


def test_put_with_bad_input_changes_nothing(annotation_api, put_annotation, note, token):
    data = _replacement(annotation_api, note, visibility="everyone", bodyValue="new", body=None)
    response = put_annotation(annotation_api.item(note), data, token=token)
    assert response.status_code == 400
    assert "everyone" in response.json()["error"]
    note.refresh_from_db()
    assert (note.comment, note.visibility) == ("Why *abrupt*?", "public")


def test_delete_removes_the_note_and_then_it_is_gone(annotation_api, note, token):
    response = annotation_api.send("DELETE", annotation_api.item(note), token=token)
    assert response.status_code == 204
    assert not Annotation.objects.filter(pk=note.pk).exists()
    assert annotation_api.send("GET", annotation_api.item(note)).status_code == 404


def test_delete_with_a_stale_etag_is_412(annotation_api, note, token):
    response = annotation_api.send("DELETE", annotation_api.item(note), token=token, **{"If-Match": '"stale"'})
    assert response.status_code == 412
    assert Annotation.objects.filter(pk=note.pk).exists()


def test_a_revoked_token_can_no_longer_write(annotation_api, note, alice, token):
    alice.api_tokens.all().delete()
    response = annotation_api.send("DELETE", annotation_api.item(note), token=token)
    assert response.status_code == 401
    assert Annotation.objects.filter(pk=note.pk).exists()


def test_get_put_and_delete_answer_405_to_post(annotation_api, note, token):
    response = annotation_api.send("POST", annotation_api.item(note), {"target": "x"}, token=token)
    assert response.status_code == 405
