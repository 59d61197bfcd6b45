"""After a note is added, changed or deleted on the reading page, only what changed comes back.

The parts (the filters with the count, the paragraphs the note's passage covers, the drawer of
whole-article notes) are each exactly what a fresh page would show there, and the work to make
them does not grow with the notes elsewhere on the page.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotations.discussion import hide
from annotations.models import Annotation
from annotations.reading import INLINE_NOTES
from tests.annotations.factories import (
    PRIVATE,
    PUBLIC,
    create_url,
    many_notes,
    note_cards,
    note_on_paragraph,
    note_on_range,
    note_total,
    prose,
    reading_page,
    swapped_parts,
)
from tests.pages import parse

pytestmark = pytest.mark.django_db

ON_PAGE = {"HX-Request": "true", "HX-Target": "article-body"}


def on_page_of(article, query=""):
    return ON_PAGE | {"HX-Current-URL": f"http://testserver{article.get_absolute_url()}{query}"}


def passage(paragraph, start, end, last=None):
    """The form's fields for a passage; across paragraphs the quote is left for the server to read."""
    fields = {"start_key": paragraph.key, "start_offset": start, "end_key": (last or paragraph).key, "end_offset": end}
    return fields if last else fields | {"exact": paragraph.text[start:end]}


def squeezed(html):
    """The markup with white space squeezed and CSRF tokens dropped (masked, each is new every time)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", " ".join(html.split()))


def part(page, key):
    return parse(page).one(id=key)


def assert_parts_match_a_fresh_page(client, article, changes, query=""):
    """Each part sent equals the same part of the page loaded afresh (but for the out-of-band attribute)."""
    fresh = reading_page(client, article, query)
    assert changes.count("hx-swap-oob") == len(swapped_parts(changes)), "no part inside another swaps on its own"
    for key in swapped_parts(changes):
        sent, there = part(changes, key), part(fresh, key)
        assert {**sent.attrs, "hx-swap-oob": None} == {**there.attrs, "hx-swap-oob": None}, key
        assert squeezed(sent.inner_html) == squeezed(there.inner_html), f"the part {key} differs from a fresh page"


def test_a_note_over_three_paragraphs_sends_those_three_and_the_count(client, alice, bob, article):
    first, second, third, fourth = prose(article)[:4]
    note_on_paragraph(bob, article, second, 0, 10, visibility=PUBLIC)  # another reader's note in the run
    note_on_paragraph(bob, article, fourth, 0, 10, visibility=PUBLIC)  # and one outside it
    client.force_login(alice)
    response = client.post(create_url(article), passage(first, 5, 20, last=third), headers=on_page_of(article))
    assert response.status_code == 200
    assert response["HX-Reswap"] == "none"
    keys = list(
        article.paragraphs.filter(position__range=(first.position, third.position)).values_list("key", flat=True)
    )
    assert swapped_parts(response.content.decode()) == ["note-total", *keys]
    assert note_total(response.content.decode()) == 3
    assert_parts_match_a_fresh_page(client, article, response.content.decode())


def test_marks_of_notes_that_begin_before_the_changed_paragraph_are_kept(client, alice, bob, article):
    first, second = prose(article)[:2]
    long = note_on_range(bob, article, first.key, 3, second.key, 30, visibility=PUBLIC)
    client.force_login(alice)
    response = client.post(create_url(article), passage(second, 10, 40), headers=on_page_of(article))
    changes = response.content.decode()
    assert second.key in swapped_parts(changes)
    sent = part(changes, second.key)
    assert any(str(long.pk) in mark["data-annotations"].split() for mark in sent.find_all("mark"))
    assert_parts_match_a_fresh_page(client, article, changes)


def test_a_whole_article_note_sends_the_drawer_not_the_text(client, alice, article):
    client.force_login(alice)
    response = client.post(create_url(article), {"comment": "All of it"}, headers=on_page_of(article))
    changes = response.content.decode()
    assert swapped_parts(changes) == ["note-total", "article-notes"]
    note = Annotation.objects.get()
    assert note_cards(part(changes, "article-notes")) == [str(note.pk)]
    assert_parts_match_a_fresh_page(client, article, changes)


def test_editing_and_deleting_send_the_same_parts_as_a_fresh_page(client, alice, article):
    paragraph = prose(article)[2]
    note = note_on_paragraph(alice, article, paragraph, 4, 30, comment="before")
    client.force_login(alice)
    edit = {"comment": "after", "tags": "peace", "visibility": PRIVATE}
    changes = client.post(reverse("annotation-edit", args=[note.pk]), edit, headers=on_page_of(article))
    assert swapped_parts(changes.content.decode()) == ["note-filters", paragraph.key]
    assert "after" in changes.content.decode()
    assert_parts_match_a_fresh_page(client, article, changes.content.decode())
    gone = client.post(reverse("annotation-delete", args=[note.pk]), headers=on_page_of(article))
    assert swapped_parts(gone.content.decode()) == ["note-filters", paragraph.key]
    assert str(note.pk) not in gone.content.decode()
    assert_parts_match_a_fresh_page(client, article, gone.content.decode())


def test_a_new_tag_sends_the_filters_again_with_it(client, alice, article):
    client.force_login(alice)
    paragraph = prose(article)[0]
    response = client.post(
        create_url(article), passage(paragraph, 0, 12) | {"tags": "Treaties"}, headers=on_page_of(article)
    )
    changes = response.content.decode()
    assert swapped_parts(changes) == ["note-filters", paragraph.key]
    assert "Treaties" in [option.text for option in part(changes, "note-filters").find_all("option")]
    assert_parts_match_a_fresh_page(client, article, changes)


def test_the_parts_keep_the_filters_of_the_page(client, alice, article):
    paragraph = prose(article)[0]
    tagged = note_on_paragraph(alice, article, paragraph, 0, 10, tags=["war"])
    client.force_login(alice)
    response = client.post(
        create_url(article), passage(paragraph, 12, 30) | {"tags": "peace"}, headers=on_page_of(article, "?tag=war")
    )
    changes = response.content.decode()
    assert note_cards(part(changes, paragraph.key)) == [str(tagged.pk)]
    assert note_total(changes) == 1
    assert_parts_match_a_fresh_page(client, article, changes, "?tag=war")


def test_a_stranger_gets_none_of_another_readers_private_notes_in_the_parts(client, alice, charlie, article):
    paragraph = prose(article)[0]
    private = note_on_paragraph(alice, article, paragraph, 0, 15, comment="alice's secret")
    client.force_login(charlie)
    response = client.post(create_url(article), passage(paragraph, 5, 25), headers=on_page_of(article))
    changes = response.content.decode()
    assert str(private.pk) not in changes
    assert "alice's secret" not in changes
    assert note_total(changes) == 1


def test_an_orphaned_notes_edit_redraws_the_body(client, alice, article):
    note = note_on_paragraph(alice, article, prose(article)[0], 0, 10, comment="was here")
    Annotation.objects.filter(pk=note.pk).update(anchor_status=Annotation.AnchorStatus.ORPHANED)
    client.force_login(alice)
    response = client.post(
        reverse("annotation-edit", args=[note.pk]), {"comment": "still", "visibility": PRIVATE}, headers=ON_PAGE
    )
    assert response.content.decode().lstrip().startswith('<div class="article-body" id="article-body">')


def test_a_reply_deleted_on_the_page_sends_its_threads_paragraph(client, alice, bob, article):
    paragraph = prose(article)[1]
    note = note_on_paragraph(alice, article, paragraph, 0, 10, visibility=PUBLIC)
    client.force_login(bob)
    client.post(reverse("annotation-reply", args=[note.pk]), {"comment": "a reply"})
    reply = Annotation.objects.get(parent=note)
    response = client.post(reverse("annotation-delete", args=[reply.pk]), headers=on_page_of(article))
    assert swapped_parts(response.content.decode()) == ["note-total", paragraph.key]


@pytest.mark.parametrize("inline", [True, False], ids=["cards-inline", "cards-on-demand"])
def test_the_work_does_not_grow_with_the_notes_on_the_page(client, alice, bob, article, inline):
    changed = prose(article)[0]
    client.force_login(alice)

    def queries_for_one_highlight():
        with CaptureQueriesContext(connection) as queries:
            response = client.post(
                create_url(article), passage(changed, 0, 8 + len(queries_for)), headers=on_page_of(article)
            )
        assert response.status_code == 200
        queries_for.append(len(queries))
        return len(queries)

    queries_for = []
    sizes = (5, 40) if inline else (200, 600)
    many_notes(article, [bob, alice], sizes[0], seed=1)
    queries_for_one_highlight()  # the first at this revision reads the article's text; the next reuse it
    few = queries_for_one_highlight()
    many_notes(article, [bob, alice], sizes[1] - sizes[0], seed=2)
    more = queries_for_one_highlight()
    assert few == more


@pytest.mark.parametrize(("before", "change"), [(INLINE_NOTES, "create"), (INLINE_NOTES + 1, "delete")])
def test_a_change_across_the_inline_limit_redraws_the_body(client, alice, bob, article, before, change):
    many_notes(article, [bob], before - 1, seed=3)
    Annotation.objects.filter(author=bob).update(visibility=PUBLIC)
    paragraph = prose(article)[0]
    mine = note_on_paragraph(alice, article, paragraph, 0, 10)
    assert Annotation.objects.visible_to(alice).count() == before
    client.force_login(alice)
    if change == "create":
        response = client.post(create_url(article), passage(paragraph, 12, 30), headers=on_page_of(article))
    else:
        response = client.post(reverse("annotation-delete", args=[mine.pk]), headers=on_page_of(article))
    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith('<div class="article-body" id="article-body">')


def test_a_reply_under_a_hidden_note_says_nothing_of_where_that_note_sits(client, alice, bob, curator, article):
    paragraph = prose(article)[1]
    root = note_on_paragraph(alice, article, paragraph, 0, 10, visibility=PUBLIC)
    client.force_login(bob)
    client.post(reverse("annotation-reply", args=[root.pk]), {"comment": "a reply"})
    reply = Annotation.objects.get(parent=root)
    hide(curator, root, "off-topic")
    edit = {"comment": "edited", "visibility": PUBLIC}
    response = client.post(reverse("annotation-edit", args=[reply.pk]), edit, headers=on_page_of(article))
    body = response.content.decode()
    assert body.lstrip().startswith('<div class="article-body" id="article-body">')
    assert str(root.pk) not in body
