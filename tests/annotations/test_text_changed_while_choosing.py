"""A passage is chosen from the text as it was read; if the text changes before the note is saved,
the note is refused rather than placed on words that are no longer there."""

import pytest

from annotations.anchoring import ArticleText
from annotations.models import Annotation
from annotations.writing import NoteError, create_note
from reader.importing import import_file

pytestmark = pytest.mark.django_db


def _article(write_markdown, paragraphs, slug="changing"):
    return import_file(write_markdown("Title: Changing\n\n" + "\n\n".join(paragraphs) + "\n", name=f"{slug}.md"))


def test_a_passage_whose_words_changed_since_it_was_chosen_is_refused(write_markdown, alice):
    article = _article(write_markdown, ["The first words stay.", "The second words go."]).article
    second = ArticleText(article.paragraphs.all()).paragraphs[1]
    passage = ArticleText(article.paragraphs.all()).by_position(second.key, 4, second.key, 10)
    _article(write_markdown, ["The first words stay.", "Other words came instead."])
    with pytest.raises(NoteError, match="The text changed while these words were being chosen"):
        create_note(alice, article, passage, comment="About the second words")
    assert not Annotation.objects.exists()


def test_a_passage_still_there_after_a_change_elsewhere_is_saved(write_markdown, alice):
    article = _article(write_markdown, ["The first words stay.", "The second words go."]).article
    first = ArticleText(article.paragraphs.all()).paragraphs[0]
    passage = ArticleText(article.paragraphs.all()).by_position(first.key, 4, first.key, 9)
    _article(write_markdown, ["The first words stay.", "Other words came instead."])
    note = create_note(alice, article, passage, comment="About the first words")
    assert (note.start_key, note.quote_exact) == (first.key, "first")


def test_a_passage_on_an_unchanged_text_is_saved(write_markdown, alice):
    article = _article(write_markdown, ["The first words stay.", "The second words go."]).article
    second = ArticleText(article.paragraphs.all()).paragraphs[1]
    passage = ArticleText(article.paragraphs.all()).by_position(second.key, 4, second.key, 10)
    assert create_note(alice, article, passage, comment="About the second words").quote_exact == "second"


def test_a_note_on_an_article_deleted_meanwhile_is_refused_with_a_404(write_markdown, alice):
    from reader.models import Article

    article = _article(write_markdown, ["The first words stay."]).article
    passage = ArticleText(article.paragraphs.all()).by_position(
        article.paragraphs.get().key, 4, article.paragraphs.get().key, 9
    )
    Article.objects.filter(pk=article.pk).delete()  # as a curator's delete landing while the note was written
    with pytest.raises(NoteError, match="This article is no longer here") as refused:
        create_note(alice, article, passage, comment="About the first words")
    assert refused.value.status == 404
    assert not Annotation.objects.exists()
