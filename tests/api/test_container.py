"""An article's container: the AnnotationCollection, its pages, Prefer, headers and query count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations.models import Annotation
from tests.annotations.factories import many_notes, note_on_article, note_on_quote, text_of

pytestmark = pytest.mark.django_db

MEDIA_TYPE = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
LDP = "http://www.w3.org/ns/ldp#"


def prefer(*names):
    include = " ".join(LDP + name for name in names)
    return {"Prefer": f'return=representation;include="{include}"'}


def test_the_collection_describes_itself_and_embeds_its_first_page(annotation_api, article, alice):
    note = note_on_quote(alice, article, "abrupt policy changes", visibility="public")
    url = annotation_api.container(article)
    response = annotation_api.send("GET", url)
    assert response.status_code == 200
    body = response.json()
    iri = f"http://testserver{url}"
    assert body["@context"] == ["http://www.w3.org/ns/anno.jsonld", "http://testserver/api/ns/marginalia.jsonld"]
    assert body["id"] == iri
    assert body["type"] == ["BasicContainer", "AnnotationCollection"]
    assert article.title in body["label"]
    assert body["total"] == 1
    assert body["last"] == f"{iri}?page=0"
    first = body["first"]
    assert first["id"] == f"{iri}?page=0"
    assert first["type"] == "AnnotationPage"
    assert first["partOf"] == {"id": iri, "total": 1}
    assert first["startIndex"] == 0
    assert [item["id"] for item in first["items"]] == [f"{iri}{note.pk}"]
    assert "@context" not in first["items"][0]
    assert "next" not in first
    assert "prev" not in first


def test_the_container_sends_the_headers_the_protocol_requires(annotation_api, article):
    url = annotation_api.container(article)
    response = annotation_api.send("GET", url)
    assert response["Content-Type"] == MEDIA_TYPE
    assert f'<{LDP}BasicContainer>; rel="type"' in response["Link"]
    assert f'<http://www.w3.org/TR/annotation-protocol/>; rel="{LDP}constrainedBy"' in response["Link"]
    assert response["Allow"] == "GET, HEAD, OPTIONS, POST"
    assert response["Accept-Post"].startswith("application/ld+json")
    assert response["ETag"]
    for header in ("Accept", "Prefer", "Authorization", "Cookie"):
        assert header in response["Vary"]
    assert response["Content-Location"] == response.json()["id"] == f"http://testserver{url}"
    assert "Prefer" not in response


def test_an_empty_container_has_a_total_of_zero_and_no_pages(annotation_api, article):
    body = annotation_api.send("GET", annotation_api.container(article)).json()
    assert body["total"] == 0
    assert "first" not in body
    assert "last" not in body


def test_head_and_options_answer_200(annotation_api, article):
    url = annotation_api.container(article)
    head = annotation_api.send("HEAD", url)
    assert head.status_code == 200
    assert head.content == b""
    assert head["ETag"] == annotation_api.send("GET", url)["ETag"]
    options = annotation_api.send("OPTIONS", url)
    assert options.status_code == 200
    assert options["Allow"] == "GET, HEAD, OPTIONS, POST"
    assert "Accept-Post" in options


def test_the_etag_changes_when_a_note_is_added(annotation_api, article, alice):
    url = annotation_api.container(article)
    before = annotation_api.send("GET", url)["ETag"]
    note_on_quote(alice, article, "abrupt policy changes", visibility="public")
    assert annotation_api.send("GET", url)["ETag"] != before


def test_prefer_minimal_container_links_to_pages_without_embedding_them(annotation_api, article, alice):
    note_on_quote(alice, article, "abrupt policy changes", visibility="public")
    url = annotation_api.container(article)
    body = annotation_api.send("GET", url, **prefer("PreferMinimalContainer")).json()
    assert body["total"] == 1
    assert body["first"] == body["last"] == f"http://testserver{url}?page=0"
    assert "items" not in body


def test_prefer_contained_iris_lists_items_as_iris(annotation_api, article, alice):
    note = note_on_quote(alice, article, "abrupt policy changes", visibility="public")
    url = annotation_api.container(article)
    body = annotation_api.send("GET", url, **prefer("PreferContainedIRIs")).json()
    assert body["first"]["items"] == [f"http://testserver{url}{note.pk}"]
    assert body["first"]["id"] == f"http://testserver{url}?page=0&iris=1"
    page = annotation_api.send("GET", body["first"]["id"]).json()
    assert page["items"] == [f"http://testserver{url}{note.pk}"]


def test_prefer_contained_descriptions_is_the_default(annotation_api, article, alice):
    note_on_quote(alice, article, "abrupt policy changes", visibility="public")
    url = annotation_api.container(article)
    described = annotation_api.send("GET", url, **prefer("PreferContainedDescriptions")).json()
    assert described == annotation_api.send("GET", url).json()
    assert described["first"]["items"][0]["type"] == "Annotation"


def test_pages_hold_200_notes_and_link_to_each_other(annotation_api, client, article, alice):
    many_notes(article, [alice], 201)
    client.force_login(alice)
    url = annotation_api.container(article)
    iri = f"http://testserver{url}"
    collection = annotation_api.send("GET", url).json()
    assert collection["total"] == 201
    assert len(collection["first"]["items"]) == 200
    assert collection["first"]["next"] == f"{iri}?page=1"
    assert collection["last"] == f"{iri}?page=1"
    response = annotation_api.send("GET", collection["last"])
    assert response["Content-Location"] == collection["last"]
    last = response.json()
    assert last["@context"][0] == "http://www.w3.org/ns/anno.jsonld"
    assert (last["startIndex"], len(last["items"]), last["prev"]) == (200, 1, f"{iri}?page=0")
    assert last["partOf"] == {"id": iri, "total": 201}
    assert "next" not in last
    all_ids = [item["id"] for item in collection["first"]["items"] + last["items"]]
    assert len(set(all_ids)) == 201


def test_items_come_in_reading_order(annotation_api, article, alice):
    text = text_of(article)
    later = note_on_quote(alice, article, "abrupt policy changes", visibility="public")  # third paragraph
    earlier_offset = note_on_quote(
        alice, article, "North Korea shot the missiles", visibility="public"
    )  # second paragraph
    same_place_older = note_on_quote(alice, article, "Early morning", visibility="public", comment="Older.")  # offset 0
    same_place_newer = note_on_quote(alice, article, "Early morning", visibility="public", comment="Newer.")
    whole = note_on_article(alice, article, visibility="public")
    orphan = note_on_quote(alice, article, "Basically", visibility="public")
    Annotation.objects.filter(pk=orphan.pk).update(anchor_status="orphaned", start_paragraph=None, end_paragraph=None)
    assert text.paragraphs[1].key == earlier_offset.start_key
    items = annotation_api.send("GET", annotation_api.container(article)).json()["first"]["items"]
    expected = [whole, same_place_older, same_place_newer, earlier_offset, later, orphan]
    assert [item["id"].rsplit("/", 1)[1] for item in items] == [str(note.pk) for note in expected]


def test_suggested_notes_come_last_with_the_orphans_wherever_they_were(annotation_api, article, alice):
    """A suggested note is not placed in the text (it awaits its author's check): it sorts with the orphans."""
    suggested = note_on_quote(alice, article, "Early morning", visibility="public")  # second paragraph, offset 0
    later = note_on_quote(alice, article, "abrupt policy changes", visibility="public")  # third paragraph
    whole = note_on_article(alice, article, visibility="public")
    orphan = note_on_quote(alice, article, "Basically", visibility="public")
    Annotation.objects.filter(pk=suggested.pk).update(anchor_status="suggested")
    Annotation.objects.filter(pk=orphan.pk).update(anchor_status="orphaned", start_paragraph=None, end_paragraph=None)
    items = annotation_api.send("GET", annotation_api.container(article)).json()["first"]["items"]
    ids = [item["id"].rsplit("/", 1)[1] for item in items]
    assert ids[:2] == [str(whole.pk), str(later.pk)]
    assert set(ids[2:]) == {str(suggested.pk), str(orphan.pk)}


def test_a_page_costs_the_same_queries_for_10_or_300_notes(
    annotation_api, client, article, alice, django_assert_num_queries
):
    url = annotation_api.container(article)
    client.force_login(alice)
    many_notes(article, [alice], 10)
    with CaptureQueriesContext(connection) as ten:
        assert len(annotation_api.send("GET", url).json()["first"]["items"]) == 10
    many_notes(article, [alice], 290, seed=1)
    with django_assert_num_queries(len(ten.captured_queries)):
        assert len(annotation_api.send("GET", url).json()["first"]["items"]) == 200


def test_a_draft_articles_container_is_404_except_for_staff(annotation_api, article, curator, issue_token):
    article.status = article.Status.DRAFT
    article.save()
    url = annotation_api.container(article)
    assert annotation_api.send("GET", url).status_code == 404
    assert annotation_api.send("GET", url, token=issue_token(curator)).status_code == 200
