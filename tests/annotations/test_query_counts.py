"""The reading page's SQL stays flat: as many queries for a thousand notes as for ten.

Notes, replies, upvotes, tags, seminar members: none of them adds a query per item. The
count is measured once on a small page (10 notes, each discussed), which is the most the
page ever asks for; every larger page must stay within it, and a page with no notes or
with so many that they load on demand asks for less.
"""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations.models import Annotation, Upvote
from annotations.reading import INLINE_NOTES
from annotations.writing import create_reply
from seminars.models import Membership
from tests.annotations.factories import many_notes, note_cards, note_on_quote

pytestmark = pytest.mark.django_db


def discuss(notes, people):
    """Give every public or seminar note a reply, a reply to that reply, and upvotes."""
    for note in notes:
        if note.visibility == Annotation.Visibility.PRIVATE:
            continue
        reply = create_reply(people[0], note, comment="A reply")
        create_reply(people[1], reply, comment="A reply to the reply")
        Upvote.objects.bulk_create(
            [Upvote(annotation=note, user=person) for person in people if person.pk != note.author_id]
        )


def add_members(seminar, count):
    users = get_user_model().objects.bulk_create([get_user_model()(username=f"member{n}") for n in range(count)])
    Membership.objects.bulk_create([Membership(seminar=seminar, user=user) for user in users])


def queries(client, url):
    client.get(url)  # warm up: sessions, content types and the like are cached after this
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


@pytest.fixture(params=["anonymous", "alice", "bob"])
def viewer(request, client):
    if request.param != "anonymous":
        client.force_login(request.getfixturevalue(request.param))
    return request.param


def test_ten_or_a_thousand_notes_with_their_threads_ask_no_more_queries(
    client, viewer, alice, bob, charlie, article, seminar
):
    url = f"{article.get_absolute_url()}?seminar={seminar.slug}"
    empty, _ = queries(client, url)

    ten = many_notes(article, [alice, bob], 8)
    ten += [
        note_on_quote(alice, article, "abrupt policy changes", visibility="seminar", seminar=seminar, is_question=True),
        note_on_quote(bob, article, "unpredictability", visibility="seminar", seminar=seminar),
    ]
    discuss(ten, [alice, bob, charlie])
    small, page = queries(client, url + "&scope=all")
    assert note_cards(page), "the small page shows its notes inline"
    assert "A reply to the reply" in page

    more = many_notes(article, [alice, bob, charlie], INLINE_NOTES - 10 - 5, seed=1)
    discuss(more[:30], [alice, bob, charlie])
    add_members(seminar, 30)
    largest_inline, page = queries(client, url + "&scope=all")
    assert "A reply to the reply" in page

    many_notes(article, [alice, bob, charlie], 1000, seed=2)
    thousand, page = queries(client, url + "&scope=all")
    assert not note_cards(page), "past INLINE_NOTES the notes load on demand"

    assert largest_inline == small
    assert thousand <= small
    assert empty <= small


def test_a_paragraphs_notes_on_demand_ask_no_more_queries_for_more_threads(client, alice, bob, charlie, article):
    client.force_login(bob)
    paragraph = article.paragraphs.get(position=2)
    exact = paragraph.text[:20]
    notes = [note_on_quote(alice, article, exact, visibility="public")]
    discuss(notes, [bob, charlie])
    url = f"{article.get_absolute_url()}notes/at/{paragraph.key}/"
    small, _ = queries(client, url)
    notes = [note_on_quote(alice, article, exact, visibility="public", comment=f"n{n}") for n in range(20)]
    discuss(notes, [bob, charlie])
    large, page = queries(client, url)
    assert page.count("A reply to the reply") == 21
    assert large == small


# Pinned. Anonymous: the article, its paragraphs, the places of the notes shown, the tags on them
# (the filter), the curators' picks.
ANONYMOUS_EMPTY_PAGE = 5
# Signed in, also: the session and the reader, the seminars the note form offers, and one query that
# says which of the header's three counts (inbox, moderation, cards to review) has anything to count.
# The tags on the article and the reader's own tags
# for the form's suggestions come in one query (a small one, when neither has a tag); the reader's
# notes awaiting them are asked for only when the notes' places show some (or a filter hides some of
# theirs).
SIGNED_IN_EMPTY_PAGE = ANONYMOUS_EMPTY_PAGE + 4
# Notes shown inline add their cards, their tags, their threads' replies and the replies' tags;
# for a signed-in reader, also the seminars they instruct (whose notes they may moderate). Where
# there is nothing to list, the tags, the picks and the header's counts each ask one small query
# that says so; with something to list (the notes here are tagged), that query is followed by the
# one that applies the visibility rule.
INLINE_NOTES_QUERIES = {"anonymous": 5, "bob": 6}


@pytest.mark.parametrize("who", ["anonymous", "bob"])
def test_the_reading_page_asks_a_pinned_number_of_queries(client, alice, bob, article, who):
    if who == "bob":
        client.force_login(bob)
    expected = SIGNED_IN_EMPTY_PAGE if who == "bob" else ANONYMOUS_EMPTY_PAGE
    empty, _ = queries(client, article.get_absolute_url())
    assert empty == expected
    notes = many_notes(article, [alice], 12)
    Annotation.objects.filter(pk__in=[note.pk for note in notes]).update(visibility=Annotation.Visibility.PUBLIC)
    discuss(notes[:3], [alice, bob])
    shown, page = queries(client, article.get_absolute_url())
    assert len(note_cards(page)) >= 12
    assert shown == expected + INLINE_NOTES_QUERIES[who]


def visibility_rule_queries(client, url):
    """The queries a page asks that apply the visibility rule (its hidden-replies part is a recursive query)."""
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in captured if "RECURSIVE" in query["sql"].upper()]


@pytest.mark.parametrize("who", ["anonymous", "bob"])
def test_with_nothing_to_count_the_page_asks_the_visibility_rule_once(client, alice, bob, article, who):
    """The header's counts, the tags and the curators' picks cost a small query each when there is
    nothing to count: only the notes' places are read through the visibility rule."""
    if who == "bob":
        client.force_login(bob)
    assert len(visibility_rule_queries(client, article.get_absolute_url())) == 1
