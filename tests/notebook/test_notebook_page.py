"""/notebook/: my notes (or all I can see), by article in reading order, filtered and paged."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotations.writing import create_reply
from tests.annotations.factories import many_notes, note_on_quote
from tests.pages import parse

pytestmark = pytest.mark.django_db
URL = "/notebook/"


def cards(client, query=""):
    response = client.get(URL + query)
    assert response.status_code == 200, response.content.decode()[:2000]
    return [
        card["id"].removeprefix("note-") for card in parse(response.content.decode()).find_all("article", class_="note")
    ]


def link(element, text):
    (found,) = [a for a in element.find_all("a") if a.text.strip() == text]
    return found


def ids(*notes):
    return [str(note.pk) for note in notes]


def test_anonymous_readers_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_header_links_to_the_notebook_for_signed_in_readers(client, alice, article):
    assert f'href="{URL}"' not in client.get("/").content.decode()
    client.force_login(alice)
    assert f'href="{URL}"' in client.get("/").content.decode()


def test_my_notes_are_grouped_by_article_in_reading_order(client, alice, cast):
    client.force_login(alice)
    expected = [cast[name] for name in ("private", "tagged", "seminar", "public")]
    page = client.get(URL).content.decode()
    # The seed article ("North Korean…") before "A Second Reading"? No: titles in alphabetical order.
    headings = [h2.text.strip() for h2 in parse(page).find_all("h2")]
    assert headings == ["A Second Reading", "North Korean Missile Crisis"]
    assert cards(client) == ids(cast["whole"], *expected)


def test_a_note_shows_its_quote_comment_tags_replies_and_place(client, alice, bob, cast):
    note = cast["seminar"]
    create_reply(bob, note, comment="A reply")
    client.force_login(alice)
    card = parse(client.get(URL).content.decode()).one("article", id=f"note-{note.pk}")
    assert "a fundamental limitation" in card.one("blockquote").text
    assert card.one("div", class_="note-comment").text.strip() == "For the seminar"
    assert "1 reply" in card.text
    assert link(card, "Open at its place")["href"] == f"/articles/{note.article.slug}/#{note.start_key}"
    tagged = parse(client.get(URL).content.decode()).one("article", id=f"note-{cast['tagged'].pk}")
    assert "<em>thought</em>" in tagged.one("div", class_="note-comment").html
    assert [a.text for a in tagged.one("ul", class_="note-tags").find_all("a")] == ["#Cold War", "#peace"]


def test_the_replies_count_leaves_out_replies_i_cannot_see(client, alice, bob, charlie, cast):
    note = cast["public"]
    create_reply(bob, note, comment="Seen by all")
    client.force_login(charlie)
    card = parse(client.get(URL + "?scope=all").content.decode()).one("article", id=f"note-{note.pk}")
    assert "1 reply" in card.text


def test_carol_sees_none_of_alices_private_or_seminar_notes(client, charlie, cast):
    client.force_login(charlie)
    assert cards(client) == []
    assert cards(client, "?scope=all") == ids(cast["bob_public"], cast["public"])  # "the 6-way talk" comes first


def test_the_switch_shows_everything_i_can_see(client, bob, cast):
    client.force_login(bob)
    assert cards(client) == ids(cast["bob_private"], cast["bob_public"])  # "stuck to a stalemate" comes first
    everything = set(cards(client, "?scope=all"))
    assert everything == set(ids(cast["seminar"], cast["public"], cast["bob_public"], cast["bob_private"]))


def test_staff_see_no_private_or_seminar_notes_of_others(client, curator, cast):
    client.force_login(curator)
    assert set(cards(client, "?scope=all")) == set(ids(cast["public"], cast["bob_public"]))


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("?article=second-reading", ["whole"]),
        ("?tag=peace", ["tagged"]),
        ("?tag=cold-war", ["tagged"]),
        ("?visibility=public", ["public"]),
        ("?visibility=private", ["whole", "private", "tagged"]),
        ("?seminar=korea-2006", ["seminar"]),
        ("?commented=on", ["whole", "tagged", "seminar", "public"]),
        ("?commented=on&visibility=private&article=north-korean-missile-crisis", ["tagged"]),
    ],
)
def test_the_filters_narrow_the_list(client, alice, cast, query, names):
    client.force_login(alice)
    assert cards(client, query) == ids(*(cast[name] for name in names))


def test_the_date_range_filter(client, alice, cast):
    old = cast["private"]
    type(old).objects.filter(pk=old.pk).update(created=datetime.datetime(2020, 1, 5, tzinfo=datetime.UTC))
    client.force_login(alice)
    assert cards(client, "?until=2020-01-31") == ids(old)
    assert str(old.pk) not in cards(client, "?since=2020-02-01")
    assert cards(client, "?since=2020-01-05&until=2020-01-05") == ids(old)


def test_needs_attention_lists_suggested_and_orphaned_notes(client, alice, cast):
    orphan, suggested = cast["private"], cast["tagged"]
    type(orphan).objects.filter(pk=orphan.pk).update(anchor_status="orphaned")
    type(orphan).objects.filter(pk=suggested.pk).update(anchor_status="suggested")
    client.force_login(alice)
    assert cards(client, "?attention=on") == ids(orphan, suggested)  # reading order: by place
    card = parse(client.get(URL + "?attention=on").content.decode()).one("article", id=f"note-{orphan.pk}")
    assert "Orphaned" in card.text
    assert link(card, "Open the note")["href"] == reverse("annotation-detail", args=[orphan.pk])


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?article=no-such-article", "There are no notes you can see on an article “no-such-article”."),
        ("?tag=no-such-tag", "No note you can see has a tag “no-such-tag”."),
        ("?seminar=not-mine", "You are in no seminar “not-mine”."),
        ("?visibility=secret", "Select a valid choice."),
        ("?since=yesterday", "Enter a valid date."),
        ("?since=2024-02-01&until=2024-01-01", "The dates are the wrong way round"),
    ],
)
def test_a_bad_filter_is_a_400_that_says_what_to_fix(client, alice, cast, query, message):
    client.force_login(alice)
    response = client.get(URL + query)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_filter_on_bobs_seminar_is_refused_for_charlie(client, charlie, cast):
    client.force_login(charlie)
    assert client.get(URL + "?seminar=korea-2006").status_code == 400


def test_an_empty_notebook_says_how_to_make_a_first_note(client, charlie, article):
    client.force_login(charlie)
    empty = parse(client.get(URL).content.decode()).one("div", class_="empty")
    assert "select some words" in empty.text


def test_filters_that_match_nothing_say_so(client, alice, cast):
    client.force_login(alice)
    page = client.get(URL + "?visibility=public&commented=on&article=second-reading").content.decode()
    assert "No notes match these filters." in page


def test_the_notebook_comes_a_page_at_a_time(client, alice, article):
    many_notes(article, [alice], 120)
    client.force_login(alice)
    first, second, third = cards(client), cards(client, "?page=2"), cards(client, "?page=3")
    assert (len(first), len(second), len(third)) == (50, 50, 20)
    assert not set(first) & set(second)
    assert client.get(URL + "?page=4").status_code == 404


def test_the_export_links_carry_the_filters(client, alice, cast):
    client.force_login(alice)
    page = parse(client.get(URL + "?tag=peace&page=1").content.decode())
    links = [a["href"] for a in page.one("p", class_="notebook-export").find_all("a")]
    assert links == [
        "/notebook/export/?tag=peace&format=md",
        "/notebook/export/?tag=peace&format=csv",
        "/notebook/export/?tag=peace&format=jsonld",
    ]


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("query", ["", "?scope=all", "?tag=peace&commented=on"])
def test_the_query_count_does_not_grow_with_notes_or_articles(client, alice, bob, article, write_markdown, query):
    from tests.annotations.factories import import_markdown

    client.force_login(alice)
    note_on_quote(alice, article, "North Korea shot the missiles", suffix=", surprising", tags=["peace"], comment="x")
    few = queries(client, URL + query)
    for n in range(5):
        other = import_markdown(write_markdown, f"Title: Other {n}\n\nSome words of peace {n}.\n", slug=f"other-{n}")
        other.status = "published"
        other.save(update_fields=["status"])
        many_notes(other, [alice, bob], 30)
    many_notes(article, [alice, bob], 200)
    assert queries(client, URL + query) == few
