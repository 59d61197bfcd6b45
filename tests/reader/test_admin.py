"""Curating articles in the admin."""

import pytest

from reader.importing import import_file
from reader.models import Article
from tests.pages import parse

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/reader/article/"


def form_data(page, form_id):
    """The data a browser would submit from the form `form_id` on the page, as {name: [values]}."""
    data = {}
    for field in parse(page).one("form", id=form_id).descendants():
        name, kind = field.get("name"), field.get("type")
        if not name or "__prefix__" in name:
            continue
        if field.tag == "input" and kind not in ("submit", "button", "file", "image"):
            ticked = kind not in ("checkbox", "radio") or "checked" in field.attrs
            values = [field.get("value", "on" if kind == "checkbox" else "")] if ticked else []
        elif field.tag == "textarea":
            values = [field.text.removeprefix("\n")]  # a browser drops the newline right after <textarea>
        elif field.tag == "select":
            values = [option.get("value", "") for option in field.find_all("option", selected=True)]
        else:
            values = []
        if values:
            data.setdefault(name, []).extend(values)
    return data


@pytest.fixture
def curator_client(client, curator):
    client.force_login(curator)
    return client


@pytest.fixture
def draft(write_markdown):
    return import_file(write_markdown("Title: Unfinished Essay\n\nSoon.\n", name="unfinished.md"), draft=True).article


def test_curator_opens_the_admin_and_the_article_list(curator_client, article):
    assert curator_client.get("/admin/").status_code == 200
    response = curator_client.get(CHANGELIST)
    assert response.status_code == 200
    assert article.title in response.content.decode()


def test_curator_searches_articles(curator_client, article, draft):
    page = curator_client.get(CHANGELIST, {"q": "Korean"}).content.decode()
    assert article.title in page
    assert draft.title not in page
    page = curator_client.get(CHANGELIST, {"q": "unfinished"}).content.decode()
    assert draft.title in page
    assert article.title not in page


@pytest.mark.parametrize(
    ("status", "shown", "hidden"), [("draft", "draft", "article"), ("published", "article", "draft")]
)
def test_curator_filters_articles_by_status(curator_client, article, draft, status, shown, hidden):
    articles = {"article": article, "draft": draft}
    response = curator_client.get(CHANGELIST, {"status__exact": status})
    page = response.content.decode()
    assert response.status_code == 200
    assert articles[shown].title in page
    assert articles[hidden].title not in page


def test_article_change_page_lists_its_paragraphs_inline(curator_client, article):
    response = curator_client.get(f"{CHANGELIST}{article.pk}/change/")
    assert response.status_code == 200
    fields = form_data(response.content.decode(), "article_form")
    count = article.paragraphs.count()
    assert fields["paragraphs-TOTAL_FORMS"] == [str(count)]
    assert fields["paragraphs-INITIAL_FORMS"] == [str(count)]
    first = article.paragraphs.get(position=0)
    assert fields["paragraphs-0-source"] == [first.source]
    assert first.key in response.content.decode()


def test_editing_a_paragraph_in_the_admin_rerenders_it_and_bumps_the_revision(curator_client, article):
    url = f"{CHANGELIST}{article.pk}/change/"
    data = form_data(curator_client.get(url).content.decode(), "article_form")
    paragraph = article.paragraphs.get(position=1)
    assert data["paragraphs-1-id"] == [str(paragraph.pk)]
    data["paragraphs-1-source"] = ["A *corrected* sentence with a [source](https://example.org/)."]
    data["_save"] = ["Save"]

    response = curator_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    paragraph.refresh_from_db()
    article.refresh_from_db()
    assert paragraph.text == "A corrected sentence with a source."
    assert "<em>corrected</em>" in paragraph.html
    assert 'href="https://example.org/"' in paragraph.html
    assert article.revision == 2


def test_saving_the_article_unchanged_keeps_the_revision(curator_client, article):
    url = f"{CHANGELIST}{article.pk}/change/"
    data = form_data(curator_client.get(url).content.decode(), "article_form")
    data["_save"] = ["Save"]
    assert curator_client.post(url, data).status_code == 302
    article.refresh_from_db()
    assert article.revision == 1


@pytest.mark.parametrize(
    ("action", "before", "after"), [("publish", "draft", "published"), ("unpublish", "published", "draft")]
)
def test_publish_and_unpublish_actions_change_the_status(curator_client, write_markdown, action, before, after):
    one = import_file(write_markdown("Title: One\n\nText.\n", name="one.md"), draft=before == "draft").article
    two = import_file(write_markdown("Title: Two\n\nText.\n", name="two.md"), draft=before == "draft").article
    untouched = import_file(write_markdown("Title: Three\n\nText.\n", name="three.md"), draft=before == "draft").article

    response = curator_client.post(CHANGELIST, {"action": action, "_selected_action": [one.pk, two.pk], "index": 0})
    assert response.status_code == 302
    statuses = dict(Article.objects.values_list("slug", "status"))
    assert statuses == {one.slug: after, two.slug: after, untouched.slug: before}
    messages = curator_client.get(CHANGELIST).content.decode()
    assert "2 article(s)" in messages


@pytest.mark.parametrize("path", ["/admin/", CHANGELIST])
def test_readers_are_sent_to_the_admin_login(client, alice, path):
    client.force_login(alice)
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/?next=")


def test_anonymous_visitors_are_sent_to_the_admin_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/admin/"
