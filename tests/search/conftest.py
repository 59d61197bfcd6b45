"""A small library for search: three published paragraphs, a draft, and notes of every audience."""

import pytest

from tests.annotations.factories import import_markdown, note_on_quote

BODY = """Title: Geneva Papers

Treaty talks in Geneva ended without agreement on the glacier border.

The harvest festival celebrates peace and plenty in the valley.

Submarines patrol the cold war frontier, and the war seems cold forever.
"""

DRAFT = """Title: Unpublished Draft

A secret draft mentions zeppelins over the harbour.
"""


@pytest.fixture
def library(write_markdown):
    return import_markdown(write_markdown, BODY, slug="geneva")


@pytest.fixture
def draft(write_markdown):
    return import_markdown(write_markdown, DRAFT, slug="unpublished", draft=True)


@pytest.fixture
def notes(library, alice, bob, seminar):
    """alice: a private note (tag peace), a public one; bob: a seminar note and a public question."""
    return {
        "private": note_on_quote(
            alice, library, "harvest festival", comment="Zeppelin dreams, privately.", tags=["peace"]
        ),
        "public": note_on_quote(
            alice, library, "Treaty talks", comment="Public musing about diplomacy.", visibility="public"
        ),
        "seminar": note_on_quote(
            bob,
            library,
            "Submarines patrol",
            comment="Seminar gossip about walruses.",
            visibility="seminar",
            seminar=seminar,
        ),
        "question": note_on_quote(
            bob,
            library,
            "without agreement",
            comment="Why no agreement on diplomacy?",
            visibility="public",
            is_question=True,
        ),
    }
