"""A note made while the article's text is being changed marks the words it quotes, or is refused.

The note's words are chosen on the text as it was; the change is under way (written, its notes
re-anchored, not yet committed) when the note is sent. The note must wait for the change and then
be checked against the new text: saved before the change commits, it would keep offsets into the old
text that the change's re-anchoring never saw, and mark other words.
"""

import threading

import pytest
from django.db import connection, transaction

from annotations.anchoring import ArticleText
from annotations.models import Annotation
from annotations.writing import NoteError, create_note
from reader.models import Article
from reader.rendering import render_block
from reader.revising import Entry, revise
from tests.annotations.factories import prose

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor == "sqlite",
        reason="SQLite's test database is in memory, one cache shared by every connection, where a second "
        "writer fails at once rather than wait its turn; on a file its write lock runs writers one by one",
    ),
]


def test_a_note_sent_during_a_change_of_the_text_never_marks_words_it_does_not_quote(article, alice):
    paragraph = prose(article)[0]
    read = Article.objects.get(pk=article.pk)  # as the reader's page read it, before the change
    passage = ArticleText.of(read).by_position(paragraph.key, 10, paragraph.key, 30)
    written, go, outcome = threading.Event(), threading.Event(), {}

    def change_the_text():
        try:
            with transaction.atomic():
                rows = Article.objects.get(pk=article.pk).paragraphs.order_by("position")
                revise(
                    Article.objects.get(pk=article.pk),
                    [
                        Entry(
                            row.key, render_block(("New words first. " if row.pk == paragraph.pk else "") + row.source)
                        )
                        for row in rows
                    ],
                )
                written.set()
                go.wait(30)  # the change stays uncommitted while the note is sent
        finally:
            connection.close()

    def send_the_note():
        try:
            outcome["note"] = create_note(alice, read, passage, comment="Here.")
        except NoteError as error:
            outcome["refused"] = str(error)
        finally:
            connection.close()

    editor = threading.Thread(target=change_the_text)
    editor.start()
    assert written.wait(30)
    writer = threading.Thread(target=send_the_note)
    writer.start()
    writer.join(1)
    waited = writer.is_alive()  # the note waits for the change to end
    go.set()
    editor.join(30)
    writer.join(30)
    assert waited
    assert outcome.get("refused", "").startswith("The text changed") or "note" in outcome
    for note in Annotation.objects.filter(author=alice):
        text = Article.objects.get(pk=article.pk).paragraphs.get(key=note.start_key).text
        assert text[note.start_offset : note.end_offset] == note.quote_exact
