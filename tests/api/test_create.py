"""POST to an article's container: every kind of target and body the API accepts."""

import pytest

from annotations.anchoring import ArticleText
from annotations.models import Annotation

pytestmark = pytest.mark.django_db

REPEATED = "North Korea shot the missiles"  # in the second paragraph and again in the seventh


@pytest.fixture
def token(alice, issue_token):
    return issue_token(alice)


@pytest.fixture
def text(article):
    return ArticleText(article.paragraphs.all())


@pytest.fixture
def post(annotation_api, article, token):
    def send(target, **fields):
        data = {"@context": "http://www.w3.org/ns/anno.jsonld", "type": "Annotation", "target": target, **fields}
        return annotation_api.send("POST", annotation_api.container(article), data, token=token)

    return send


@pytest.fixture
def iri(article):
    return f"http://testserver/articles/{article.slug}/"


def fragment(key, start, end):
    return {
        "type": "FragmentSelector",
        "value": key,
        "refinedBy": {"type": "TextPositionSelector", "start": start, "end": end},
    }


def the_note(response):
    assert response.status_code == 201, response.content
    return Annotation.objects.get(pk=response.json()["id"].rsplit("/", 1)[1])


def test_a_fragment_refined_by_a_position_makes_a_note_on_that_passage(post, iri, text, alice):
    paragraph = text.paragraphs[1]
    response = post({"source": iri, "selector": fragment(paragraph.key, 17, 28)})
    note = the_note(response)
    assert (note.author, note.start_key, note.start_offset, note.end_key, note.end_offset) == (
        alice,
        paragraph.key,
        17,
        paragraph.key,
        28,
    )
    assert note.quote_exact == paragraph.text[17:28]
    assert note.visibility == "private"


def test_the_created_note_comes_back_with_its_iri_in_location_and_an_etag(post, iri, text, annotation_api, article):
    response = post({"source": iri, "selector": fragment(text.paragraphs[1].key, 0, 5)})
    note = the_note(response)
    body = response.json()
    assert body["id"] == f"http://testserver{annotation_api.container(article)}{note.pk}"
    assert response["Location"] == body["id"]
    assert response["ETag"]
    assert response["Content-Type"] == 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
    assert body["creator"] == {"type": "Person", "nickname": "alice", "name": "alice"}


def test_a_position_with_a_matching_quote_is_accepted(post, iri, text):
    paragraph = text.paragraphs[1]
    quote = {"type": "TextQuoteSelector", "exact": paragraph.text[17:28]}
    note = the_note(post({"source": iri, "selector": [fragment(paragraph.key, 17, 28), quote]}))
    assert note.quote_exact == paragraph.text[17:28]


def test_a_quote_alone_is_anchored_by_the_server(post, iri, text):
    note = the_note(post({"source": iri, "selector": {"type": "TextQuoteSelector", "exact": "abrupt policy changes"}}))
    paragraph = text.paragraph(note.start_key)
    assert paragraph.text[note.start_offset : note.end_offset] == "abrupt policy changes"


def test_prefix_and_suffix_pick_among_repeated_quotes(post, iri, text):
    later = next(p for p in text.paragraphs[2:] if REPEATED in p.text)
    start = later.text.index(REPEATED)
    quote = {
        "type": "TextQuoteSelector",
        "exact": REPEATED,
        "prefix": later.text[start - 20 : start],
        "suffix": later.text[start + len(REPEATED) : start + len(REPEATED) + 20],
    }
    note = the_note(post({"source": iri, "selector": quote}))
    assert (note.start_key, note.start_offset) == (later.key, start)


def test_without_context_a_repeated_quote_is_refused_not_guessed(post, iri, text):
    response = post({"source": iri, "selector": {"type": "TextQuoteSelector", "exact": REPEATED}})
    assert response.status_code == 409
    assert not Annotation.objects.exists()


def test_a_range_selector_makes_a_note_across_paragraphs(post, iri, text):
    first, second = text.paragraphs[1], text.paragraphs[2]
    selector = {
        "type": "RangeSelector",
        "startSelector": fragment(first.key, 50, 50),
        "endSelector": fragment(second.key, 9, 9),
    }
    note = the_note(post({"source": iri, "selector": selector}))
    assert (note.start_key, note.start_offset, note.end_key, note.end_offset) == (first.key, 50, second.key, 9)
    assert note.quote_exact == first.text[50:] + "\n\n" + second.text[:9]


def test_a_range_runs_from_the_start_of_its_start_selector_to_the_end_of_its_end_selector(post, iri, text):
    first, second = text.paragraphs[1], text.paragraphs[2]
    selector = {
        "type": "RangeSelector",
        "startSelector": fragment(first.key, 50, 60),
        "endSelector": fragment(second.key, 0, 9),
    }
    note = the_note(post({"source": iri, "selector": selector}))
    assert (note.start_offset, note.end_offset) == (50, 9)


@pytest.mark.parametrize("form", ["string", "source", "id", "list"])
def test_a_target_that_is_just_the_article_makes_a_note_on_the_whole_article(post, iri, form):
    target = {"string": iri, "source": {"source": iri}, "id": {"id": iri}, "list": [iri]}[form]
    note = the_note(post(target, bodyValue="On the whole thing."))
    assert note.is_on_whole_article
    assert note.comment == "On the whole thing."
    refused = post(target)  # a note on the whole article says something, or it is no note
    assert refused.status_code == 400
    assert "needs a comment" in refused.json()["error"]


def test_the_article_iri_with_a_paragraph_fragment_makes_a_note_on_that_whole_paragraph(post, iri, text):
    paragraph = text.paragraphs[2]
    note = the_note(post(f"{iri}#{paragraph.key}"))
    assert (note.start_key, note.start_offset, note.end_offset) == (paragraph.key, 0, len(paragraph.text))


def test_a_fragment_selector_without_refinement_is_the_whole_paragraph(post, iri, text):
    paragraph = text.paragraphs[2]
    note = the_note(post({"source": iri, "selector": {"type": "FragmentSelector", "value": paragraph.key}}))
    assert (note.start_offset, note.end_offset) == (0, len(paragraph.text))


def test_the_source_may_carry_a_fragment_when_a_selector_is_given(post, iri, text):
    paragraph = text.paragraphs[1]
    note = the_note(post({"source": f"{iri}#{paragraph.key}", "selector": fragment(paragraph.key, 0, 5)}))
    assert note.end_offset == 5


def test_bodies_become_the_comment_and_the_tags(post, iri):
    body = [
        {"type": "TextualBody", "value": "Why *now*?", "format": "text/markdown", "purpose": "commenting"},
        {"type": "TextualBody", "value": "motives", "purpose": "tagging"},
        {"type": "TextualBody", "value": "Timing", "purpose": "tagging"},
    ]
    note = the_note(post(iri, body=body, motivation="commenting"))
    assert note.comment == "Why *now*?"
    assert "<em>now</em>" in note.comment_html
    assert sorted(note.tags.names(), key=str.casefold) == ["motives", "Timing"]


@pytest.mark.parametrize("purpose", [None, "commenting", "describing"])
def test_a_textual_body_without_a_tagging_purpose_is_the_comment(post, iri, purpose):
    body = {"type": "TextualBody", "value": "A thought."}
    if purpose:
        body["purpose"] = purpose
    assert the_note(post(iri, body=body)).comment == "A thought."


def test_the_response_says_commenting_with_a_comment_and_highlighting_without(post, iri, text):
    assert post(iri, bodyValue="Hm.").json()["motivation"] == "commenting"
    paragraph = f"{iri}#{text.paragraphs[2].key}"
    highlight = post(paragraph, body={"type": "TextualBody", "value": "tag", "purpose": "tagging"}).json()
    assert highlight["motivation"] == "highlighting"


@pytest.mark.parametrize("motivation", ["highlighting", "bookmarking", "questioning", ["tagging", "describing"]])
def test_common_motivations_are_accepted(post, iri, motivation):
    the_note(post(iri, motivation=motivation, bodyValue="A note."))


def test_visibility_public_is_kept_and_private_is_the_default(post, iri):
    assert the_note(post(iri, visibility="public", bodyValue="For all.")).visibility == "public"
    assert the_note(post(iri, bodyValue="For me.")).visibility == "private"


def test_client_sent_id_creator_and_dates_are_ignored(post, iri, alice):
    response = post(
        iri,
        bodyValue="A note.",
        id="http://evil.example/annotations/1",
        creator={"type": "Person", "nickname": "mallory"},
        created="1999-01-01T00:00:00Z",
        modified="1999-01-01T00:00:00Z",
    )
    note = the_note(response)
    body = response.json()
    assert not body["id"].startswith("http://evil.example")
    assert body["creator"]["nickname"] == "alice"
    assert note.author == alice
    assert not body["created"].startswith("1999")


def test_canonical_and_via_are_kept_as_sent(post, iri):
    response = post(
        iri,
        bodyValue="A note.",
        canonical="urn:uuid:dbfb1861-0ecf-41ad-be94-a584e5c4f1df",
        via="https://example.org/a/1",
    )
    body = response.json()
    assert body["canonical"] == "urn:uuid:dbfb1861-0ecf-41ad-be94-a584e5c4f1df"
    assert body["via"] == "https://example.org/a/1"
    note = the_note(response)
    assert (note.canonical, note.via) == (body["canonical"], body["via"])


def test_plain_application_json_is_accepted_too(annotation_api, article, token, iri):
    data = {"target": iri, "bodyValue": "Hm."}
    response = annotation_api.send(
        "POST", annotation_api.container(article), data, token=token, content_type="application/json"
    )
    assert response.status_code == 201


def test_a_signed_in_browser_session_can_post_with_its_csrf_token(article, alice, iri, annotation_api):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice)
    browser.get("/")  # sets the CSRF cookie
    url = annotation_api.container(article)
    note = {"target": iri, "bodyValue": "From the browser."}
    refused = browser.post(url, note, content_type="application/ld+json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["error"]
    csrf = browser.cookies["csrftoken"].value
    accepted = browser.post(url, note, content_type="application/ld+json", headers={"X-CSRFToken": csrf})
    assert accepted.status_code == 201
    assert Annotation.objects.filter(author=alice).count() == 1
