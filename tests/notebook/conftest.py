"""The notebook's cast: alice's notes of every kind on the seed article, bob's, and a second article."""

import pytest

from annotations.models import Annotation
from tests.annotations.factories import import_markdown, note_on_article, note_on_quote

SECOND = """Title: A Second Reading

The first paragraph of the second article speaks of peace.

The second paragraph speaks of war and of =SUM(A1:A2) in a spreadsheet.
"""


@pytest.fixture
def second_article(write_markdown):
    article = import_markdown(write_markdown, SECOND, slug="second-reading")
    article.status = "published"
    article.save(update_fields=["status"])
    return article


@pytest.fixture
def cast(article, second_article, seminar, alice, bob, charlie):
    """alice: a private highlight, a commented and tagged note, a seminar note, a public note, and one on the
    whole second article; bob: a public note and a private one. The seminar is alice's and bob's."""
    notes = {
        "private": note_on_quote(alice, article, "North Korea shot the missiles", suffix=", surprising"),
        "tagged": note_on_quote(
            alice, article, "frequent abrupt policy changes", comment="Secret *thought*", tags=["peace", "Cold War"]
        ),
        "seminar": note_on_quote(
            alice, article, "a fundamental limitation", comment="For the seminar", visibility="seminar", seminar=seminar
        ),
        "public": note_on_quote(alice, article, "money forgery and laundries", comment="Public", visibility="public"),
        "whole": note_on_article(alice, second_article, comment='=HYPERLINK("http://evil") about the whole'),
        "bob_public": note_on_quote(bob, article, "the 6-way talk", comment="Bob says", visibility="public"),
        "bob_private": note_on_quote(bob, article, "stuck to a stalemate", comment="Bob's secret"),
    }
    assert notes["private"].visibility == Annotation.Visibility.PRIVATE
    return notes
