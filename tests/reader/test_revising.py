"""Every change of an article's text is a revision that keeps the text as it then was."""

import pytest

from reader.importing import import_text
from reader.models import Revision
from reader.rendering import render_block
from reader.revising import Entry, RevisionError, revert, revise

pytestmark = pytest.mark.django_db

TEXT = "Title: Kept\n\nFirst paragraph.\n\nSecond paragraph.\n\nThird paragraph.\n"


@pytest.fixture
def kept():
    return import_text(TEXT, slug="kept").article


def entries(article, **changes):
    """The article's text as entries, with `changes` ({key: new source}) applied."""
    return [Entry(p.key, render_block(changes.get(p.key, p.source))) for p in article.paragraphs.order_by("position")]


def sources(article):
    return [[p.key, p.source] for p in article.paragraphs.order_by("position")]


def test_an_import_keeps_its_text_as_the_first_revision(kept):
    [revision] = Revision.objects.filter(article=kept)
    assert (revision.number, revision.author, revision.message) == (1, None, "Imported")
    assert revision.paragraphs == sources(kept)


def test_importing_again_with_changes_adds_a_revision_and_unchanged_adds_none(kept):
    import_text(TEXT, slug="kept")
    assert Revision.objects.filter(article=kept).count() == 1
    import_text(TEXT.replace("Second", "2nd"), slug="kept")
    kept.refresh_from_db()
    latest = Revision.objects.get(article=kept, number=2)
    assert (kept.revision, latest.message, latest.paragraphs) == (2, "Imported again", sources(kept))


def test_a_new_title_alone_is_a_revision_with_the_same_paragraphs(kept):
    import_text(TEXT.replace("Title: Kept", "Title: Renamed"), slug="kept")
    one, two = Revision.objects.filter(article=kept).order_by("number")
    assert (two.number, two.paragraphs) == (2, one.paragraphs)


def test_revise_keeps_a_corrected_paragraphs_key_and_records_who_and_why(kept, curator):
    second = kept.paragraphs.get(position=1)
    revision = revise(kept, entries(kept, **{second.key: "Second, corrected."}), author=curator, message="Typo")
    second.refresh_from_db()
    assert (second.text, second.key) == ("Second, corrected.", second.key)
    assert (revision.number, revision.author, revision.message) == (2, curator, "Typo")


def test_revise_with_the_same_text_writes_nothing(kept):
    assert revise(kept, entries(kept)) is None
    assert Revision.objects.filter(article=kept).count() == 1


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (lambda e: [e[0], e[0], e[2]], "given twice"),
        (lambda e: [Entry("p-nowhere", e[0].block), e[1]], "no paragraph with key 'p-nowhere'"),
    ],
)
def test_revise_refuses_keys_it_cannot_follow_and_changes_nothing(kept, bad, message):
    with pytest.raises(RevisionError, match=message):
        revise(kept, bad(entries(kept)))
    kept.refresh_from_db()
    assert (kept.revision, sources(kept)) == (1, Revision.objects.get(article=kept).paragraphs)


def test_revert_brings_an_old_text_back_as_a_new_revision(kept, curator):
    original = sources(kept)
    second = kept.paragraphs.get(position=1)
    revise(kept, entries(kept, **{second.key: "Rewritten."}))
    revise(kept, [e for e in entries(kept) if e.key != kept.paragraphs.get(position=2).key])
    revision = revert(kept, 1, author=curator)
    assert (revision.number, revision.message, revision.author) == (4, "Reverted to revision 1", curator)
    assert sources(kept) == original
    assert revert(kept, 1) is None  # it reads so already


def test_reverting_to_an_unknown_revision_is_refused(kept):
    with pytest.raises(RevisionError, match="no revision 7"):
        revert(kept, 7)
