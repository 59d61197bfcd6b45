"""Staff add an article from the web: the importer's rules and errors, shown in the form; nobody else sees the page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reader.forms import MAX_UPLOAD_BYTES
from reader.models import Article, Paragraph, Revision
from tests.conftest import SEED_ARTICLE

pytestmark = pytest.mark.django_db

UPLOAD = reverse("article-upload")
ESSAY = "Title: A short essay\nAuthor: Ada\n\nThe first paragraph.\n\nThe second paragraph.\n"


def markdown(content, name="essay.md"):
    return SimpleUploadedFile(name, content.encode() if isinstance(content, str) else content, "text/markdown")


def upload(client, content, name="essay.md", **fields):
    return client.post(UPLOAD, {"file": markdown(content, name), **fields})


def snapshot():
    return (
        list(Article.objects.order_by("pk").values()),
        list(Paragraph.objects.order_by("pk").values_list("pk", "source")),
        Revision.objects.count(),
    )


def refused(client, content, *words, name="essay.md", **fields):
    before = snapshot()
    response = upload(client, content, name, **fields)
    assert response.status_code == 400
    page = response.content.decode()
    for word in words:
        assert word in page
    assert snapshot() == before
    return page


@pytest.fixture
def staff(client, curator):
    client.force_login(curator)
    return client


def test_the_article_list_links_staff_to_the_upload_page(staff):
    assert UPLOAD in staff.get(reverse("article-list")).content.decode()


def test_readers_are_not_shown_the_link(client, alice):
    client.force_login(alice)
    assert UPLOAD not in client.get(reverse("article-list")).content.decode()


def test_the_form_asks_for_a_file_a_slug_and_whether_it_is_a_draft(staff):
    page = staff.get(UPLOAD).content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert 'type="file"' in page
    assert 'name="slug"' in page
    assert 'name="draft"' in page
    assert "at most 2.0\xa0MB" in page


def test_staff_import_a_new_article_and_see_the_summary(staff):
    response = upload(staff, ESSAY)
    article = Article.objects.get(slug="essay")
    assert response.status_code == 302
    assert response.url == article.get_absolute_url()
    assert (article.title, article.author, article.status) == ("A short essay", "Ada", Article.Status.PUBLISHED)
    assert [p.text for p in article.paragraphs.all()] == ["The first paragraph.", "The second paragraph."]
    page = staff.get(response.url).content.decode()
    assert "Imported “A short essay” as /articles/essay/: 2 paragraphs (published)." in page


def test_a_slug_and_draft_given_in_the_form_are_used(staff):
    upload(staff, ESSAY, slug="my-essay", draft="on")
    article = Article.objects.get(slug="my-essay")
    assert article.status == Article.Status.DRAFT


def test_an_existing_slug_is_updated_as_a_new_revision_and_says_so(staff, article):
    text = SEED_ARTICLE.read_text(encoding="utf-8") + "\nA paragraph added from the web.\n"
    response = upload(staff, text, name="whatever.md", slug=article.slug)
    article.refresh_from_db()
    assert article.revision == 2
    assert Article.objects.count() == 1
    page = staff.get(response.url).content.decode()
    assert f"Updated “{article.title}” to revision 2:" in page
    assert "1 added, 0 removed" in page


def test_the_same_file_again_changes_nothing_and_says_so(staff):
    upload(staff, ESSAY)
    response = upload(staff, ESSAY)
    assert Article.objects.get(slug="essay").revision == 1
    assert "is unchanged; revision stays 1" in staff.get(response.url).content.decode()


def test_a_file_that_is_not_utf8_is_refused(staff):
    refused(staff, "Caf\xe9 au lait".encode("latin-1"), "essay.md is not UTF-8 text (byte 0xe9 at offset 3)")


def test_an_empty_file_is_refused(staff):
    refused(staff, "   \n\n", "essay.md is empty.")


def test_a_file_with_no_text_blocks_is_refused(staff):
    refused(staff, "Title: Only a title\n\n", "The file has no text blocks: nothing to import.")


def test_a_bad_header_is_refused(staff):
    refused(staff, "Title: Fine\nColour: blue\n\nText.\n", "Line 2 of the header is not a field")


def test_a_bad_date_is_refused(staff):
    refused(staff, "Title: Fine\nDate: yesterday\n\nText.\n", "Date &#x27;yesterday&#x27; is not a date")


def test_a_bad_slug_is_refused(staff):
    refused(staff, ESSAY, "&#x27;no spaces please&#x27; is not a valid slug", slug="no spaces please")


def test_the_slug_of_this_page_is_refused(staff):
    refused(staff, ESSAY, "“new” is the address of this page", slug="new")
    refused(staff, ESSAY, "“new” is the address of this page", name="new.md")


def test_a_file_over_the_limit_is_refused(staff):
    big = "Title: Big\n\n" + "word " * (MAX_UPLOAD_BYTES // 5 + 1)
    refused(staff, big, "the limit is 2.0\xa0MB")


def test_no_file_is_refused(staff):
    before = snapshot()
    response = staff.post(UPLOAD, {"slug": "nothing"})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert snapshot() == before


def test_readers_get_a_404_and_nothing_is_imported(client, alice):
    client.force_login(alice)
    assert client.get(UPLOAD).status_code == 404
    before = snapshot()
    assert upload(client, ESSAY).status_code == 404
    assert snapshot() == before


def test_signed_out_visitors_get_a_404(client):
    assert client.get(UPLOAD).status_code == 404
    assert upload(client, ESSAY).status_code == 404
    assert not Article.objects.exists()


def test_other_methods_are_refused(staff):
    assert staff.put(UPLOAD).status_code == 405
