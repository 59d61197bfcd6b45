"""Curating articles in the admin."""

import pytest
from django.db.models import F

from reader.admin import ArticleAdmin
from reader.importing import import_file
from reader.models import Article, Paragraph, Revision
from reader.rendering import render_block
from reader.revising import Entry, revise
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


# An editor's change made while the admin page is open -------------------------------------------


def correct(article, old, new, author=None):
    """The curator's editor saves a correction: a new revision."""
    entries = [Entry(p.key, render_block(p.source.replace(old, new))) for p in article.paragraphs.order_by("position")]
    return revise(article, entries, author=author, message="Corrected in the editor")


def test_the_article_form_carries_the_revision_it_was_opened_at(curator_client, article):
    correct(article, "frequent abrupt", "frequent sudden")
    page = curator_client.get(f"{CHANGELIST}{article.pk}/change/").content.decode()
    field = parse(page).one("input", name="based_on_revision")
    assert (field["type"], field["value"]) == ("hidden", "2")


def test_saving_a_form_opened_before_an_editors_correction_is_refused_and_writes_nothing(
    curator_client, curator, article
):
    url = f"{CHANGELIST}{article.pk}/change/"
    data = form_data(curator_client.get(url).content.decode(), "article_form")
    correct(article, "frequent abrupt", "frequent sudden", author=curator)  # meanwhile, in the editor
    data["title"] = ["A better title"]  # only the title changed in the admin
    data["_save"] = ["Save"]

    response = curator_client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    errors = " ".join(parse(page).one("ul", class_="errorlist").text.split())
    assert errors == (
        "The text has changed since you opened this page (it is now revision 2): reload it and make your change again."
    )
    article.refresh_from_db()
    assert (article.title, article.revision) == ("North Korean Missile Crisis", 2)
    assert article.paragraphs.filter(text__contains="frequent sudden policy").exists()
    assert not article.paragraphs.filter(text__contains="frequent abrupt").exists()
    assert list(Revision.objects.filter(article=article).values_list("number", flat=True).order_by("number")) == [1, 2]

    # Reloaded, the form is of the current text, and saves.
    data = form_data(curator_client.get(url).content.decode(), "article_form")
    data["title"] = ["A better title"]
    data["_save"] = ["Save"]
    assert curator_client.post(url, data).status_code == 302
    article.refresh_from_db()
    assert (article.title, article.revision) == ("A better title", 2)
    assert article.paragraphs.filter(text__contains="frequent sudden policy").exists()


def test_a_change_of_revision_between_the_check_and_the_write_undoes_the_whole_save(
    curator_client, article, monkeypatch
):
    """Should the database not hold the lock, save_related checks again before writing the paragraphs."""
    url = f"{CHANGELIST}{article.pk}/change/"
    data = form_data(curator_client.get(url).content.decode(), "article_form")
    data["title"] = ["A better title"]
    data["paragraphs-1-source"] = ["Written over."]
    data["_save"] = ["Save"]
    save_model = ArticleAdmin.save_model

    def save_and_then_the_editor(self, request, obj, form, change):
        save_model(self, request, obj, form, change)
        Article.objects.filter(pk=obj.pk).update(revision=F("revision") + 1)

    monkeypatch.setattr(ArticleAdmin, "save_model", save_and_then_the_editor)
    response = curator_client.post(url, data, follow=True)
    assert response.redirect_chain == [(url, 302)]
    assert "The text has changed since you opened this page (it is now revision 2)" in response.content.decode()
    article.refresh_from_db()
    assert (article.title, article.revision) == ("North Korean Missile Crisis", 1)  # all of it undone
    assert not article.paragraphs.filter(source="Written over.").exists()
    assert Revision.objects.filter(article=article).count() == 1


def test_adding_an_article_in_the_admin_needs_no_revision(curator_client):
    data = form_data(curator_client.get(f"{CHANGELIST}add/").content.decode(), "article_form")
    data.update({"title": ["Fresh"], "slug": ["fresh"], "_save": ["Save"]})
    data.update({key: ["https://example.org/"] for key in data if key == "source_url"})
    response = curator_client.post(f"{CHANGELIST}add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Revision.objects.get(article__slug="fresh").number == 1


# A paragraph's own admin pages -------------------------------------------------------------------

PARAGRAPHS = "/admin/reader/paragraph/"


def test_a_paragraph_cannot_be_moved_to_another_article(curator_client, article, draft):
    paragraph = article.paragraphs.get(position=1)
    url = f"{PARAGRAPHS}{paragraph.pk}/change/"
    data = form_data(curator_client.get(url).content.decode(), "paragraph_form")
    assert "article" not in data
    data["article"] = [str(draft.pk)]
    data["_save"] = ["Save"]
    assert curator_client.post(url, data).status_code == 302
    paragraph.refresh_from_db()
    assert paragraph.article == article
    assert not draft.paragraphs.filter(pk=paragraph.pk).exists()


def test_a_new_paragraph_is_given_its_article(curator_client, draft):
    data = form_data(curator_client.get(f"{PARAGRAPHS}add/").content.decode(), "paragraph_form")
    assert "article" in data
    data.update({"article": [str(draft.pk)], "position": ["5"], "source": ["An added line."], "_save": ["Save"]})
    response = curator_client.post(f"{PARAGRAPHS}add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert draft.paragraphs.filter(source="An added line.").exists()


def test_deleting_paragraphs_together_is_one_revision_per_article(curator_client, curator, article, draft):
    chosen = list(article.paragraphs.order_by("position")[1:4]) + list(draft.paragraphs.all())
    assert len(chosen) == 4
    response = curator_client.post(
        PARAGRAPHS, {"action": "delete_selected", "_selected_action": [p.pk for p in chosen], "post": "yes"}
    )
    assert response.status_code == 302
    assert not Paragraph.objects.filter(pk__in=[p.pk for p in chosen]).exists()
    article.refresh_from_db()
    draft.refresh_from_db()
    assert (article.revision, draft.revision) == (2, 2)
    latest = Revision.objects.get(article=article, number=2)
    assert (latest.author, latest.message) == (curator, "3 paragraphs deleted in the admin")
    assert Revision.objects.get(article=draft, number=2).message == "1 paragraph deleted in the admin"
