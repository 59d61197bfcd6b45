"""A note's anchor status and last move in its W3C JSON, and re-attaching it with PUT.

The notes here are moved, suggested and orphaned the way the app does it: an article is
imported, a note made on it, and the article's text revised, which re-anchors the note.
"""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations.models import AnchorMove, Annotation
from annotations.writing import create_reply
from reader.rendering import render_block
from reader.revising import Entry, revise
from tests.annotations.factories import PUBLIC, import_markdown, note_on_article, note_on_quote, note_on_range, text_of
from tests.api.test_openapi_schema import errors

pytestmark = pytest.mark.django_db

ONE = "The first paragraph stays exactly as it is."
TWO = "The second paragraph will be edited by the curator before long."
THREE = "The third paragraph will be removed."
QUOTE = "will be edited by the curator"
ARTICLE_IRI = "http://testserver/articles/changing/"
NEW_TERMS = {"anchor", "status", "writtenAbout", "lastMove", "revision", "method", "score", "from", "to", "candidates"}


@pytest.fixture
def changing(write_markdown):
    return import_markdown(write_markdown, f"Title: Changing\n\n{ONE}\n\n{TWO}\n\n{THREE}\n", slug="changing")


@pytest.fixture
def tokens(alice, bob, issue_token):
    return {"alice": issue_token(alice), "bob": issue_token(bob), "anonymous": None}


def edit(article, old, new):
    """Revise the article as the curator's editor does: `old` becomes `new` in every paragraph's source."""
    entries = [Entry(p.key, render_block(p.source.replace(old, new))) for p in article.paragraphs.order_by("position")]
    revise(article, entries, message=f"{old} → {new}")


def served(annotation_api, note, token=None):
    return annotation_api.send("GET", annotation_api.item(note), token=token).json()


def selectors(target):
    """(position selector or None, quote selector) of a served target."""
    found = target["selector"] if isinstance(target["selector"], list) else [target["selector"]]
    position = next((s for s in found if s["type"] != "TextQuoteSelector"), None)
    return position, next(s for s in found if s["type"] == "TextQuoteSelector")


def words_at(article, position):
    """The words a FragmentSelector refined by a TextPositionSelector names in the article's text now."""
    offsets = position["refinedBy"]
    return text_of(article).by_position(position["value"], offsets["start"], position["value"], offsets["end"]).exact


def place(note):
    note = Annotation.objects.get(pk=note.pk)
    return (note.anchor_status, note.start_key, note.start_offset, note.end_offset, note.quote_exact)


# What is served, for each status -------------------------------------------------------------


def test_a_note_whose_text_is_unchanged_is_anchored_and_has_no_move(annotation_api, changing, alice, tokens):
    note = note_on_quote(alice, changing, QUOTE)
    edit(changing, "stays exactly", "stays just")
    assert served(annotation_api, note, tokens["alice"])["anchor"] == {"status": "anchored"}


def test_replies_and_notes_on_the_whole_article_have_no_anchor(annotation_api, changing, alice, tokens):
    whole = note_on_article(alice, changing, comment="On the whole.")
    reply = create_reply(alice, whole, comment="And more.")
    for note in (whole, reply):
        assert "anchor" not in served(annotation_api, note, tokens["alice"])


def test_a_note_moved_to_the_same_words_shows_where_it_went_and_keeps_its_quote(
    annotation_api, changing, alice, tokens
):
    note = note_on_quote(alice, changing, QUOTE)
    edit(changing, "The second", "Now the second")
    body = served(annotation_api, note, tokens["alice"])
    position, quote = selectors(body["target"])
    assert position["refinedBy"] == {"type": "TextPositionSelector", "start": 25, "end": 54}
    assert words_at(changing, position) == quote["exact"] == QUOTE
    assert quote["prefix"].endswith("\n\nNow the second paragraph ")  # its context as the text now reads
    anchor = body["anchor"]
    assert anchor["status"] == "anchored"
    assert "writtenAbout" not in anchor
    assert "candidates" not in anchor
    move = anchor["lastMove"]
    assert (move["revision"], move["status"], move["method"], move["score"]) == (2, "anchored", "exact", 1.0)
    assert selectors(move["from"])[0]["refinedBy"] == {"type": "TextPositionSelector", "start": 21, "end": 50}
    assert selectors(move["from"])[1] == {"type": "TextQuoteSelector", "exact": QUOTE}
    assert selectors(move["to"])[0] == position
    assert move["to"]["source"] == ARTICLE_IRI
    assert move["created"].endswith("Z")


def test_a_note_moved_to_similar_words_quotes_them_and_keeps_the_words_it_was_written_about(
    annotation_api, changing, alice, tokens
):
    note = note_on_quote(alice, changing, QUOTE)
    written_about = selectors(served(annotation_api, note, tokens["alice"])["target"])[1]
    edit(changing, "edited", "edted")
    body = served(annotation_api, note, tokens["alice"])
    position, quote = selectors(body["target"])
    # Every selector of the target finds the same words: those the note marks now.
    assert words_at(changing, position) == quote["exact"] == "will be edted by the curator"
    assert body["anchor"]["writtenAbout"] == written_about
    assert Annotation.objects.get(pk=note.pk).quote_exact == QUOTE  # stored as written
    move = body["anchor"]["lastMove"]
    assert (move["method"], move["status"]) == ("fuzzy", "anchored")
    assert 0.8 <= move["score"] < 1
    assert selectors(move["to"])[1]["exact"] == "will be edted by the curator"


def test_a_suggested_note_is_not_placed_and_only_its_author_sees_the_suggestions(
    annotation_api, changing, alice, tokens
):
    note = note_on_quote(alice, changing, QUOTE, visibility=PUBLIC)
    edit(changing, "curator", "editor")
    assert Annotation.objects.get(pk=note.pk).anchor_status == "suggested"
    body = served(annotation_api, note, tokens["alice"])
    assert body["target"]["anchorStatus"] == "suggested"
    assert body["target"]["selector"]["exact"] == QUOTE  # the quote alone: it is not placed
    anchor = body["anchor"]
    assert (anchor["status"], anchor["lastMove"]["method"], anchor["lastMove"]["status"]) == (
        "suggested",
        "fuzzy",
        "suggested",
    )
    assert "to" not in anchor["lastMove"]
    [candidate] = anchor["candidates"]
    position, quote = selectors(candidate)
    assert words_at(changing, position) == quote["exact"] == "will be edited by the editor"
    assert 0 < candidate["score"] < 1
    for reader in ("bob", "anonymous"):
        seen = served(annotation_api, note, tokens[reader])["anchor"]
        assert seen == {key: value for key, value in anchor.items() if key != "candidates"}


def test_an_orphaned_note_keeps_its_quote_and_tells_its_last_move(annotation_api, changing, alice, tokens):
    note = note_on_quote(alice, changing, QUOTE)
    edit(changing, QUOTE, "is rewritten from top to bottom")
    body = served(annotation_api, note, tokens["alice"])
    assert body["target"]["anchorStatus"] == "orphaned"
    assert body["target"]["selector"]["exact"] == QUOTE
    anchor = body["anchor"]
    assert (anchor["status"], anchor["lastMove"]["method"], anchor["lastMove"]["status"]) == (
        "orphaned",
        "none",
        "orphaned",
    )
    assert "to" not in anchor["lastMove"]
    assert "score" not in anchor["lastMove"]
    assert "candidates" not in anchor


def test_the_container_gives_each_note_its_own_status_and_last_move(annotation_api, changing, alice, tokens):
    moved = note_on_quote(alice, changing, QUOTE)
    orphan = note_on_quote(alice, changing, "will be removed")
    kept = note_on_quote(alice, changing, "stays exactly")
    edit(changing, "edited", "edted")
    edit(changing, "will be removed", "is gone now")
    items = annotation_api.send("GET", annotation_api.container(changing), token=tokens["alice"]).json()
    anchors = {item["id"].rsplit("/", 1)[1]: item["anchor"] for item in items["first"]["items"]}
    assert anchors[str(kept.pk)] == {"status": "anchored"}
    assert (anchors[str(moved.pk)]["status"], anchors[str(moved.pk)]["lastMove"]["revision"]) == ("anchored", 2)
    assert (anchors[str(orphan.pk)]["status"], anchors[str(orphan.pk)]["lastMove"]["revision"]) == ("orphaned", 3)


# Who sees what ----------------------------------------------------------------------------------


def test_nobody_else_sees_a_private_notes_move_through_the_item_or_the_container(
    annotation_api, changing, alice, bob, tokens
):
    private = note_on_quote(alice, changing, QUOTE, comment="mine")
    edit(changing, "edited", "edted")
    assert AnchorMove.objects.filter(annotation=private).exists()
    for reader in ("bob", "anonymous"):
        assert annotation_api.send("GET", annotation_api.item(private), token=tokens[reader]).status_code == 404
        for url in (annotation_api.container(changing), annotation_api.container(changing) + "?page=0"):
            page = annotation_api.send("GET", url, token=tokens[reader]).content.decode()
            assert str(private.pk) not in page
            assert "lastMove" not in page
            assert "edted" not in page


# Query counts -----------------------------------------------------------------------------------


def test_a_page_of_moved_notes_costs_the_same_queries_for_3_or_30_notes(
    annotation_api, write_markdown, alice, tokens, django_assert_num_queries
):
    def moved_notes(count, slug):
        paragraphs = [f"Paragraph {n} says something worth a note." for n in range(count)]
        article = import_markdown(write_markdown, "Title: Many\n\n" + "\n\n".join(paragraphs) + "\n", slug=slug)
        for n in range(count):
            note_on_quote(alice, article, "something worth", prefix=f"Paragraph {n} says ")
        edit(article, "says", "now says")
        assert AnchorMove.objects.filter(annotation__article=article, method="exact").count() == count
        return annotation_api.container(article)

    three, thirty = moved_notes(3, "three"), moved_notes(30, "thirty")
    annotation_api.send("GET", three, token=tokens["alice"])  # the token's first use is recorded once
    with CaptureQueriesContext(connection) as queries:
        items = annotation_api.send("GET", three, token=tokens["alice"]).json()["first"]["items"]
    assert [item["anchor"]["lastMove"]["method"] for item in items] == ["exact"] * 3
    with django_assert_num_queries(len(queries.captured_queries)):
        items = annotation_api.send("GET", thirty, token=tokens["alice"]).json()["first"]["items"]
    assert [item["anchor"]["lastMove"]["method"] for item in items] == ["exact"] * 30


# Re-attaching with PUT ----------------------------------------------------------------------------


@pytest.fixture
def put(annotation_api, put_annotation, tokens):
    """PUT the note as served to alice, with `changes`; as `who` (alice by default)."""

    def put(note, who="alice", **changes):
        current = served(annotation_api, note, tokens["alice"])
        return put_annotation(annotation_api.item(note), {**current, **changes}, token=tokens[who])

    return put


def quote_target(exact):
    return {
        "type": "SpecificResource",
        "source": ARTICLE_IRI,
        "selector": {"type": "TextQuoteSelector", "exact": exact},
    }


def test_an_orphan_sent_back_with_a_new_quote_is_placed_there_as_its_authors_move(changing, alice, put):
    note = note_on_quote(alice, changing, QUOTE)
    edit(changing, QUOTE, "is rewritten from top to bottom")
    response = put(note, target=quote_target("rewritten from top"))
    assert response.status_code == 200, response.content
    body = response.json()
    position, quote = selectors(body["target"])
    assert words_at(changing, position) == quote["exact"] == "rewritten from top"
    assert "anchorStatus" not in body["target"]
    move = body["anchor"]["lastMove"]
    assert (body["anchor"]["status"], move["method"], move["status"], move["revision"]) == (
        "anchored",
        "author",
        "anchored",
        2,
    )
    assert selectors(move["from"])[1]["exact"] == QUOTE
    assert place(note)[0] == "anchored"
    assert AnchorMove.objects.filter(annotation=note, method="author").count() == 1


def test_an_orphan_sent_back_with_a_new_position_is_placed_there(changing, alice, put):
    note = note_on_quote(alice, changing, QUOTE)
    edit(changing, QUOTE, "is rewritten from top to bottom")
    key = text_of(changing).paragraphs[1].key
    target = {
        "source": ARTICLE_IRI,
        "selector": {
            "type": "FragmentSelector",
            "value": key,
            "refinedBy": {"type": "TextPositionSelector", "start": 4, "end": 10},
        },
    }
    response = put(note, target=target)
    assert response.status_code == 200, response.content
    assert place(note) == ("anchored", key, 4, 10, "second")


def test_a_suggested_notes_candidate_sent_back_accepts_it_and_keeps_the_quote_it_was_written_about(
    annotation_api, changing, alice, tokens, put
):
    note = note_on_quote(alice, changing, QUOTE, comment="Who edits?")
    edit(changing, "curator", "editor")
    [candidate] = served(annotation_api, note, tokens["alice"])["anchor"]["candidates"]
    response = put(note, target=candidate)  # its score and all: the client need not tidy it
    assert response.status_code == 200, response.content
    body = response.json()
    position, quote = selectors(body["target"])
    assert words_at(changing, position) == quote["exact"] == "will be edited by the editor"
    assert body["anchor"]["writtenAbout"]["exact"] == QUOTE
    assert body["anchor"]["lastMove"]["method"] == "author"
    assert "candidates" not in body["anchor"]
    assert body["body"][0]["value"] == "Who edits?"
    stored = Annotation.objects.get(pk=note.pk)
    assert (stored.anchor_status, stored.quote_exact, stored.anchor_candidates) == ("anchored", QUOTE, [])


def test_a_suggestion_across_paragraphs_is_a_range_and_is_accepted_the_same_way(
    annotation_api, changing, alice, tokens, put
):
    first, second = text_of(changing).paragraphs[:2]
    note = note_on_range(alice, changing, first.key, 4, second.key, 10)
    edit(changing, "The second", "The 2nd")
    [candidate] = served(annotation_api, note, tokens["alice"])["anchor"]["candidates"]
    position, quote = selectors(candidate)
    assert position["type"] == "RangeSelector"
    assert quote["exact"] == f"{ONE[4:]}\n\nThe 2nd"
    response = put(note, target=candidate)
    assert response.status_code == 200, response.content
    served_position, served_quote = selectors(response.json()["target"])
    assert (served_position, served_quote["exact"]) == (position, quote["exact"])
    # The accepted place's context comes with it, read from the text as it now is.
    assert (served_quote["prefix"], served_quote["suffix"]) == ("The ", " paragraph will be edited by the")
    stored = Annotation.objects.get(pk=note.pk)
    assert (stored.anchor_status, stored.end_offset, stored.quote_exact) == ("anchored", 7, f"{ONE[4:]}\n\nThe second")


def test_a_suggested_note_sent_back_with_its_candidates_position_alone_accepts_it(
    annotation_api, changing, alice, tokens, put
):
    note = note_on_quote(alice, changing, QUOTE)
    edit(changing, "curator", "editor")
    [candidate] = served(annotation_api, note, tokens["alice"])["anchor"]["candidates"]
    position, _ = selectors(candidate)
    response = put(note, target={"source": ARTICLE_IRI, "selector": position})
    assert response.status_code == 200, response.content
    assert place(note)[0::4] == ("anchored", QUOTE)


def test_a_suggested_note_sent_back_with_another_place_is_placed_there(changing, alice, put):
    note = note_on_quote(alice, changing, QUOTE)
    edit(changing, "curator", "editor")
    response = put(note, target=quote_target("second paragraph"))
    assert response.status_code == 200, response.content
    assert place(note)[0::4] == ("anchored", "second paragraph")
    assert AnchorMove.objects.filter(annotation=note).first().method == "author"


@pytest.mark.parametrize("with_status", [True, False], ids=["as-served", "anchorStatus-left-out"])
def test_a_suggested_or_orphaned_note_sent_back_with_its_target_unchanged_stays_as_it_is(
    annotation_api, changing, alice, tokens, put, with_status
):
    suggested = note_on_quote(alice, changing, QUOTE)
    orphan = note_on_quote(alice, changing, "will be removed")
    edit(changing, "curator", "editor")
    edit(changing, "will be removed", "is gone now")
    for note, status in ((suggested, "suggested"), (orphan, "orphaned")):
        before, moves = place(note), AnchorMove.objects.filter(annotation=note).count()
        target = served(annotation_api, note, tokens["alice"])["target"]
        if not with_status:
            del target["anchorStatus"]
        response = put(note, target=target, bodyValue="A new comment.", body=None)
        assert response.status_code == 200, response.content
        assert response.json()["anchor"]["status"] == status
        assert place(note) == before
        assert AnchorMove.objects.filter(annotation=note).count() == moves
        assert Annotation.objects.get(pk=note.pk).comment == "A new comment."


def _position_target(key, start, end, exact=None):
    position = {
        "type": "FragmentSelector",
        "value": key,
        "refinedBy": {"type": "TextPositionSelector", "start": start, "end": end},
    }
    selector = [position, {"type": "TextQuoteSelector", "exact": exact}] if exact else position
    return {"source": ARTICLE_IRI, "selector": selector}


@pytest.mark.parametrize(
    ("target", "status", "words"),
    [
        (lambda key: quote_target("words the article never had"), 400, "words the article never had"),
        (lambda key: _position_target("p-nowhere", 0, 4), 400, "no paragraph with key 'p-nowhere'"),
        (lambda key: _position_target(key, 4, 400), 400, "outside paragraph"),
        (lambda key: _position_target(key, 10, 4), 400, "after its end"),
        (lambda key: _position_target(key, 4, 10, exact="third"), 409, "does not match the text"),
        (lambda key: "http://testserver/articles/elsewhere/", 400, "is not this article"),
    ],
    ids=["quote-not-found", "unknown-paragraph", "past-the-end", "backwards", "quote-contradicts", "other-article"],
)
def test_a_bad_target_for_an_orphan_is_refused_with_a_message_and_changes_nothing(
    changing, alice, put, target, status, words
):
    note = note_on_quote(alice, changing, QUOTE, comment="kept")
    edit(changing, QUOTE, "is rewritten from top to bottom")
    before, moves = place(note), AnchorMove.objects.filter(annotation=note).count()
    response = put(note, target=target(text_of(changing).paragraphs[1].key), bodyValue="changed", body=None)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert words in response.json()["error"]
    assert place(note) == before
    assert AnchorMove.objects.filter(annotation=note).count() == moves
    assert Annotation.objects.get(pk=note.pk).comment == "kept"


def test_only_its_author_may_accept_a_suggestion(annotation_api, changing, alice, tokens, put):
    note = note_on_quote(alice, changing, QUOTE, visibility=PUBLIC)
    edit(changing, "curator", "editor")
    [candidate] = served(annotation_api, note, tokens["alice"])["anchor"]["candidates"]
    before = place(note)
    response = put(note, who="bob", target=candidate)
    assert response.status_code == 403
    assert "someone else's" in response.json()["error"]
    assert place(note) == before
    assert not AnchorMove.objects.filter(annotation=note, method="author").exists()


# The context and the schemas ------------------------------------------------------------------------


def test_the_context_declares_every_new_term(client):
    context = client.get("/api/ns/marginalia.jsonld").json()["@context"]
    assert set(context) >= NEW_TERMS
    assert context["anchor"] == "mgl:anchor"
    assert context["candidates"] == {"@id": "mgl:candidates", "@container": "@list"}  # best first, in order


@pytest.fixture
def every_status(annotation_api, changing, alice, tokens):
    """The collection as alice sees it, holding a note moved to the same words, one moved to similar
    words, one suggested and one orphaned."""
    note_on_quote(alice, changing, "first paragraph stays exactly")
    note_on_quote(alice, changing, "second paragraph")
    note_on_quote(alice, changing, QUOTE)
    note_on_quote(alice, changing, "will be removed")
    edit(changing, "stays", "stayz")
    edit(changing, "The second", "Now the second")
    edit(changing, "curator", "editor")
    edit(changing, "will be removed", "is gone now")
    collection = annotation_api.send("GET", annotation_api.container(changing), token=tokens["alice"]).json()
    anchors = sorted(
        (item["anchor"]["status"], item["anchor"]["lastMove"]["method"]) for item in collection["first"]["items"]
    )
    assert anchors == [("anchored", "exact"), ("anchored", "fuzzy"), ("orphaned", "none"), ("suggested", "fuzzy")]
    return collection


def _keys_and_types(value, found):
    if isinstance(value, dict):
        for key, item in value.items():
            found.add(key)
            if key == "type":
                found.update(item if isinstance(item, list) else [item])
            _keys_and_types(item, found)
    elif isinstance(value, list):
        for item in value:
            _keys_and_types(item, found)
    return found


def test_every_key_served_for_moved_and_suggested_notes_is_a_term_of_our_two_contexts(w3c_script, client, every_status):
    kit = w3c_script("validate_model").folder
    anno_terms = set(json.loads((kit / "anno.jsonld").read_text())["@context"])
    our_terms = set(client.get("/api/ns/marginalia.jsonld").json()["@context"])
    found = _keys_and_types(every_status, set())
    assert found >= NEW_TERMS
    assert {term for term in found if not term.startswith("@")} - anno_terms - our_terms == set()
    assert NEW_TERMS.isdisjoint(anno_terms)  # ours add to anno.jsonld, never redefine its terms


def test_moved_suggested_and_orphaned_notes_pass_the_data_model_musts(w3c_script, every_status):
    validate_model = w3c_script("validate_model")
    registry, by_path, tests = validate_model.load_suite(str(validate_model.folder / "web-annotation-tests"))
    for item in every_status["first"]["items"]:
        instance = {"@context": every_status["@context"], **item}
        results = list(validate_model.run(instance, registry, by_path, tests))
        assert results
        assert [path for _, path, kind, ok, _ in results if kind == "must" and not ok] == [], item["anchor"]


def test_moved_suggested_and_orphaned_notes_fit_the_openapi_schema(spec, every_status):
    assert errors(spec, "AnnotationCollection", every_status) == []
    for item in every_status["first"]["items"]:
        assert errors(spec, "Annotation", item) == [], item["anchor"]
    anchor = spec["components"]["schemas"]["Annotation"]["properties"]["anchor"]
    assert set(anchor["properties"]) == {"status", "writtenAbout", "lastMove", "candidates"}
    assert anchor["readOnly"] is True
