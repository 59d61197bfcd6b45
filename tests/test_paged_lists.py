"""Every list page comes a page at a time: articles, tags, a tag's notes, a person's notes, the inbox,
my seminars, a seminar's members and its participation table.

`?page=N` or `?page=last`; a page that is not a number, or is past the end, is a 404. Each page
asks as many queries for a list of many pages as for a list of one, and shows charlie none of
alice's private notes on any page.
"""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from annotations.models import Annotation, Notification
from annotations.views import browsing, home
from reader.models import Article
from seminars import views as seminar_views
from seminars.models import Membership, Seminar
from tests.annotations.factories import many_notes, note_on_quote
from tests.pages import parse

pytestmark = pytest.mark.django_db

User = get_user_model()


@dataclass
class Listing:
    """One paged list: where it is, who reads it, how to grow it by `n` rows, and how to count its rows."""

    url: str
    viewer: str
    per_page: int
    grow: object  # (context, n) -> None: add n rows the viewer sees
    rows: object  # page -> the row elements on it


def article_cards(page):
    return parse(page).find_all("li", class_="article-card")


def note_cards(page):
    return parse(page).find_all("article", class_="note")


def grow_articles(context, n):
    batch = context.next_batch()
    Article.objects.bulk_create(
        [Article(slug=f"piece-{batch}-{i}", title=f"Piece {i}", status=Article.Status.PUBLISHED) for i in range(n)]
    )


def grow_public_notes(tag):
    def grow(context, n):
        context.notes += many_notes(context.article, [context.alice], n * 3 // 2 + 2, tags=[tag])

    return grow


def grow_tags(context, n):
    many_notes(context.article, [context.alice], n * 3 // 2 + 2, tags=[f"topic{i}" for i in range(n)], seed=3)


def grow_inbox(context, n):
    mysteries = "kind of mysteries"
    note = note_on_quote(context.alice, context.article, mysteries, visibility="public", comment=f"{n} replies")
    start = timezone.now()
    replies = Annotation.objects.bulk_create(
        Annotation(author=context.bob, article=context.article, parent=note, thread=note, visibility="public",
                   comment=f"Reply {i}", article_revision=1, created=start + timedelta(seconds=i))
        for i in range(n)
    )  # fmt: skip
    Notification.objects.bulk_create(
        Notification(recipient=context.alice, actor=context.bob, kind="reply", annotation=reply) for reply in replies
    )


def grow_seminars(context, n):
    batch = context.next_batch()
    seminars = Seminar.objects.bulk_create(Seminar(slug=f"group-{batch}-{i}", name=f"Group {i:03}") for i in range(n))
    Membership.objects.bulk_create(Membership(seminar=seminar, user=context.alice) for seminar in seminars)


def grow_members(context, n):
    batch = context.next_batch()
    readers = User.objects.bulk_create(User(username=f"reader{batch}-{i:03}") for i in range(n))
    Membership.objects.bulk_create(Membership(seminar=context.seminar, user=reader) for reader in readers)


def grow_participation(context, n):
    grow_members(context, n // len(context.seminar.reading_list.all()) + 1)


LISTINGS = {
    "articles": Listing("/", "anonymous", home.ARTICLES_PER_PAGE, grow_articles, article_cards),
    "tag-list": Listing(
        "/tags/", "alice", browsing.TAGS_PER_PAGE, grow_tags,
        lambda page: parse(page).one("ul", class_="tag-cloud").find_all("li"),
    ),
    "tag": Listing("/tags/peace/", "bob", browsing.NOTES_PER_PAGE, grow_public_notes("peace"), note_cards),
    "person": Listing("/people/alice/", "bob", browsing.NOTES_PER_PAGE, grow_public_notes("mine"), note_cards),
    "inbox": Listing(
        "/inbox/", "alice", browsing.NOTIFICATIONS_PER_PAGE, grow_inbox,
        lambda page: parse(page).find_all("li", class_="inbox-item"),
    ),
    "seminars": Listing("/seminars/", "alice", seminar_views.SEMINARS_PER_PAGE, grow_seminars, article_cards),
    "members": Listing(
        "/seminars/korea-2006/", "alice", seminar_views.MEMBERS_PER_PAGE, grow_members,
        lambda page: parse(page).one("ul", class_="members").find_all("li"),
    ),
    "participation": Listing(
        "/seminars/korea-2006/participation/?sort=words&order=desc", "alice", seminar_views.ROWS_PER_PAGE,
        grow_participation, lambda page: parse(page).one("tbody").find_all("tr"),
    ),
}  # fmt: skip


class Context:
    def __init__(self, **people):
        self.__dict__.update(people)
        self.notes, self.batches = [], 0

    def next_batch(self):
        """A number for the rows made by one call of a `grow`, so names stay unique when it is called again."""
        self.batches += 1
        return self.batches


@pytest.fixture(params=list(LISTINGS))
def listing(request, client, alice, bob, charlie, article, seminar):
    seminar.add_to_reading_list(article)
    listing = LISTINGS[request.param]
    if listing.viewer != "anonymous":
        client.force_login({"alice": alice, "bob": bob}[listing.viewer])
    listing.context = Context(alice=alice, bob=bob, charlie=charlie, article=article, seminar=seminar)
    return listing


def get(client, url, page=None):
    if page is not None:
        url += ("&" if "?" in url else "?") + f"page={page}"
    response = client.get(url)
    return response.status_code, response.content.decode()


def where(page):
    return parse(page).one("span", class_="pagination-where").text


def test_a_long_list_shows_one_page_at_a_time_and_links_to_the_next(client, listing):
    listing.grow(listing.context, listing.per_page * 2 + 5)
    status, first = get(client, listing.url)
    assert status == 200
    assert len(listing.rows(first)) == listing.per_page
    assert where(first) == "Page 1 of 3"
    next_link = parse(first).one("a", rel="next")["href"]
    assert "page=2" in next_link
    if "?" in listing.url:  # the list's own query (a sort order, say) goes along
        assert listing.url.split("?")[1].split("&")[0] in next_link
    status, last = get(client, listing.url, "last")
    assert status == 200
    assert where(last) == "Page 3 of 3"
    assert parse(last).find("a", rel="next") is None
    assert 0 < len(listing.rows(last)) <= listing.per_page
    assert not {row.html for row in listing.rows(first)} & {row.html for row in listing.rows(last)}


@pytest.mark.parametrize("page", ["two", "0", "-1", "4", "1.5", "99999999999999999999"])
def test_a_page_that_is_not_there_is_a_404(client, listing, page):
    listing.grow(listing.context, listing.per_page * 2 + 5)
    assert get(client, listing.url, page)[0] == 404


def test_a_short_list_shows_no_page_links(client, listing):
    listing.grow(listing.context, 2)
    status, page = get(client, listing.url)
    assert status == 200
    assert parse(page).find("nav", class_="pagination") is None


def test_a_page_of_a_long_list_asks_as_many_queries_as_a_page_of_a_short_one(
    client, listing, django_assert_num_queries
):
    listing.grow(listing.context, 2)
    client.get(listing.url)  # warm up: sessions, content types and the like are cached after this
    with CaptureQueriesContext(connection) as short:
        client.get(listing.url)
    listing.grow(listing.context, listing.per_page * 3)
    for page in (None, 2, "last"):
        with django_assert_num_queries(len(short)):
            assert get(client, listing.url, page)[0] == 200


# What each page shows ------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/tags/peace/", "/people/alice/"])
def test_no_page_shows_charlie_any_of_alices_private_notes(client, alice, charlie, article, url):
    notes = many_notes(article, [alice], browsing.NOTES_PER_PAGE * 4, tags=["peace"])
    private = {str(note.pk) for note in notes if note.visibility == "private"}
    public = {str(note.pk) for note in notes} - private
    client.force_login(charlie)
    shown = set()
    for page in range(1, 1 + len(public) // browsing.NOTES_PER_PAGE + 1):
        status, html = get(client, url, page)
        if status == 404:
            break
        shown |= {card.id.removeprefix("note-") for card in note_cards(html)}
    assert shown == public
    assert not shown & private


def test_the_tag_page_of_three_thousand_notes_is_one_small_page(client, alice, bob, article):
    many_notes(article, [alice, bob], 3000, tags=["peace"])
    status, page = get(client, "/tags/peace/")
    assert status == 200
    assert len(note_cards(page)) == browsing.NOTES_PER_PAGE
    assert len(page.encode()) < 150_000
    assert where(page) == "Page 1 of 67"  # the 2,000 public notes anyone reads, 30 a page


def test_no_page_of_the_tag_list_shows_charlie_a_tag_only_on_alices_private_notes(client, alice, charlie, article):
    many_notes(
        article, [alice], browsing.TAGS_PER_PAGE * 3, tags=[f"topic{i}" for i in range(browsing.TAGS_PER_PAGE * 3)]
    )
    private = set(Annotation.objects.filter(visibility="private").values_list("tagged_items__tag__name", flat=True))
    client.force_login(charlie)
    shown = set()
    for page in (1, 2, 3):
        status, html = get(client, "/tags/", page)
        if status == 404:
            break
        shown |= {
            item.one("a").text.removeprefix("#") for item in parse(html).one("ul", class_="tag-cloud").find_all("li")
        }
    assert len(shown) == browsing.TAGS_PER_PAGE * 2  # every third note, and so every third tag, is private
    assert not shown & private
