"""The curator's editor on the reading page: /articles/<slug>/edit/<key>/ (and insert/, preview/, save/).

Staff only; notes appear in it as counts, never as what they say.
"""

import html
import json

import pytest
from django.urls import reverse

from annotations.models import AnchorMove, Annotation
from annotations.views.curating import dry_run_sentence
from reader.editing import MAX_SOURCE
from reader.models import Revision
from tests.annotations.factories import PRIVATE, PUBLIC, note_on_quote
from tests.pages import parse

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
ABRUPT = "frequent abrupt policy changes"
SECRET = "Alice's secret thought about this paragraph"


@pytest.fixture
def basically(article):
    """The paragraph "Basically, things in North Korea are always kind of mysteries…"."""
    return article.paragraphs.get(text__startswith="Basically")


@pytest.fixture
def curating(client, curator):
    client.force_login(curator)
    return client


def url(name, paragraph, slug=None):
    return reverse(name, args=[slug or paragraph.article.slug, paragraph.key])


def form(paragraph, **fields):
    return {"revision": paragraph.article.revision, "operation": "edit", "source": paragraph.source} | fields


def text_now(article):
    """Everything an edit could change: the paragraphs, the revisions and where every note is."""
    return (
        list(article.paragraphs.order_by("position").values_list("key", "source")),
        Revision.objects.filter(article=article).count(),
        list(Annotation.objects.order_by("pk").values_list("pk", "start_key", "start_offset", "anchor_status")),
    )


def edited(paragraph, old, new):
    return paragraph.source.replace(old, new)


# Who may use it --------------------------------------------------------------------------------


def test_a_curator_gets_the_editor_as_a_page_with_the_blocks_markdown(curating, basically):
    response = curating.get(url("curator-edit", basically))
    assert response.status_code == 200
    page = parse(response.content.decode())
    assert page.one("textarea", name="source").text.strip() == basically.source
    assert page.one("input", name="revision")["value"] == str(basically.article.revision)
    assert page.one("form", class_="curator-form")["action"] == url("curator-save", basically)
    labels = {button.text.strip() for button in page.find_all("button")}
    assert {"Preview", "Save", "Split at cursor", "Merge with next", "Delete"} <= labels
    assert page.one("a", href=url("curator-insert", basically)).text.strip() == "Insert after"


def test_the_editor_for_htmx_is_the_form_alone(curating, basically):
    response = curating.get(url("curator-edit", basically), headers=HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert parse(body).one("textarea", name="source")


def test_the_insert_editor_starts_empty(curating, basically):
    response = curating.get(url("curator-insert", basically), headers=HTMX)
    page = parse(response.content.decode())
    assert page.one("textarea", name="source").text.strip() == ""
    assert page.one("button", class_="primary").text.strip() == "Insert"


def test_the_reading_page_gives_a_curator_an_edit_link_per_block_and_the_dialog(curating, article):
    page = parse(curating.get(article.get_absolute_url()).content.decode())
    links = page.find_all("a", class_="curator-edit")
    assert len(links) == article.paragraphs.count()
    assert page.one("dialog", id="curator-dialog")
    assert page.one("script", src="/static/js/curator.js")


@pytest.mark.parametrize("who", ["bob", "alice"])  # a reader; an instructor of a seminar, not staff
def test_no_one_but_staff_sees_the_edit_links(client, request, article, seminar, who):
    client.force_login(request.getfixturevalue(who))
    page = parse(client.get(article.get_absolute_url()).content.decode())
    assert page.find_all("a", class_="curator-edit") == []
    assert page.find_all("dialog", id="curator-dialog") == []


@pytest.mark.parametrize("who", ["bob", "alice"])
@pytest.mark.parametrize("name", ["curator-edit", "curator-insert"])
def test_the_editor_is_not_found_for_someone_who_is_not_staff(client, request, basically, seminar, who, name):
    client.force_login(request.getfixturevalue(who))
    assert client.get(url(name, basically)).status_code == 404


@pytest.mark.parametrize("who", ["bob", "alice"])
@pytest.mark.parametrize("name", ["curator-preview", "curator-save"])
def test_someone_who_is_not_staff_cannot_preview_or_save_and_nothing_changes(
    client, request, basically, seminar, who, name
):
    client.force_login(request.getfixturevalue(who))
    before = text_now(basically.article)
    response = client.post(url(name, basically), form(basically, source="Vandalised."))
    assert response.status_code == 404
    assert text_now(basically.article) == before


@pytest.mark.parametrize("name", ["curator-edit", "curator-insert"])
def test_someone_signed_out_is_asked_to_sign_in(client, basically, name):
    response = client.get(url(name, basically))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_save_signed_out_is_sent_to_sign_in_and_nothing_changes(client, basically):
    before = text_now(basically.article)
    response = client.post(url("curator-save", basically), form(basically, source="Vandalised."))
    assert response.status_code == 302
    assert text_now(basically.article) == before


@pytest.mark.parametrize("name", ["curator-preview", "curator-save"])
def test_a_get_of_preview_or_save_is_not_allowed(curating, basically, name):
    assert curating.get(url(name, basically)).status_code == 405


def test_a_post_to_the_editor_is_not_allowed(curating, basically):
    assert curating.post(url("curator-edit", basically), form(basically)).status_code == 405


def test_an_unknown_block_or_article_is_not_found(curating, basically):
    assert curating.get(reverse("curator-edit", args=[basically.article.slug, "p-nothing"])).status_code == 404
    assert curating.get(url("curator-edit", basically, slug="no-such-article")).status_code == 404


# Preview and the dry run -----------------------------------------------------------------------


def test_a_preview_shows_the_new_html_and_what_becomes_of_the_notes(curating, basically, alice):
    note_on_quote(alice, basically.article, ABRUPT)
    source = edited(basically, "In this", "So, in this")
    response = curating.post(url("curator-preview", basically), form(basically, source=source), headers=HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body
    assert "So, in this" in parse(body).one("div", class_="curator-block").text
    assert parse(body).one("p", class_="curator-dry-run").text.split(None, 1)[1] == (
        "0 notes move, 0 need their authors' check, 0 orphaned; 1 stays where it is."
    )


def test_a_word_changed_before_a_highlight_moves_it_in_the_dry_run(curating, basically, alice):
    note_on_quote(alice, basically.article, ABRUPT)
    source = edited(basically, "Basically,", "Basically and plainly,")
    response = curating.post(url("curator-preview", basically), form(basically, source=source), headers=HTMX)
    assert "1 note moves, 0 need their authors' check, 0 orphaned." in html.unescape(response.content.decode())


def test_the_dry_run_changes_nothing(curating, basically, alice):
    note_on_quote(alice, basically.article, ABRUPT)
    before = text_now(basically.article)
    source = edited(basically, "abrupt", "sudden")
    assert curating.post(url("curator-preview", basically), form(basically, source=source)).status_code == 200
    assert text_now(basically.article) == before
    assert AnchorMove.objects.count() == 0


def test_a_preview_without_javascript_is_the_editor_page_with_the_preview(curating, basically):
    source = edited(basically, "In this", "So, in this")
    response = curating.post(url("curator-preview", basically), form(basically, source=source, message="Why"))
    page = parse(response.content.decode())
    assert "<html" in response.content.decode()
    assert page.one("textarea", name="source").text.strip() == source
    assert page.one("input", name="message")["value"] == "Why"
    assert page.one("p", class_="curator-dry-run")


@pytest.mark.parametrize(
    ("operation", "confirm"), [("split", "Split here"), ("merge", "Merge"), ("delete", "Delete this block")]
)
def test_a_change_of_structure_is_previewed_with_a_button_to_make_it(curating, basically, operation, confirm):
    fields = form(basically, operation=operation, cursor=basically.source.index("In this"))
    response = curating.post(url("curator-preview", basically), fields, headers=HTMX)
    page = parse(response.content.decode())
    button = page.one("button", name="operation", value=operation)
    assert button.text.strip() == confirm
    assert button["hx-post"] == url("curator-save", basically)
    assert page.one("p", class_="curator-dry-run")


@pytest.mark.parametrize(
    ("counts", "sentence"),
    [
        ((3, 1, 0, 0), "3 notes move, 1 needs its author's check, 0 orphaned."),
        ((1, 2, 1, 1), "1 note moves, 2 need their authors' check, 1 orphaned; 1 stays where it is."),
        ((0, 0, 0, 0), "No notes are affected."),
    ],
)
def test_the_dry_run_reads_as_a_sentence(counts, sentence):
    assert dry_run_sentence(dict(zip(["moved", "suggested", "orphaned", "unchanged"], counts, strict=True))) == sentence


# What the dry run says is what saving does ------------------------------------------------------


def outcomes_of_save(article, revision):
    moves = AnchorMove.objects.filter(revision=revision)
    return {
        "moved": moves.filter(status=Annotation.AnchorStatus.ANCHORED).count(),
        "suggested": moves.filter(status=Annotation.AnchorStatus.SUGGESTED).count(),
        "orphaned": moves.filter(status=Annotation.AnchorStatus.ORPHANED).count(),
    }


@pytest.mark.parametrize(
    ("operation", "change"),
    [
        ("edit", lambda s: s.replace("abrupt", "sudden").replace("Basically,", "Basically and plainly,")),
        ("edit", lambda s: s.replace("things in North Korea are always kind of mysteries, because of ", "")),
        ("edit", lambda s: s.replace("frequent abrupt policy changes", "frequently abrupt changes of policy")),
        ("edit", lambda s: "An entirely different paragraph about nothing in particular."),
        ("split", None),
        ("merge", None),
        ("delete", None),
    ],
)
def test_the_dry_run_counts_are_what_saving_then_does(curating, basically, alice, bob, operation, change):
    article = basically.article
    note_on_quote(alice, article, ABRUPT, comment=SECRET)
    note_on_quote(bob, article, "kind of mysteries", visibility=PUBLIC)
    note_on_quote(alice, article, "the same goes the story", visibility=PRIVATE)
    note_on_quote(bob, article, "Initially when the North Korean regime", visibility=PUBLIC)
    source = change(basically.source) if change else basically.source
    fields = form(basically, operation=operation, source=source, cursor=basically.source.index("In this"))
    response = curating.post(url("curator-preview", basically), fields, headers=HTMX)
    said = parse(response.content.decode()).one("p", class_="curator-dry-run").text
    saved = curating.post(url("curator-save", basically), fields, headers=HTMX)
    assert saved.status_code == 200
    article.refresh_from_db()
    done = outcomes_of_save(article, article.revision)
    expected = (
        f"{done['moved']} note{'s' if done['moved'] != 1 else ''} {'moves' if done['moved'] == 1 else 'move'}, "
        f"{done['suggested']} "
    )
    assert said.split(None, 1)[1].startswith(expected), (said, done)
    assert f"{done['orphaned']} orphaned" in said
    assert sum(done.values()), "each change here moves, suggests or orphans something"


# Saving ----------------------------------------------------------------------------------------


def test_saving_an_edit_writes_a_revision_by_the_curator_and_moves_the_note(curating, basically, alice, curator):
    note = note_on_quote(alice, basically.article, ABRUPT)
    source = edited(basically, "Basically,", "Basically and plainly,")
    response = curating.post(url("curator-save", basically), form(basically, source=source), headers=HTMX)
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#article-body"
    assert json.loads(response["HX-Trigger-After-Swap"])["curatorSaved"]["key"] == basically.key
    assert "<html" not in response.content.decode()
    page = parse(response.content.decode())
    assert "Basically and plainly," in page.one("div", class_="block-text", data_key=basically.key).text
    revision = Revision.objects.get(article=basically.article, number=basically.article.revision + 1)
    assert (revision.author, revision.message) == (curator, f"Edited paragraph {basically.key}")
    note.refresh_from_db()
    paragraph = basically.article.paragraphs.get(key=basically.key)
    assert paragraph.text[note.start_offset : note.end_offset] == ABRUPT


def test_saving_a_renamed_heading_sends_the_new_contents_with_the_body(curating, article):
    heading = article.paragraphs.filter(kind="heading").first()
    source = heading.source.replace(heading.text, "A renamed section")
    response = curating.post(url("curator-save", heading), form(heading, source=source), headers=HTMX)
    assert response.status_code == 200
    contents = parse(response.content.decode()).one("nav", class_="contents")
    assert contents["hx-swap-oob"] == "true"
    assert "A renamed section" in [link.text for link in contents.find_all("a")]


def test_saving_without_javascript_redirects_to_the_block_with_a_message(curating, basically):
    source = edited(basically, "In this", "So, in this")
    response = curating.post(url("curator-save", basically), form(basically, source=source, message="Clearer"))
    assert response.status_code == 302
    assert response["Location"] == f"{basically.article.get_absolute_url()}#{basically.key}"
    assert Revision.objects.get(article=basically.article, number=2).message == "Clearer"


def test_inserting_a_block_after_another(curating, basically):
    fields = form(basically, operation="insert", source="A new paragraph, written by the curator.")
    assert curating.post(url("curator-save", basically), fields, headers=HTMX).status_code == 200
    keys = list(basically.article.paragraphs.order_by("position").values_list("key", "text"))
    at = keys.index((basically.key, basically.text))
    assert keys[at + 1][1] == "A new paragraph, written by the curator."


def test_splitting_and_merging_back(curating, basically):
    article = basically.article
    fields = form(basically, operation="split", cursor=basically.source.index("In this"))
    assert curating.post(url("curator-save", basically), fields, headers=HTMX).status_code == 200
    first = article.paragraphs.get(key=basically.key)
    assert first.text == basically.text[: basically.text.index("In this")].strip()
    article.refresh_from_db()
    fields = {"revision": article.revision, "operation": "merge", "source": first.source}
    assert curating.post(url("curator-save", first), fields, headers=HTMX).status_code == 200
    assert article.paragraphs.get(key=basically.key).text == basically.text
    assert article.paragraphs.count() == basically.article.paragraphs.count()


def test_deleting_a_block_keeps_its_notes_orphaned(curating, basically, alice):
    note = note_on_quote(alice, basically.article, ABRUPT)
    assert curating.post(url("curator-save", basically), form(basically, operation="delete")).status_code == 302
    assert not basically.article.paragraphs.filter(key=basically.key).exists()
    note.refresh_from_db()
    assert note.anchor_status == Annotation.AnchorStatus.ORPHANED


# Every bad input: a clear message, a 4xx, and nothing changed ----------------------------------


BAD_INPUTS = [
    ({"source": ""}, 400, "empty"),
    ({"source": "One paragraph.\r\n\r\nAnother one."}, 400, "more than one block"),
    ({"source": "Hello <script>alert(1)</script>"}, 400, "a <script> element"),
    ({"source": "A <span>styled</span> word"}, 400, "a <span> element"),
    ({"source": "[x](javascript:alert(1))"}, 400, "not http, https or mailto"),
    ({"source": "x" * (MAX_SOURCE + 1)}, 400, f"at most {MAX_SOURCE:,}"),
    ({"source": None}, 400, "reads as it did"),
    ({"operation": "rename"}, 400, "Unknown change"),
    ({"revision": ""}, 400, "lost the revision"),
    ({"revision": 0}, 409, "changed since this editor opened"),
    ({"operation": "split", "cursor": ""}, 400, "Put the cursor in the text"),
    ({"operation": "split", "cursor": 0}, 400, "nothing to split"),
    ({"operation": "split", "cursor": 10_000}, 400, "outside the text"),
    ({"operation": "merge", "source": "# A heading now"}, 400, "A heading cannot be merged"),
    ({"operation": "insert", "source": "  "}, 400, "The new block is empty"),
]


@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "plain"])
@pytest.mark.parametrize("name", ["curator-preview", "curator-save"])
@pytest.mark.parametrize(("fields", "status", "said"), BAD_INPUTS)
def test_a_bad_edit_is_refused_with_a_message_and_changes_nothing(
    curating, basically, alice, fields, status, said, name, htmx
):
    note_on_quote(alice, basically.article, ABRUPT)
    before = text_now(basically.article)
    data = {key: value for key, value in form(basically, **fields).items() if value is not None}
    if fields.get("source", "") is None:
        data["source"] = basically.source
    response = curating.post(url(name, basically), data, headers=HTMX if htmx else {})
    assert response.status_code == status
    body = response.content.decode()
    assert said in html.unescape(body)
    assert ("<html" in body) is not htmx
    assert parse(body).one(class_="curator-error")
    assert text_now(basically.article) == before


def test_an_over_long_message_is_refused_and_nothing_changes(curating, basically):
    before = text_now(basically.article)
    response = curating.post(url("curator-save", basically), form(basically, source="Changed.", message="m" * 301))
    assert response.status_code == 400
    assert "keep it to 300" in response.content.decode()
    assert text_now(basically.article) == before


@pytest.mark.parametrize("name", ["curator-preview", "curator-save"])
def test_an_edit_of_a_block_that_is_gone_is_not_found(curating, basically, name):
    fields = form(basically, source="Anything.")
    response = curating.post(reverse(name, args=[basically.article.slug, "p-gone"]), fields, headers=HTMX)
    assert response.status_code == 404
    assert "no block 'p-gone'" in html.unescape(response.content.decode())


def test_the_last_block_cannot_merge(curating, article):
    last = article.paragraphs.order_by("position").last()
    response = curating.post(url("curator-save", last), form(last, operation="merge"), headers=HTMX)
    assert response.status_code == 400
    assert "nothing after it to merge with" in response.content.decode()


def test_a_save_on_an_older_revision_is_stale_even_after_a_change_elsewhere(curating, basically, article):
    other = article.paragraphs.get(text__startswith="Initially")
    assert curating.post(url("curator-save", other), form(other, source="Changed first.")).status_code == 302
    before = text_now(article)
    response = curating.post(url("curator-save", basically), form(basically, source="Changed too late."))
    assert response.status_code == 409
    assert "revision 1 is now 2" in response.content.decode()
    assert text_now(article) == before


# Nothing a curator may not read is shown -------------------------------------------------------


def test_no_note_text_appears_in_any_editor_response(curating, basically, alice, bob):
    note_on_quote(alice, basically.article, ABRUPT, comment=SECRET, tags=["hushhush"])
    note_on_quote(bob, basically.article, "kind of mysteries", comment="Bob's public aside", visibility=PUBLIC)
    source = edited(basically, "abrupt", "sudden")
    responses = [
        curating.get(url("curator-edit", basically)),
        curating.get(url("curator-edit", basically), headers=HTMX),
        curating.get(url("curator-insert", basically)),
        curating.post(url("curator-preview", basically), form(basically, source=source)),
        curating.post(url("curator-preview", basically), form(basically, source=source), headers=HTMX),
        curating.post(url("curator-preview", basically), form(basically, operation="delete"), headers=HTMX),
        curating.post(url("curator-save", basically), form(basically, source="<script>"), headers=HTMX),
    ]
    for response in responses:
        body = response.content.decode()
        assert SECRET not in body
        assert "hushhush" not in body
        assert "Bob's public aside" not in body


def test_a_strangers_private_note_is_never_revealed_by_the_editor_or_the_saved_page(curating, basically, alice):
    note = note_on_quote(alice, basically.article, ABRUPT, comment=SECRET, visibility=PRIVATE)
    editor = curating.get(url("curator-edit", basically)).content.decode()
    assert "1 note on it" in editor  # a count, and nothing of the note
    source = edited(basically, "Basically,", "Basically and plainly,")
    saved = curating.post(url("curator-save", basically), form(basically, source=source), headers=HTMX)
    body = saved.content.decode()
    assert SECRET not in body
    assert str(note.pk) not in body
