"""An article's history: staff list its revisions, compare two word by word, revert, and read an old text.

The history, the comparison, reverting and an old text (?revision=N) are for staff only: to
anyone else they are not there (404), since an old text may hold what was never published.
The current revision's number leads anyone who reads the article to its page. An old text
shows no note of any kind: notes belong to the current text.
"""

import pytest
from django.urls import reverse

from annotations.models import Annotation
from reader.models import Article, Revision
from reader.rendering import render_block
from reader.revising import Entry, revise
from tests.annotations.factories import PUBLIC, import_markdown, marked_ids, note_on_quote, reading_page
from tests.pages import parse

pytestmark = pytest.mark.django_db

TYPO = "frequent abrupt policy changes"
QUOTE = "Military-First policy"


def edit(article, old, new, author=None, message="Corrected"):
    """Replace `old` with `new` in the one paragraph holding it, as a new revision."""
    entries = [
        Entry(p.key, render_block(p.source.replace(old, new) if old in p.source else p.source))
        for p in article.paragraphs.order_by("position")
    ]
    revision = revise(article, entries, author=author, message=message)
    article.refresh_from_db()
    return revision


def history(article):
    return reverse("article-history", args=[article.slug])


def compare_url(article, query):
    return reverse("article-compare", args=[article.slug]) + query


def revert_url(article, number):
    return reverse("article-revert", args=[article.slug, number])


def text_of_page(response):
    return " ".join(parse(response.content.decode()).one("body").text.split())


@pytest.fixture
def edited(article, curator):
    """The seed article in three revisions: imported, a word corrected by the curator, a sentence added."""
    edit(article, "frequent abrupt", "frequent sudden", author=curator, message="A better word")
    edit(article, "In this, the same goes the story.", "In this, the same goes the story. A new sentence.")
    return article


# The history -------------------------------------------------------------------------


def test_staff_see_every_revision_newest_first_with_who_when_and_what_changed(client, curator, edited):
    client.force_login(curator)
    page = parse(client.get(history(edited)).content.decode())
    revisions = page.find_all("li", class_="revision")
    assert [item.id for item in revisions] == ["revision-3", "revision-2", "revision-1"]
    newest, corrected, first = revisions
    assert "Current" in newest.text
    assert "Corrected" in newest.text
    assert "curator" in corrected.one(class_="revision-author").text
    assert "A better word" in corrected.text
    assert "1 changed" in corrected.text
    assert first.one(class_="revision-author").text == "import"
    assert "The first text kept" in first.text


def test_each_revision_links_to_its_text_to_a_comparison_and_older_ones_to_revert(client, curator, edited):
    client.force_login(curator)
    page = parse(client.get(history(edited)).content.decode())
    corrected = page.one("li", id="revision-2")
    links = [a["href"] for a in corrected.find_all("a")]
    assert f"{edited.get_absolute_url()}?revision=2" in links
    assert compare_url(edited, "?from=1&to=2") in links
    assert corrected.one("form")["action"] == revert_url(edited, 2)
    assert corrected.one("form").find("input", name="csrfmiddlewaretoken")
    assert page.one("li", id="revision-3").find("form") is None  # the current text: nothing to revert to


def test_a_long_history_comes_a_page_at_a_time_in_a_fixed_number_of_queries(
    client, curator, article, django_assert_max_num_queries
):
    client.force_login(curator)
    client.get(history(article))  # the session and user, read once
    words = ["frequent abrupt", "frequent sudden"]
    for n in range(30):
        edit(article, words[n % 2], words[1 - n % 2])
    with django_assert_max_num_queries(9):  # 3 of them the header's counts: inbox, moderation, review
        first = parse(client.get(history(article)).content.decode())
    assert len(first.find_all("li", class_="revision")) == 25
    second = parse(client.get(history(article) + "?page=2").content.decode())
    assert [item.id for item in second.find_all("li", class_="revision")][-1] == "revision-1"
    assert "Page 2 of 2" in second.one("nav", class_="pagination").text


def test_staff_read_the_history_of_a_draft(client, curator, edited):
    Article.objects.filter(pk=edited.pk).update(status=Article.Status.DRAFT)
    client.force_login(curator)
    assert client.get(history(edited)).status_code == 200
    assert client.get(compare_url(edited, "?from=1&to=2")).status_code == 200


@pytest.mark.parametrize("who", ["alice", "charlie", None])
def test_nobody_but_staff_finds_the_history_the_comparison_or_revert(client, request, edited, who):
    if who:
        client.force_login(request.getfixturevalue(who))
    assert client.get(history(edited)).status_code == 404
    assert client.get(compare_url(edited, "?from=1&to=2")).status_code == 404
    assert client.post(revert_url(edited, 1)).status_code == 404
    edited.refresh_from_db()
    assert edited.revision == 3
    assert Revision.objects.filter(article=edited).count() == 3


def test_the_history_of_an_unknown_article_is_not_found(client, curator):
    client.force_login(curator)
    assert client.get("/articles/nowhere/history/").status_code == 404


# Comparing two revisions -----------------------------------------------------------


def test_the_comparison_shows_changed_words_and_collapses_the_rest(client, curator, edited):
    client.force_login(curator)
    page = parse(client.get(compare_url(edited, "?from=1&to=3")).content.decode())
    [row] = page.find_all("section", class_="diff-row")
    assert [d.text for d in row.find_all("del")] == ["abrupt"]
    assert [i.text for i in row.find_all("ins")] == ["sudden", " A new sentence."]
    assert "frequent " in row.text
    assert " policy changes" in row.text
    assert page.find_all("details", class_="diff-unchanged")


def test_the_comparison_escapes_the_texts_it_shows(client, curator, edited):
    edit(edited, "A new sentence.", "A new sentence with `<script>alert('x')</script>` in code.")
    client.force_login(curator)
    html = client.get(compare_url(edited, "?from=3&to=4")).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "Say which revision"),
        ("?from=1", "Say which revision: ?to="),
        ("?from=one&to=2", "“one” is not a revision number"),
        ("?from=1&to=-2", "“-2” is not a revision number"),
        ("?from=1&to=²", "“²” is not a revision number"),
    ],
)
def test_a_comparison_of_what_is_not_a_number_is_a_bad_request_that_says_why(client, curator, edited, query, message):
    client.force_login(curator)
    response = client.get(compare_url(edited, query))
    assert response.status_code == 400
    assert message in text_of_page(response)


@pytest.mark.parametrize("query", ["?from=1&to=9", "?from=0&to=2", "?from=1&to=" + "9" * 40])
def test_a_comparison_with_an_unknown_revision_is_not_found(client, curator, edited, query):
    client.force_login(curator)
    assert client.get(compare_url(edited, query)).status_code == 404


# Reverting ---------------------------------------------------------------------------


def test_reverting_makes_a_new_revision_and_says_its_number(client, curator, edited):
    client.force_login(curator)
    response = client.post(revert_url(edited, 1), follow=True)
    assert response.redirect_chain == [(history(edited), 302)]
    assert "Reverted to revision 1: the text is now revision 4." in text_of_page(response)
    edited.refresh_from_db()
    latest = Revision.objects.get(article=edited, number=4)
    assert (latest.author, latest.paragraphs) == (curator, Revision.objects.get(article=edited, number=1).paragraphs)
    assert TYPO in edited.paragraphs.get(text__contains="frequent").text


def test_reverting_to_the_text_it_already_reads_changes_nothing_and_says_so(client, curator, edited):
    client.force_login(curator)
    response = client.post(revert_url(edited, 3), follow=True)
    assert "The text already reads as revision 3: nothing changed." in text_of_page(response)
    assert Revision.objects.filter(article=edited).count() == 3


def test_reverting_places_again_a_note_an_edit_had_orphaned(client, curator, alice, article):
    note = note_on_quote(alice, article, QUOTE)
    edit(article, "its Military-First policy", "its army-first line")
    assert Annotation.objects.get(pk=note.pk).anchor_status == Annotation.AnchorStatus.ORPHANED
    client.force_login(curator)
    client.post(revert_url(article, 1))
    note = Annotation.objects.get(pk=note.pk)
    assert (note.anchor_status, note.quote_exact) == (Annotation.AnchorStatus.ANCHORED, QUOTE)
    paragraph = article.paragraphs.get(key=note.start_key)
    assert paragraph.text[note.start_offset : note.end_offset] == QUOTE
    client.force_login(alice)
    assert str(note.pk) in marked_ids(reading_page(client, article))


def test_reverting_is_a_post(client, curator, edited):
    client.force_login(curator)
    assert client.get(revert_url(edited, 1)).status_code == 405
    assert Revision.objects.filter(article=edited).count() == 3


@pytest.mark.parametrize("number", [9, 0])
def test_reverting_to_an_unknown_revision_is_not_found_and_changes_nothing(client, curator, edited, number):
    client.force_login(curator)
    assert client.post(revert_url(edited, number)).status_code == 404
    edited.refresh_from_db()
    assert edited.revision == 3
    assert Revision.objects.filter(article=edited).count() == 3


# An old text on the reading page -------------------------------------------------------


def test_staff_read_an_old_text_under_a_banner_leading_to_the_current_one(client, curator, edited):
    client.force_login(curator)
    page = parse(reading_page(client, edited, "?revision=1"))
    banner = page.one(class_="revision-banner")
    assert "You are reading revision 1 of" in banner.text
    assert [a["href"] for a in banner.find_all("a")] == [edited.get_absolute_url(), history(edited)]
    assert TYPO in page.one(class_="article-body").text
    assert "A new sentence." not in page.one(class_="article-body").text


def test_an_old_text_shows_no_note_of_any_kind_and_no_forms(client, alice, bob, curator, edited):
    public = note_on_quote(alice, edited, QUOTE, comment="A public thought", visibility=PUBLIC)
    private = note_on_quote(bob, edited, "Kim Il-sung", comment="Bob's own secret")
    mine = note_on_quote(curator, edited, "Military-First", comment="The curator's own note")
    client.force_login(curator)
    current = reading_page(client, edited)
    assert {str(public.pk), str(mine.pk)} <= marked_ids(current)
    html = reading_page(client, edited, "?revision=1")
    page = parse(html)
    for note in (public, private, mine):
        assert str(note.pk) not in html
    assert "A public thought" not in html
    assert "The curator's own note" not in html
    assert "Bob's own secret" not in html
    assert page.find_all("mark") == []
    assert page.find_all("form", id="note-form") == []
    assert page.find("div", id="selection-toolbar") is None
    assert page.one("main").find_all("form") == []  # the header's search and sign-out forms aside


def test_an_old_texts_paragraphs_keep_their_keys_for_links(client, curator, edited):
    client.force_login(curator)
    page = parse(reading_page(client, edited, "?revision=1"))
    first = Revision.objects.get(article=edited, number=1)
    assert [section.id for section in page.find_all("section", class_="block")] == first.keys
    for link in page.one("nav", class_="contents").find_all("a"):
        assert link["href"].removeprefix("#") in first.keys


@pytest.mark.parametrize("who", ["curator", "alice", None])
def test_the_current_revision_number_leads_anyone_to_the_current_page(client, request, edited, who):
    if who:
        client.force_login(request.getfixturevalue(who))
    response = client.get(edited.get_absolute_url() + "?revision=3")
    assert (response.status_code, response["Location"]) == (302, edited.get_absolute_url())


@pytest.mark.parametrize("who", ["alice", "charlie", None])
def test_nobody_but_staff_reads_an_old_text(client, request, edited, who):
    if who:
        client.force_login(request.getfixturevalue(who))
    for number in (1, 2):
        response = client.get(f"{edited.get_absolute_url()}?revision={number}")
        assert response.status_code == 404
        assert TYPO not in response.content.decode()


def test_a_draft_text_does_not_leak_through_an_old_revision_once_published(client, alice, curator, write_markdown):
    """Imported as a draft, edited, then published: the draft's words stay with staff."""
    secret = "Unreleased figures: 1,234 casualties."
    draft = import_markdown(write_markdown, f"Title: Soon\n\n{secret}\n\nThe rest.\n", slug="soon", draft=True)
    edit(draft, secret, "Figures to follow.", author=curator)
    Article.objects.filter(pk=draft.pk).update(status=Article.Status.PUBLISHED)
    url = f"{draft.get_absolute_url()}?revision=1"
    response = client.get(url)
    assert response.status_code == 404
    assert "Unreleased figures" not in response.content.decode()
    client.force_login(alice)
    assert client.get(draft.get_absolute_url()).status_code == 200
    response = client.get(url)
    assert response.status_code == 404
    assert "Unreleased figures" not in response.content.decode()
    client.force_login(curator)
    response = client.get(url)
    assert response.status_code == 200
    assert secret in text_of_page(response)


@pytest.mark.parametrize("value", ["two", "-1", "1.5", ""])
def test_an_old_text_asked_for_with_what_is_not_a_number_is_a_bad_request(client, edited, value):
    response = client.get(f"{edited.get_absolute_url()}?revision={value}")
    assert response.status_code == 400
    assert "revision" in text_of_page(response)


@pytest.mark.parametrize("value", ["0", "9", "9" * 5000])
def test_an_old_text_that_never_was_is_not_found(client, curator, edited, value):
    client.force_login(curator)
    assert client.get(f"{edited.get_absolute_url()}?revision={value}").status_code == 404


def test_an_old_text_of_a_draft_is_for_staff_only(client, curator, alice, edited):
    Article.objects.filter(pk=edited.pk).update(status=Article.Status.DRAFT)
    assert client.get(f"{edited.get_absolute_url()}?revision=1").status_code == 404
    client.force_login(alice)
    assert client.get(f"{edited.get_absolute_url()}?revision=1").status_code == 404
    client.force_login(curator)
    assert client.get(f"{edited.get_absolute_url()}?revision=1").status_code == 200


# Ways in -----------------------------------------------------------------------------


def test_staff_find_the_history_from_the_reading_page_and_readers_do_not(client, curator, alice, edited):
    client.force_login(curator)
    links = [a["href"] for a in parse(reading_page(client, edited)).find_all("a")]
    assert history(edited) in links
    client.force_login(alice)
    links = [a["href"] for a in parse(reading_page(client, edited)).find_all("a")]
    assert history(edited) not in links


def test_the_admin_links_an_article_to_its_history(client, curator, edited):
    client.force_login(curator)
    html = client.get(f"/admin/reader/article/{edited.pk}/change/").content.decode()
    assert f'href="{history(edited)}"' in html
