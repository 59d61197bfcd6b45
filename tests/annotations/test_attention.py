"""Notes that need their authors after an edit of the text: shown to them, placed by them, counted for staff.

Alice writes four notes on "Town"; the curator edits the text. One note moves to similar
words, one is suggested (its last word changed), one is orphaned (its paragraph removed),
and one moves to the same words found again.
"""

import json
import re
from html import unescape
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotations.models import AnchorMove, Annotation, Notification
from reader.importing import import_file
from reader.rendering import render_block
from reader.revising import Entry, revise
from tests.annotations.factories import import_markdown, marked_ids, marks, note_on_quote, reading_page, text_of
from tests.pages import parse

pytestmark = pytest.mark.django_db

BUDGET = "The committee approved the budget for the coming year after a long debate about the harbour."
CRITICS = "Critics said the plan relied on optimistic forecasts of tourism and shipping revenue."
WEATHER = "A final paragraph about the weather, which nobody will edit at all."
MAYOR = "The mayor thanked the volunteers who cleaned the river banks every spring."
TOWN = [BUDGET, CRITICS, WEATHER, MAYOR]
EDITED = [
    BUDGET.replace("approved the budget", "approved the new budget"),  # fuzzy: moved
    CRITICS.replace("optimistic forecasts of tourism", "optimistic forecast of tourists"),  # suggested
    "Some words before. " + WEATHER,  # exact: moved, nobody told
]  # MAYOR is removed: orphaned


def markdown(paragraphs):
    return "Title: Town\n\n" + "\n\n".join(paragraphs) + "\n"


@pytest.fixture
def town(write_markdown):
    return import_markdown(write_markdown, markdown(TOWN), slug="town")


def edit(article, texts, author):
    """Write `texts` over the article's first paragraphs, in order; the rest are removed."""
    keys = list(article.paragraphs.values_list("key", flat=True))[: len(texts)]
    return revise(
        article, [Entry(key, render_block(text)) for key, text in zip(keys, texts, strict=True)], author=author
    )


@pytest.fixture
def notes(town, alice, curator):
    made = SimpleNamespace(
        moved=note_on_quote(alice, town, "approved the budget for the coming year", comment="Moved comment"),
        suggested=note_on_quote(alice, town, "optimistic forecasts of tourism", comment="Suggested comment"),
        orphaned=note_on_quote(alice, town, "thanked the volunteers", comment="Orphaned comment"),
        exact=note_on_quote(alice, town, "nobody will edit", comment="Exact comment"),
    )
    edit(town, EDITED, curator)
    for note in vars(made).values():
        note.refresh_from_db()
    return made


def attention_ids(page):
    return [item["data-attention"] for item in parse(page).find_all("article", class_="attention-item")]


def item_of(page, note):
    return parse(page).one("article", id=f"attention-{note.pk}")


def fresh(note):
    return Annotation.objects.get(pk=note.pk)


def htmx(article):
    return {"HX-Request": "true", "HX-Current-URL": f"http://testserver{article.get_absolute_url()}"}


# The outcomes the section is about -----------------------------------------------------------


def test_the_edit_moves_one_note_suggests_one_orphans_one_and_moves_one_exactly(notes):
    assert (notes.moved.anchor_status, fresh(notes.moved).moves.get().method) == ("anchored", "fuzzy")
    assert (notes.suggested.anchor_status, fresh(notes.suggested).moves.get().method) == ("suggested", "fuzzy")
    assert notes.orphaned.anchor_status == "orphaned"
    assert (notes.exact.anchor_status, fresh(notes.exact).moves.get().method) == ("anchored", "exact")


# The reading page --------------------------------------------------------------------------------


def test_alice_sees_her_suggested_and_orphaned_notes_needing_her_attention(client, alice, town, notes):
    client.force_login(alice)
    page = reading_page(client, town)
    assert attention_ids(page) == [str(notes.suggested.pk), str(notes.orphaned.pk)]
    assert "Needs your attention" in parse(page).one("section", id="attention").text


@pytest.mark.parametrize("filters", ["?scope=mine", "?tag=nothing-tagged-so", "?scope=public"])
def test_her_notes_needing_attention_are_listed_whatever_the_filters_show(client, alice, town, notes, filters):
    """The list is asked for when the page's notes might not hold all of hers (a tag, another audience)."""
    client.force_login(alice)
    page = client.get(town.get_absolute_url() + filters).content.decode()
    assert attention_ids(page) == [str(notes.suggested.pk), str(notes.orphaned.pk)]


def test_with_none_of_hers_awaiting_her_the_page_does_not_ask(client, alice, town):
    note_on_quote(alice, town, "nobody will edit", comment="Anchored and well")
    client.force_login(alice)
    with CaptureQueriesContext(connection) as asked:
        page = reading_page(client, town)
    assert attention_ids(page) == []
    awaiting = re.compile(r'NOT \("annotations_annotation"\."anchor_status" = ')
    assert not [query for query in asked.captured_queries if awaiting.search(query["sql"])]


def test_the_note_that_moved_is_marked_on_its_new_words_and_needs_nothing(client, alice, town, notes):
    client.force_login(alice)
    page = reading_page(client, town)
    assert ({str(notes.moved.pk)}, "approved the new budget for the coming year") in marks(page)
    assert str(notes.suggested.pk) not in marked_ids(page)
    assert str(notes.moved.pk) not in attention_ids(page)


def test_an_item_shows_the_quote_the_comment_and_the_paragraph_before_and_now(client, alice, town, notes):
    client.force_login(alice)
    item = item_of(reading_page(client, town), notes.suggested)
    assert item.one("blockquote", class_="note-quote").text == "optimistic forecasts of tourism"
    assert "Suggested comment" in item.one("div", class_="note-comment").text
    old = item.one("section", class_="attention-old")
    assert old.one("p").text == CRITICS
    assert old.one("span", class_="attention-mark").text == "optimistic forecasts of tourism"
    new = item.one("section", class_="attention-new")
    assert new.one("p").text == EDITED[1]
    assert new.one("span", class_="attention-mark").text == "optimistic forecast of tourists"
    assert "curator edited the text" in item.one("header").text


def test_an_orphan_says_its_paragraph_was_removed(client, alice, town, notes):
    client.force_login(alice)
    item = item_of(reading_page(client, town), notes.orphaned)
    assert item.one("section", class_="attention-old").one("span", class_="attention-mark").text == (
        "thanked the volunteers"
    )
    assert "The paragraph was removed." in item.one("section", class_="attention-new").text
    assert not item.find_all("form")  # nothing to accept
    assert item.one("a", data_action="reattach")["href"] == reverse("annotation-reattach", args=[notes.orphaned.pk])


def test_a_suggestion_offers_each_candidate_with_a_button_to_put_it_there(client, alice, town, notes):
    client.force_login(alice)
    item = item_of(reading_page(client, town), notes.suggested)
    candidate = item.one("li", class_="attention-candidate")
    assert candidate.one("span", class_="attention-mark").text == "optimistic forecast of tourists"
    form = candidate.one("form")
    assert form["action"] == form["hx-post"] == reverse("annotation-accept", args=[notes.suggested.pk])
    assert form.one("input", name="candidate")["value"] == "0"
    assert form.one("button").text == "Put it here"


def test_a_note_whose_earlier_text_is_not_kept_still_shows_its_quote_and_the_text_now(client, alice, town, notes):
    town.revisions.filter(number=1).delete()  # an article older than its kept revisions
    client.force_login(alice)
    item = item_of(reading_page(client, town), notes.suggested)
    assert "The earlier text is not kept." in item.one("section", class_="attention-old").text
    assert item.one("section", class_="attention-new").one("p").text == EDITED[1]


def test_bob_sees_none_of_alices_notes_needing_attention_even_public_ones(client, bob, town, notes):
    Annotation.objects.filter(author__username="alice").update(visibility="public")
    client.force_login(bob)
    page = reading_page(client, town)
    assert attention_ids(page) == []
    assert 'id="attention"' not in page
    assert "attention-counts" not in page  # bob is not staff


def test_staff_see_how_many_notes_need_their_authors_but_not_what_private_or_seminar_ones_say(
    client, alice, bob, curator, town, seminar
):
    note_on_quote(bob, town, "optimistic forecasts of tourism", comment="Bob's private thought")
    note_on_quote(
        alice, town, "thanked the volunteers", comment="A seminar secret", visibility="seminar", seminar=seminar
    )
    note_on_quote(alice, town, "the river banks", comment="Another secret", visibility="seminar", seminar=seminar)
    edit(town, EDITED, curator)
    client.force_login(curator)
    page = reading_page(client, town)
    line = parse(page).one("p", class_="attention-counts").text
    assert line == "3 notes on this page need their authors' attention (1 suggested, 2 orphaned)."
    for secret in ("Bob's private thought", "A seminar secret", "Another secret", "optimistic forecasts of tourism"):
        assert secret not in page
    assert attention_ids(page) == []


def test_one_note_needing_attention_is_counted_in_the_singular(client, alice, curator, town):
    note_on_quote(alice, town, "thanked the volunteers")
    edit(town, TOWN[:3], curator)
    client.force_login(curator)
    line = parse(reading_page(client, town)).one("p", class_="attention-counts").text
    assert line == "1 note on this page needs their authors' attention (0 suggested, 1 orphaned)."


def test_readers_and_visitors_see_no_counts(client, bob, town, notes):
    assert "attention-counts" not in reading_page(client, town)
    client.force_login(bob)
    assert "attention-counts" not in reading_page(client, town)


def queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("viewer", ["alice", "curator"])
def test_the_reading_page_asks_as_many_queries_for_many_notes_needing_attention_as_for_two(
    request, client, alice, curator, town, notes, viewer
):
    client.force_login(request.getfixturevalue(viewer))
    before = queries(client, town.get_absolute_url())
    for n in range(12):
        note_on_quote(alice, town, "optimistic forecast of tourists", comment=f"More {n}")
        note_on_quote(alice, town, "Some words before", comment=f"Gone {n}")
    edit(town, [EDITED[0], EDITED[1].replace("tourists", "visitors"), WEATHER], curator)
    assert Annotation.objects.needing_attention().count() > 20
    assert queries(client, town.get_absolute_url()) == before


# Accepting a suggestion ----------------------------------------------------------------------------


def accept_url(note):
    return reverse("annotation-accept", args=[note.pk])


def test_alice_puts_a_suggested_note_on_its_suggested_place(client, alice, town, notes):
    Notification.objects.filter(annotation=notes.suggested).update(read=None)
    client.force_login(alice)
    response = client.post(accept_url(notes.suggested), {"candidate": "0"})
    assert response.status_code == 302
    note = fresh(notes.suggested)
    assert response["Location"] == note.get_absolute_url()
    assert note.anchor_status == "anchored"
    assert text_of(town).by_position(note.start_key, note.start_offset, note.end_key, note.end_offset).exact == (
        "optimistic forecast of tourists"
    )
    assert note.quote_exact == "optimistic forecasts of tourism"  # the words it was written on
    assert note.moves.first().method == AnchorMove.Method.AUTHOR
    assert not Notification.objects.filter(annotation=note, read=None).exists()
    page = reading_page(client, town)
    assert ({str(note.pk)}, "optimistic forecast of tourists") in marks(page)
    assert str(note.pk) not in attention_ids(page)


def test_accepting_with_htmx_returns_the_article_body_with_the_note_marked(client, alice, town, notes):
    client.force_login(alice)
    response = client.post(accept_url(notes.suggested), {"candidate": "0"}, headers=htmx(town))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<html" not in page
    assert parse(page).one("div", id="article-body")
    assert str(notes.suggested.pk) in marked_ids(page)
    assert json.loads(response["HX-Trigger-After-Swap"]) == {"noteAttached": {"id": str(notes.suggested.pk)}}


@pytest.mark.parametrize("candidate", ["1", "-1", "first", "", "99999999999999999999999"])
def test_a_candidate_that_was_not_offered_is_refused_and_nothing_changes(client, alice, town, notes, candidate):
    client.force_login(alice)
    response = client.post(accept_url(notes.suggested), {"candidate": candidate})
    assert response.status_code == 400
    assert "There is no suggestion" in response.content.decode()
    assert fresh(notes.suggested).anchor_status == "suggested"
    assert not AnchorMove.objects.filter(annotation=notes.suggested, method="author").exists()


def test_a_suggestion_the_text_has_moved_past_is_refused_and_nothing_changes(client, alice, town, notes):
    paragraph = town.paragraphs.get(key=notes.suggested.start_key)
    town.paragraphs.filter(pk=paragraph.pk).update(text=paragraph.text.replace("tourists", "visitors"))
    client.force_login(alice)
    response = client.post(accept_url(notes.suggested), {"candidate": "0"}, headers=htmx(town))
    assert response.status_code == 409
    assert response["HX-Retarget"] == "#toast"
    assert "The text has changed since this place was suggested" in response.content.decode()
    assert fresh(notes.suggested).anchor_status == "suggested"


@pytest.mark.parametrize("which", ["moved", "orphaned"])
def test_a_note_with_no_suggestion_to_accept_is_refused(client, alice, town, notes, which):
    note = getattr(notes, which)
    client.force_login(alice)
    response = client.post(accept_url(note), {"candidate": "0"})
    assert response.status_code == 409
    assert "no suggested place to accept" in response.content.decode()
    assert (fresh(note).anchor_status, fresh(note).start_offset) == (note.anchor_status, note.start_offset)


def test_accepting_takes_no_get(client, alice, town, notes):
    client.force_login(alice)
    assert client.get(accept_url(notes.suggested)).status_code == 405


def test_accepting_needs_a_signed_in_reader(client, town, notes):
    response = client.post(accept_url(notes.suggested), {"candidate": "0"})
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
    assert fresh(notes.suggested).anchor_status == "suggested"


def test_bob_cannot_accept_alices_suggestion_even_on_a_public_note(client, bob, curator, town, notes):
    Annotation.objects.filter(pk=notes.suggested.pk).update(visibility="public")
    for person in (bob, curator):
        client.force_login(person)
        assert client.post(accept_url(notes.suggested), {"candidate": "0"}).status_code == 404
    assert fresh(notes.suggested).anchor_status == "suggested"


# Attaching to new words ------------------------------------------------------------------------------


def reattach_url(note):
    return reverse("annotation-reattach", args=[note.pk])


def range_of(article, phrase):
    paragraph = article.paragraphs.get(text__contains=phrase)
    start = paragraph.text.index(phrase)
    return {
        "start_key": paragraph.key,
        "start_offset": start,
        "end_key": paragraph.key,
        "end_offset": start + len(phrase),
        "exact": phrase,
    }


def test_alice_attaches_an_orphan_to_words_she_selects(client, alice, town, notes):
    client.force_login(alice)
    response = client.post(reattach_url(notes.orphaned), range_of(town, "the weather"))
    assert response.status_code == 302
    note = fresh(notes.orphaned)
    assert response["Location"] == note.get_absolute_url()
    assert (note.anchor_status, note.quote_exact, note.comment) == ("anchored", "the weather", "Orphaned comment")
    assert note.moves.first().method == AnchorMove.Method.AUTHOR
    page = reading_page(client, town)
    assert ({str(note.pk)}, "the weather") in marks(page)
    assert str(note.pk) not in attention_ids(page)


def test_attaching_with_htmx_returns_the_article_body_with_the_note_marked(client, alice, town, notes):
    client.force_login(alice)
    response = client.post(reattach_url(notes.suggested), range_of(town, "shipping revenue"), headers=htmx(town))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<html" not in page
    assert ({str(notes.suggested.pk)}, "shipping revenue") in marks(page)
    assert json.loads(response["HX-Trigger-After-Swap"]) == {"noteAttached": {"id": str(notes.suggested.pk)}}


def test_without_javascript_alice_attaches_an_orphan_to_a_whole_paragraph(client, alice, town, notes):
    client.force_login(alice)
    form = parse(client.get(reattach_url(notes.orphaned)).content.decode())
    keys = [radio["value"] for radio in form.find_all("input", type="radio")]
    assert keys == list(town.paragraphs.values_list("key", flat=True))
    response = client.post(reattach_url(notes.orphaned), {"paragraph": keys[2]})
    assert response.status_code == 302
    note = fresh(notes.orphaned)
    assert (note.start_key, note.start_offset, note.end_offset, note.anchor_status) == (
        keys[2],
        0,
        len(EDITED[2]),
        "anchored",
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"end_offset": 9999}, "is outside paragraph"),
        ({"start_offset": "two"}, "Offsets must be whole numbers"),
        ({"start_key": "p-nowhere", "end_key": "p-nowhere"}, "no paragraph with key 'p-nowhere'"),
        ({"exact": "other words"}, "does not match the text at that position"),
        ({"start_offset": 5, "end_offset": 5}, "The passage is empty"),
        ({"start_key": "", "end_key": ""}, "Select the words this note is about"),
    ],
)
def test_a_range_off_the_text_is_refused_and_nothing_changes(client, alice, town, notes, change, message):
    client.force_login(alice)
    response = client.post(reattach_url(notes.orphaned), {**range_of(town, "the weather"), **change})
    assert response.status_code == 400
    assert message in unescape(response.content.decode())
    note = fresh(notes.orphaned)
    assert (note.anchor_status, note.quote_exact) == ("orphaned", "thanked the volunteers")


def test_a_refused_range_with_htmx_shows_its_message_in_the_toast(client, alice, town, notes):
    client.force_login(alice)
    response = client.post(
        reattach_url(notes.orphaned), {**range_of(town, "the weather"), "end_offset": 9999}, headers=htmx(town)
    )
    assert (response.status_code, response["HX-Retarget"]) == (400, "#toast")
    assert "is outside paragraph" in response.content.decode()


def test_a_note_on_its_words_already_is_not_reattached(client, alice, town, notes):
    client.force_login(alice)
    for method in (client.get, client.post):
        response = method(reattach_url(notes.moved), range_of(town, "the weather"))
        assert response.status_code == 409
        assert "on its words already" in response.content.decode()
    assert fresh(notes.moved).quote_exact == "approved the budget for the coming year"


def test_reattaching_takes_no_put(client, alice, town, notes):
    client.force_login(alice)
    assert client.put(reattach_url(notes.orphaned)).status_code == 405


def test_reattaching_needs_a_signed_in_reader(client, town, notes):
    response = client.post(reattach_url(notes.orphaned), range_of(town, "the weather"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_bob_cannot_reattach_alices_note(client, bob, town, notes):
    Annotation.objects.filter(pk=notes.orphaned.pk).update(visibility="public")
    client.force_login(bob)
    assert client.get(reattach_url(notes.orphaned)).status_code == 404
    assert client.post(reattach_url(notes.orphaned), range_of(town, "the weather")).status_code == 404
    assert fresh(notes.orphaned).anchor_status == "orphaned"


# Across articles: /notes/attention/ ------------------------------------------------------------------


def test_the_attention_page_lists_alices_notes_grouped_by_article(client, alice, curator, town, notes, write_markdown):
    other = import_markdown(write_markdown, "Title: Another\n\nA lone paragraph to remove.\n\nStays.\n", slug="other")
    lone = note_on_quote(alice, other, "lone paragraph")
    edit(other, ["Stays."], curator)
    client.force_login(alice)
    page = parse(client.get(reverse("notes-attention")).content.decode())
    groups = page.find_all("section", class_="attention-group")
    assert [group.one("h2").one("a")["href"] for group in groups] == [
        "/articles/other/#attention",
        "/articles/town/#attention",
    ]
    assert [[item["data-attention"] for item in group.find_all("article")] for group in groups] == [
        [str(lone.pk)],
        [str(notes.suggested.pk), str(notes.orphaned.pk)],
    ]
    accept = groups[1].one("form")
    assert accept["action"] == accept_url(notes.suggested)
    assert "hx-post" not in accept.html  # a plain form here, sent to the note's new place


def test_the_attention_page_shows_bob_none_of_alices_notes(client, bob, town, notes):
    Annotation.objects.filter(author__username="alice").update(visibility="public")
    client.force_login(bob)
    page = client.get(reverse("notes-attention")).content.decode()
    assert "None of your notes needs you." in page
    assert "Suggested comment" not in page


def test_the_attention_page_needs_a_signed_in_reader(client):
    response = client.get(reverse("notes-attention"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_the_attention_page_asks_as_many_queries_for_many_notes_as_for_two(client, alice, curator, town, notes):
    client.force_login(alice)
    before = queries(client, reverse("notes-attention"))
    for n in range(10):
        note_on_quote(alice, town, "Some words before", comment=f"Gone {n}")
    edit(town, EDITED[:2], curator)
    assert queries(client, reverse("notes-attention")) == before


# The inbox ---------------------------------------------------------------------------------------------


def test_alice_is_told_when_her_notes_move_fuzzily_are_suggested_or_orphaned_not_when_they_move_exactly(
    alice, curator, notes
):
    told = dict(Notification.objects.filter(recipient=alice).values_list("annotation", "kind"))
    assert told == {notes.moved.pk: "moved", notes.suggested.pk: "suggested", notes.orphaned.pk: "orphaned"}
    assert set(Notification.objects.values_list("actor__username", flat=True)) == {"curator"}


def test_nobody_is_told_of_an_edit_they_made_to_their_own_notes(alice, town):
    note_on_quote(alice, town, "thanked the volunteers")
    note_on_quote(alice, town, "optimistic forecasts of tourism")
    edit(town, EDITED, alice)
    assert Annotation.objects.needing_attention().count() == 2
    assert not Notification.objects.exists()


def test_the_inbox_says_who_edited_the_text_and_links_to_the_note_needing_attention(client, alice, town, notes):
    client.force_login(alice)
    page = parse(client.get(reverse("inbox")).content.decode())
    links = {item.one("a").text: item.one("a")["href"] for item in page.find_all("li", class_="inbox-item")}
    items = {text: client.get(href)["Location"] for text, href in links.items()}  # each link marks its item read
    assert items == {
        "curator edited the text: your note moved to similar words": notes.moved.get_absolute_url(),
        "curator edited the text: your note needs your check": f"/articles/town/#attention-{notes.suggested.pk}",
        "curator edited the text: your note lost its words": f"/articles/town/#attention-{notes.orphaned.pk}",
    }
    notice = page.one("p", class_="attention-notice")
    assert notice.one("a")["href"] == reverse("notes-attention")
    assert "2 notes of yours need your attention" in notice.text


def test_an_edit_by_an_import_is_told_as_an_edit_of_the_text(client, alice, town, write_markdown):
    note_on_quote(alice, town, "thanked the volunteers")
    import_file(write_markdown(markdown(TOWN[:3]), name="town.md"), slug="town")
    client.force_login(alice)
    item = parse(client.get(reverse("inbox")).content.decode()).one("li", class_="inbox-item")
    assert item.one("a").text == "An edit of the text: your note lost its words"
    assert "thanked the volunteers" in item.one("blockquote").text


def test_bobs_inbox_holds_nothing_of_alices_notes(client, bob, town, notes):
    Annotation.objects.filter(author__username="alice").update(visibility="public")
    client.force_login(bob)
    page = client.get(reverse("inbox")).content.decode()
    assert "Nothing here yet." in page
    assert "attention-notice" not in page
