"""The article list and the reading page."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.templatetags.static import static
from django.test.utils import CaptureQueriesContext

from reader.importing import import_file
from reader.models import Article
from tests.pages import block_inner_html, parse

pytestmark = pytest.mark.django_db


def page_of(client, article):
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def contents_links(page):
    nav = parse(page).find("nav", class_="contents")
    return [link["href"] for link in nav.find_all(href=True)] if nav else []


@pytest.fixture
def draft(write_markdown):
    path = write_markdown("Title: Work in Progress\n\nNot ready yet.\n", name="work-in-progress.md")
    return import_file(path, draft=True).article


@pytest.fixture
def long_article(write_markdown):
    blocks = [f"## Part {n}" if n % 50 == 0 else f"Paragraph number {n}, with *some* markup." for n in range(1000)]
    path = write_markdown("Title: Long\n\n" + "\n\n".join(blocks) + "\n", name="long.md")
    return import_file(path).article


# The reading page


def test_reading_page_shows_title_author_and_date(client, article):
    page = page_of(client, article)
    assert '<h1 class="article-title">North Korean Missile Crisis</h1>' in page
    assert '<span class="author">WON Youngsu</span>' in page
    assert '<time datetime="2006-07-26">26 July 2006</time>' in page
    assert "<title>North Korean Missile Crisis · Marginalia</title>" in page


def test_contents_link_to_every_heading_by_its_key(client, article):
    page = page_of(client, article)
    headings = list(article.paragraphs.filter(kind="heading").order_by("position"))
    assert len(headings) == 4
    assert contents_links(page) == [f"#{heading.key}" for heading in headings]
    ids = [element.id for element in parse(page).find_all(id=True)]
    assert all(link[1:] in ids for link in contents_links(page))
    for heading in headings:
        assert f'<a href="#{heading.key}">{heading.text}</a>' in page


def test_every_block_has_its_key_as_id_and_a_permalink(client, article):
    page = page_of(client, article)
    ids = [element.id for element in parse(page).find_all(id=True)]
    permalinks = [link.get("href", "") for link in parse(page).find_all("a", class_="permalink")]
    keys = list(article.paragraphs.order_by("position").values_list("key", flat=True))
    assert [key for key in ids if key in set(keys)] == keys
    assert len(ids) == len(set(ids))
    assert permalinks == [f"#{key}" for key in keys]


def test_block_text_holds_exactly_the_paragraph_html(client, article):
    inner = block_inner_html(page_of(client, article))
    paragraphs = list(article.paragraphs.order_by("position"))
    assert list(inner) == [paragraph.key for paragraph in paragraphs]
    for paragraph in paragraphs:
        assert inner[paragraph.key] == paragraph.html


def test_a_page_without_headings_has_no_contents(client, write_markdown):
    article = import_file(write_markdown("Title: Flat\n\nOne.\n\nTwo.\n", name="flat.md")).article
    page = page_of(client, article)
    assert contents_links(page) == []
    assert "hidden" in parse(page).one("nav", class_="contents").attrs  # there for an edit to fill, not shown


def test_stylesheet_is_linked_and_has_dark_and_print_styles(client, article):
    page = page_of(client, article)
    assert f'<link rel="stylesheet" href="{static("css/site.css")}">' in page
    css = Path(finders.find("css/site.css")).read_text(encoding="utf-8")
    assert re.search(r"@media[^{]*prefers-color-scheme:\s*dark", css)
    assert re.search(r"@media\s+print\s*\{", css)


# Who reads what


def test_article_list_shows_published_articles_to_everyone(client, alice, article, draft):
    for user in (None, alice):
        if user:
            client.force_login(user)
        page = client.get("/").content.decode()
        assert article.title in page
        assert article.get_absolute_url() in page
        assert draft.title not in page


def test_article_list_shows_drafts_to_staff(client, curator, article, draft):
    client.force_login(curator)
    page = client.get("/").content.decode()
    assert article.title in page
    assert draft.title in page
    assert "Draft" in page


def test_article_list_counts_paragraphs(client, article):
    page = client.get("/").content.decode()
    assert f"{article.paragraphs.count()} paragraphs" in page


def test_empty_article_list_says_there_is_nothing_yet(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "No articles yet." in response.content.decode()


def test_only_drafts_looks_empty_to_readers(client, bob, draft):
    client.force_login(bob)
    assert "No articles yet." in client.get("/").content.decode()


@pytest.mark.parametrize("who", ["anonymous", "bob"])
def test_draft_reading_page_is_not_found_for_readers(client, bob, draft, who):
    if who == "bob":
        client.force_login(bob)
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_draft_reading_page_opens_for_staff_with_a_badge(client, curator, draft):
    client.force_login(curator)
    page = page_of(client, draft)
    assert "Draft — only staff see this article" in page
    assert "Not ready yet." in page


def test_unknown_slug_is_not_found_on_the_sites_404_page(client, article):
    response = client.get("/articles/no-such-article/")
    assert response.status_code == 404
    assert "404.html" in [template.name for template in response.templates]
    page = response.content.decode()
    assert "Not found" in page
    assert '<a class="brand" href="/">Marginalia</a>' in page


# Query counts stay flat


@pytest.mark.parametrize("who", ["anonymous", "alice"])
def test_reading_page_query_count_does_not_grow_with_paragraphs(
    client, django_assert_num_queries, alice, article, long_article, who
):
    if who == "alice":
        client.force_login(alice)
    assert long_article.paragraphs.count() == 1000
    with CaptureQueriesContext(connection) as seed_queries:
        page_of(client, article)
    measured = len(seed_queries)
    assert measured > 0

    with django_assert_num_queries(measured):
        page_of(client, article)
    with django_assert_num_queries(measured):
        page = page_of(client, long_article)
    assert len(block_inner_html(page)) == 1000


def test_article_list_query_count_does_not_grow_with_articles(
    client, django_assert_num_queries, article, write_markdown
):
    with CaptureQueriesContext(connection) as one_article:
        client.get("/")
    for n in range(10):
        import_file(write_markdown(f"Title: Extra {n}\n\nText {n}.\n", name=f"extra-{n}.md"))
    with django_assert_num_queries(len(one_article)):
        page = client.get("/").content.decode()
    assert "Extra 9" in page
    assert Article.objects.count() == 11
