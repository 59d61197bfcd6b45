"""The moderation world: alice writes a note of each kind; bob reads beside her in irene's seminar;
oscar instructs another seminar; the curator is staff; charlie has no part in anything.

Kinds: private, seminar, public, hidden (a public note the curator hid) and pending (a note to
irene's pre-moderated seminar, awaiting her approval).
"""

from dataclasses import dataclass

import pytest

from annotations import discussion
from annotations.anchoring import ArticleText
from annotations.writing import create_note
from tests.annotations.factories import prose
from tests.conftest import _make_user

KINDS = ["private", "seminar", "public", "hidden", "pending"]
ROLES = ["author", "flagger", "instructor", "other_instructor", "staff", "stranger", "anonymous"]

# Who sees which kind of note (visible_to), and who moderates it (moderated_by).
SEES = {
    "author": set(KINDS),
    "flagger": {"seminar", "public"},
    "instructor": {"seminar", "public", "pending"},
    "other_instructor": {"public"},
    "staff": {"public", "hidden"},
    "stranger": {"public"},
    "anonymous": {"public"},
}
MODERATES = {"instructor": {"seminar", "pending"}, "staff": {"public", "hidden"}}


@dataclass
class World:
    people: dict
    notes: dict
    seminar: object
    other_seminar: object

    def person(self, role):
        return self.people.get(role)


def passage(article, i):
    paragraph = prose(article)[i]
    return ArticleText(article.paragraphs.all()).by_position(paragraph.key, 0, paragraph.key, 20)


@pytest.fixture
def world(django_user_model, article, alice, bob, charlie, curator, make_seminar):
    irene, oscar = _make_user(django_user_model, "irene"), _make_user(django_user_model, "oscar")
    seminar = make_seminar("Korea 2006", instructors=[irene], participants=[alice, bob], articles=[article])
    other = make_seminar("Other reading", instructors=[oscar], participants=[charlie], articles=[article])
    notes = {
        "private": create_note(alice, article, passage(article, 0), comment="Private thought."),
        "seminar": create_note(
            alice, article, passage(article, 1), comment="Seminar thought.", visibility="seminar", seminar=seminar
        ),
        "public": create_note(alice, article, passage(article, 2), comment="Public thought.", visibility="public"),
        "hidden": create_note(alice, article, passage(article, 3), comment="Hidden thought.", visibility="public"),
    }
    discussion.hide(curator, notes["hidden"], "Off-topic here.")
    seminar.premoderated = True
    seminar.save()
    notes["pending"] = create_note(
        alice, article, passage(article, 4), comment="Pending thought.", visibility="seminar", seminar=seminar
    )
    assert notes["pending"].pending
    people = {
        "author": alice,
        "flagger": bob,
        "instructor": irene,
        "other_instructor": oscar,
        "staff": curator,
        "stranger": charlie,
        "anonymous": None,
    }
    return World(people, notes, seminar, other)


@pytest.fixture
def as_role(client, world):
    """Sign the test client in as the person of `role` (anonymous: nobody); returns the client."""

    def sign_in(role):
        client.logout()
        if world.person(role) is not None:
            client.force_login(world.person(role))
        return client

    return sign_in
