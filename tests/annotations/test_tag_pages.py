"""The tag pages: /tags/ (tags of the notes you can see, with counts) and /tags/<slug>/ (those notes)."""

import pytest
from django.urls import reverse
from taggit.models import Tag

from tests.annotations.factories import (
    PUBLIC,
    get_page,
    import_markdown,
    note_cards,
    note_on_article,
    note_on_quote,
    tag_counts,
)
from tests.pages import parse

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_article(write_markdown):
    return import_markdown(write_markdown, "Title: Another Piece\n\nPeace is a long word.\n", slug="another-piece")


@pytest.fixture
def tagged(alice, bob, article, other_article):
    return [
        note_on_quote(alice, article, "North Korea shot the missiles", tags=["peace", "war"]),
        note_on_quote(alice, article, "kind of mysteries", tags=["peace"], visibility=PUBLIC),
        note_on_quote(bob, other_article, "long word", tags=["Peace", "words"], visibility=PUBLIC),
        note_on_quote(bob, article, "missile experiment", tags=["war"]),
    ]


# /tags/ -----------------------------------------------------------------------------------


def test_the_tag_list_counts_only_the_notes_each_reader_can_see(client, alice, bob, tagged):
    assert tag_counts(get_page(client, "/tags/")) == {"peace": 2, "words": 1}
    client.force_login(alice)
    assert tag_counts(get_page(client, "/tags/")) == {"peace": 3, "war": 1, "words": 1}
    client.force_login(bob)
    assert tag_counts(get_page(client, "/tags/")) == {"peace": 2, "war": 1, "words": 1}


def test_the_tag_list_links_each_tag_to_its_page(client, tagged):
    page = get_page(client, "/tags/")
    assert '<a href="/tags/peace/">#peace</a>' in page
    assert '<a href="/tags/words/">#words</a>' in page


def test_the_tag_list_says_so_when_there_is_nothing_to_show(client, alice, article):
    assert "No tags yet." in get_page(client, "/tags/")
    note_on_article(alice, article, tags=["private-only"])
    page = get_page(client, "/tags/")
    assert "No tags yet." in page
    assert "private-only" not in page


def test_a_hangul_tag_gets_a_working_page(client, alice, article):
    note = note_on_quote(alice, article, "kind of mysteries", tags=["평화"], visibility=PUBLIC)
    assert Tag.objects.get().slug == "평화"
    url = reverse("tag-detail", args=["평화"])
    assert url == "/tags/%ED%8F%89%ED%99%94/"
    assert f'<a href="{url}">#평화</a>' in get_page(client, "/tags/")
    assert note_cards(get_page(client, url)) == [str(note.pk)]
    assert note_cards(get_page(client, "/tags/평화/")) == [str(note.pk)]


# /tags/<slug>/ ----------------------------------------------------------------------------


def test_a_tag_page_lists_the_visible_notes_across_articles_newest_first(client, tagged):
    page = get_page(client, "/tags/peace/")
    assert note_cards(page) == [str(tagged[2].pk), str(tagged[1].pk)]
    assert "#peace" in page


def test_a_tag_page_shows_alice_her_private_notes_too(client, alice, tagged):
    client.force_login(alice)
    assert note_cards(get_page(client, "/tags/peace/")) == [str(tagged[2].pk), str(tagged[1].pk), str(tagged[0].pk)]


def test_each_note_on_a_tag_page_links_to_its_passage(client, tagged, article, other_article):
    page = get_page(client, "/tags/peace/")
    links = [source.one("a") for source in parse(page).find_all("p", class_="tagged-source")]
    sources = [(link["href"], link.text) for link in links]
    assert sources == [
        (f"/articles/another-piece/#{tagged[2].start_key}", "Another Piece"),
        (f"/articles/{article.slug}/#{tagged[1].start_key}", article.title),
    ]
    response = client.get(sources[1][0].split("#")[0])
    assert f'id="{tagged[1].start_key}"' in response.content.decode()


def test_a_whole_article_note_on_a_tag_page_links_to_its_card(client, alice, article):
    note = note_on_article(alice, article, tags=["overall"], visibility=PUBLIC)
    page = get_page(client, "/tags/overall/")
    assert f'<a href="/articles/{article.slug}/#note-{note.pk}">' in page


def test_an_unknown_tag_is_a_404(client):
    assert client.get("/tags/no-such-tag/").status_code == 404


def test_a_tag_whose_notes_are_all_deleted_is_a_404(client, alice, article):
    note = note_on_article(alice, article, tags=["gone"], visibility=PUBLIC)
    assert client.get("/tags/gone/").status_code == 200
    note.delete()
    assert client.get("/tags/gone/").status_code == 404
    assert "gone" not in get_page(client, "/tags/")
