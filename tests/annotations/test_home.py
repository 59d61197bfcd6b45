"""The home page: each article with the number of notes the viewer may see on it; signed in, my newest
notes and my seminars. Nobody's private notes are counted or listed for anyone else."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotations.models import Annotation
from annotations.views.home import SEMINARS_SHOWN as HOME_SEMINARS
from annotations.writing import create_reply, delete_note
from tests.annotations.factories import PRIVATE, PUBLIC, import_markdown, note_on_article, note_on_quote
from tests.pages import parse

pytestmark = pytest.mark.django_db

HOME = reverse("article-list")
SEMINAR = Annotation.Visibility.SEMINAR
QUOTE = "North Korea shot the missiles"


def count_on(page, article):
    card = next(card for card in parse(page).find_all("li", class_="article-card") if article.title in card.text)
    return int(card.find(class_="article-note-count")["data-note-count"])


def recent(page):
    panel = parse(page).find(id="recent-title")
    return [] if panel is None else [link["href"] for link in panel.parent.find_all("a", class_="recent-note")]


def home_of(client, user=None):
    if user is not None:
        client.force_login(user)
    response = client.get(HOME)
    assert response.status_code == 200
    return response.content.decode()


def test_home_is_the_root_and_keeps_its_name():
    assert HOME == "/"


def test_a_visitor_sees_the_articles_with_public_notes_counted(client, article, alice, bob):
    note_on_quote(alice, article, QUOTE, comment="Public one.", visibility=PUBLIC)
    note_on_article(bob, article, comment="Public two.", visibility=PUBLIC)
    page = home_of(client)
    assert count_on(page, article) == 2
    assert "2 notes" in page
    assert "Read closely, together." in page
    assert "My recent notes" not in page
    assert "My seminars" not in page


def test_a_strangers_private_notes_are_not_counted_or_listed_for_others(client, article, alice, bob, charlie):
    secret = note_on_quote(charlie, article, QUOTE, comment="Charlie's secret.", visibility=PRIVATE)
    note_on_article(alice, article, comment="Alice's public note.", visibility=PUBLIC)
    assert count_on(home_of(client), article) == 1
    page = home_of(client, bob)
    assert count_on(page, article) == 1
    assert "Charlie&#x27;s secret" not in page
    assert secret.get_absolute_url() not in recent(page)
    assert count_on(home_of(client, charlie), article) == 2


def test_seminar_notes_are_counted_for_its_members_only(client, article, seminar, alice, bob, charlie):
    note_on_article(bob, article, comment="For the seminar.", visibility=SEMINAR, seminar=seminar)
    assert count_on(home_of(client, alice), article) == 1
    assert count_on(home_of(client, charlie), article) == 0


def test_replies_are_not_counted_as_notes_of_the_article(client, article, alice, bob):
    note = note_on_article(alice, article, comment="Open question.", visibility=PUBLIC)
    create_reply(bob, note, comment="An answer.")
    assert count_on(home_of(client), article) == 1


def test_my_recent_notes_are_my_newest_five_with_links(client, article, alice, bob):
    mine = [note_on_article(alice, article, comment=f"Note number {n}.", visibility=PRIVATE) for n in range(7)]
    note_on_article(bob, article, comment="Bob's own.", visibility=PUBLIC)
    page = home_of(client, alice)
    assert recent(page) == [note.get_absolute_url() for note in reversed(mine[-5:])]
    assert "Note number 6." in page
    assert "Note number 1." not in page
    assert "Bob&#x27;s own." not in page.split('id="recent-title"')[1]


def test_my_recent_notes_leave_out_the_ones_i_deleted(client, article, alice):
    kept = note_on_article(alice, article, comment="Kept.", visibility=PRIVATE)
    delete_note(note_on_article(alice, article, comment="Gone.", visibility=PRIVATE))
    assert recent(home_of(client, alice)) == [kept.get_absolute_url()]


def test_a_reader_without_notes_is_told_how_to_make_one(client, article, bob):
    assert "Select a passage in an article to make your first note." in home_of(client, bob)


def test_my_seminars_are_listed_with_my_role(client, seminar, make_seminar, alice, bob, charlie):
    make_seminar("Other", instructors=[charlie])
    page = home_of(client, bob)
    panel = parse(page).find(id="seminars-title").parent
    assert [link.text for link in panel.find_all("a")][:1] == ["Korea 2006"]
    assert "Other" not in panel.text
    assert "Instructor" not in panel.text
    assert "Instructor" in parse(home_of(client, alice)).find(id="seminars-title").parent.text


def test_a_reader_in_no_seminar_is_offered_to_start_one(client, charlie):
    assert reverse("seminar-create") in home_of(client, charlie)


def test_drafts_are_listed_for_staff_only(client, write_markdown, curator, alice):
    draft = import_markdown(write_markdown, "Title: Work in progress\n\nText.\n", slug="wip", draft=True)
    assert draft.title not in home_of(client, alice)
    assert draft.title in home_of(client, curator)


def test_the_article_list_still_comes_a_page_at_a_time(client, article):
    assert client.get(HOME + "?page=2").status_code == 404
    assert client.get(HOME + "?page=last").status_code == 200


@pytest.mark.parametrize("who", ["alice", "bob"])
def test_the_home_page_asks_as_many_queries_however_many_notes_and_seminars(
    client, article, write_markdown, make_seminar, alice, bob, who
):
    """alice instructs every seminar (from the start: her header counts her queue); bob only takes part."""
    client.force_login(alice if who == "alice" else bob)
    make_seminar("Group first", instructors=[alice], participants=[bob])
    client.get(HOME)
    with CaptureQueriesContext(connection) as few:
        client.get(HOME)
    for n in range(HOME_SEMINARS + 1):
        note_on_article(alice, article, comment=f"Many {n}.", visibility=PUBLIC)
        make_seminar(f"Group {n}", instructors=[alice], participants=[bob])
    import_markdown(write_markdown, "Title: Another\n\nText.\n", slug="another")
    with CaptureQueriesContext(connection) as many:
        page = client.get(HOME).content.decode()
    assert len(many) == len(few)
    assert "All my seminars" in page


def test_a_recent_note_shows_its_words_not_its_markdown(client, article, alice):
    note_on_article(alice, article, comment="Why *this* & <b>that</b>?", visibility=PRIVATE)
    page = home_of(client, alice)
    assert "Why this &amp; that?" in page
    assert "*this*" not in page
