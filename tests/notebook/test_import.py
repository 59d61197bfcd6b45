"""Importing notes: Hypothesis' JSON and W3C JSON-LD, placed by quote (and position), reported, never twice,
and a file that cannot be used changes nothing."""

import html
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from annotations.models import Annotation
from notebook.importing import MAX_FILE_BYTES
from notebook.models import ImportedNote
from tests.annotations.factories import note_on_article, note_on_quote, note_on_range, text_of
from tests.conftest import SEED_ARTICLE
from tests.pages import parse

pytestmark = pytest.mark.django_db
URL = "/notebook/import/"
SITE = "http://testserver"


def hypothesis_note(n, exact=None, text="", tags=(), uri="https://example.org/essay", **extra):
    selectors = []
    if exact is not None:
        selectors = [
            {"type": "RangeSelector", "startContainer": "/p[2]", "startOffset": 0, "endContainer": "/p[2]"},
            {"type": "TextPositionSelector", "start": 120, "end": 120 + len(exact)},
            {"type": "TextQuoteSelector", "exact": exact, "prefix": "", "suffix": ""},
        ]
    return {
        "id": f"hyp{n}",
        "created": "2024-01-02T03:04:05.000000+00:00",
        "uri": uri,
        "text": text,
        "tags": list(tags),
        "group": "__world__",
        "target": [{"source": uri, "selector": selectors}] if selectors else [{"source": uri}],
        **extra,
    }


HYPOTHESIS = [
    hypothesis_note(1, "frequent abrupt policy changes", "Why so *abrupt*?", ["policy", "pace"]),
    hypothesis_note(2, text="A note on the whole page"),
    hypothesis_note(3, text="I agree", references=["hyp1"]),
    hypothesis_note(4, "words this article never says", "Lost but kept"),
    hypothesis_note(5, "other words it never says"),
    hypothesis_note(6, "North Korea shot the missiles", "", prefix=None),
]


def upload(client, data, article="", name="notes.json"):
    content = data if isinstance(data, bytes) else json.dumps(data).encode()
    return client.post(URL, {"file": SimpleUploadedFile(name, content), "article": article})


def statuses(response):
    assert response.status_code == 200, response.content.decode()[-3000:]
    rows = parse(response.content.decode()).one("table").find_all("tr")[1:]
    return [row.find_all("td")[1].text.split(":")[0].strip() for row in rows]


def test_a_hypothesis_export_is_imported_and_reported(client, alice, article):
    client.force_login(alice)
    response = upload(client, {"annotations": HYPOTHESIS}, article=article.slug)
    assert statuses(response) == ["Anchored", "Whole article", "Skipped", "Orphaned", "Skipped", "Anchored"]
    summary = parse(response.content.decode()).one("p", class_="report-summary").text
    assert summary == "Imported 4 notes: 2 anchored on their words, 1 on a whole article, 1 orphaned; skipped 2."
    page = response.content.decode()
    assert "A reply: its thread is not in this file" in page
    assert "is not in this article" in page
    notes = Annotation.objects.filter(author=alice)
    assert notes.count() == 4
    assert set(notes.values_list("visibility", flat=True)) == {"private"}
    placed = notes.get(quote_exact="frequent abrupt policy changes")
    paragraph = text_of(article).paragraph(placed.start_key)
    assert paragraph.text[placed.start_offset : placed.end_offset] == "frequent abrupt policy changes"
    assert placed.comment == "Why so *abrupt*?"
    assert sorted(placed.tags.names()) == ["pace", "policy"]
    orphan = notes.get(comment="Lost but kept")
    assert (orphan.anchor_status, orphan.quote_exact) == ("orphaned", "words this article never says")


def test_importing_the_same_file_twice_adds_nothing(client, alice, article):
    client.force_login(alice)
    upload(client, HYPOTHESIS, article=article.slug)
    before = (Annotation.objects.count(), ImportedNote.objects.count())
    response = upload(client, HYPOTHESIS, article=article.slug)
    assert (Annotation.objects.count(), ImportedNote.objects.count()) == before
    assert statuses(response) == ["Skipped"] * 6
    assert response.content.decode().count("Imported before") == 4


def test_another_readers_import_of_the_same_file_is_theirs(client, alice, bob, article):
    client.force_login(alice)
    upload(client, HYPOTHESIS, article=article.slug)
    client.force_login(bob)
    assert statuses(upload(client, HYPOTHESIS, article=article.slug)).count("Skipped") == 2
    assert Annotation.objects.filter(author=bob).count() == 4
    assert Annotation.objects.visible_to(bob).filter(author=alice).count() == 0


def test_a_w3c_list_names_its_article_by_our_address(client, alice, article):
    items = [
        {
            "@context": "http://www.w3.org/ns/anno.jsonld",
            "type": "Annotation",
            "body": [{"type": "TextualBody", "value": "A thought", "purpose": "commenting"}],
            "target": {
                "source": f"{SITE}/articles/{article.slug}/",
                "selector": {"type": "TextQuoteSelector", "exact": "a fundamental limitation"},
            },
        },
        {"type": "Annotation", "bodyValue": "On all of it", "target": f"{SITE}/articles/{article.slug}/"},
        {"type": "Annotation", "bodyValue": "Elsewhere", "target": "https://example.org/other/"},
    ]
    client.force_login(alice)
    assert statuses(upload(client, items)) == ["Anchored", "Whole article", "Skipped"]
    assert "Its target is not an article here" in upload(client, items).content.decode()


def test_a_draft_article_i_cannot_read_is_not_a_target(client, alice, article):
    article.status = "draft"
    article.save(update_fields=["status"])
    item = hypothesis_note(1, "a fundamental limitation", "x", uri=f"{SITE}/articles/{article.slug}/")
    client.force_login(alice)
    response = upload(client, [item])
    assert response.status_code == 400
    assert "None of the file's notes is on an article here that you can read" in html.unescape(
        response.content.decode()
    )
    assert Annotation.objects.count() == 0


# Files that cannot be used ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"annotations": [', "The file is not valid JSON (line 1, column"),
        (b"\xff\xfe not text", "The file is not UTF-8 text"),
        (b"id,quote\n1,words\n", "The file is not valid JSON"),
        (b'{"title": "A recipe", "steps": []}', "neither a Hypothesis export nor W3C Web Annotations"),
        (b'[{"name": "not a note"}, 3]', "neither a Hypothesis export nor W3C Web Annotations"),
        (b"[]", "The file holds no annotations to import."),
        (b'{"type": "AnnotationCollection", "first": "http://e.org/p1"}', "keeps its annotations on pages elsewhere"),
        (b"[" * 100_000 + b"]" * 100_000, "The file is not valid JSON"),
    ],
)
def test_a_file_that_cannot_be_used_is_a_400_and_writes_nothing(client, alice, article, content, message):
    client.force_login(alice)
    response = upload(client, content, article=article.slug)
    assert response.status_code == 400
    assert message in html.unescape(response.content.decode())
    assert Annotation.objects.count() == ImportedNote.objects.count() == 0


def test_a_file_over_the_limit_is_refused(client, alice, article):
    client.force_login(alice)
    response = upload(client, b" " * (MAX_FILE_BYTES + 1), article=article.slug)
    assert response.status_code == 400
    assert "the limit is 10.0\xa0MB" in response.content.decode()
    assert Annotation.objects.count() == 0


def test_an_unknown_article_is_refused(client, alice, article):
    client.force_login(alice)
    response = upload(client, HYPOTHESIS, article="no-such-article")
    assert response.status_code == 400
    assert "There is no article “no-such-article” that you can read." in response.content.decode()
    assert Annotation.objects.count() == 0


def test_the_import_page_needs_a_reader_and_a_post(client, alice):
    assert client.get(URL).status_code == 302
    client.force_login(alice)
    assert client.get(URL).status_code == 200
    assert client.put(URL).status_code == 405


# The command ----------------------------------------------------------------------------------


def test_the_command_imports_a_file_and_reports(tmp_path, alice, article):
    path = tmp_path / "hypothesis.json"
    path.write_text(json.dumps(HYPOTHESIS))
    out = io.StringIO()
    call_command("import_notes", str(path), user="alice", article=article.slug, stdout=out)
    assert "Imported 4 notes: 2 anchored on their words, 1 on a whole article, 1 orphaned; skipped 2." in out.getvalue()
    call_command("import_notes", str(path), user="alice", article=article.slug, stdout=out)
    assert Annotation.objects.count() == 4


@pytest.mark.parametrize(
    ("content", "options", "message"),
    [
        ("{", {"user": "alice"}, "The file is not valid JSON"),
        ("[]", {"user": "nobody"}, "There is no active user 'nobody'."),
        ("[]", {"user": "alice", "article": "nowhere"}, "There is no article 'nowhere' that alice can read."),
    ],
)
def test_the_command_refuses_what_it_cannot_use(tmp_path, alice, article, content, options, message):
    path = tmp_path / "notes.json"
    path.write_text(content)
    with pytest.raises(CommandError, match=message):
        call_command("import_notes", str(path), **options)
    assert Annotation.objects.count() == 0


def test_the_command_says_when_the_file_is_missing(alice, tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_notes", str(tmp_path / "missing.json"), user="alice")


# The round trip ---------------------------------------------------------------------------------


def test_alices_notes_exported_as_jsonld_land_on_the_same_words_in_a_copy(
    client, alice, django_user_model, article, write_markdown
):
    from reader.importing import import_file

    first, second = text_of(article).paragraphs[1:3]
    written = [
        note_on_quote(alice, article, "North Korea shot the missiles", suffix=", surprising", comment="First"),
        note_on_quote(alice, article, "North Korea shot the missiles", prefix="speculation is that ", tags=["again"]),
        note_on_quote(alice, article, "frequent abrupt policy changes", comment="*Why*?", tags=["policy", "Pace"]),
        note_on_range(alice, article, first.key, 50, second.key, 9, comment="Across"),
        note_on_article(alice, article, comment="On the whole."),
    ]
    client.force_login(alice)
    exported = b"".join(client.get(f"/api/notebook/export?format=jsonld&article={article.slug}").streaming_content)
    copy = import_file(write_markdown(SEED_ARTICLE.read_text(), name="copy.md"), slug="copy").article
    dave = django_user_model.objects.create_user("dave")
    client.force_login(dave)
    assert statuses(upload(client, exported, article="copy")) == ["Whole article"] + ["Anchored"] * 4
    copy_text = text_of(copy)

    def where(note, text):
        if not note.start_key:
            return None
        return (text.paragraph(note.start_key).position, note.start_offset, text.paragraph(note.end_key).position,
                note.end_offset, note.quote_exact)  # fmt: skip

    def content(note):
        return note.comment, sorted(note.tags.names())

    original = sorted((where(note, text_of(article)) or (), content(note)) for note in written)
    imported = sorted((where(note, copy_text) or (), content(note)) for note in Annotation.objects.filter(author=dave))
    assert imported == original
    assert not Annotation.objects.filter(author=dave).exclude(article=copy).exists()


def test_an_imported_note_keeps_the_date_it_was_written(client, alice, article):
    import datetime

    later = hypothesis_note(7, "a fundamental limitation", "From the future", created="2999-01-01T00:00:00Z")
    garbled = hypothesis_note(8, "money forgery and laundries", "Undated", created="last Tuesday")
    client.force_login(alice)
    upload(client, [HYPOTHESIS[0], later, garbled], article=article.slug)
    notes = {note.comment: note.created for note in Annotation.objects.filter(author=alice)}
    assert notes["Why so *abrupt*?"] == datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)
    assert notes["From the future"].year == notes["Undated"].year == datetime.date.today().year


def test_a_file_of_more_notes_than_the_form_takes_points_to_the_command(client, alice, article):
    from notebook.importing import MAX_WEB_NOTES

    notes = [hypothesis_note(n, text=f"Note {n}") for n in range(MAX_WEB_NOTES + 1)]
    client.force_login(alice)
    response = upload(client, notes, article=article.slug)
    assert response.status_code == 400
    assert "at most 1,000 are imported at once here; manage.py import_notes takes up to 5,000" in html.unescape(
        response.content.decode()
    )
    assert Annotation.objects.count() == 0
