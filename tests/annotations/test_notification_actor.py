"""A notification outlives the account of whoever caused it: its actor becomes nobody, not a deletion.

An author's inbox item about an edit of the text is theirs: a curator's account deleted later
must not take it away. Replies and mentions whose actor is gone still read sensibly.
"""

import pytest
from django.urls import reverse

from annotations.models import Annotation, Notification
from reader.rendering import render_block
from reader.revising import Entry, revise
from tests.annotations.factories import note_on_quote
from tests.pages import parse

pytestmark = pytest.mark.django_db

QUOTE = "Military-First policy"


def inbox_items(client):
    return [" ".join(item.text.split()) for item in parse(client.get(reverse("inbox")).content.decode()).find_all("li")]


@pytest.fixture
def orphaned_by_curator(article, alice, curator):
    """Alice's note, orphaned by the curator's edit: an inbox item from the curator."""
    note = note_on_quote(alice, article, QUOTE)
    entries = [
        Entry(p.key, render_block(p.source.replace("its Military-First policy", "its army-first line")))
        for p in article.paragraphs.order_by("position")
    ]
    revise(article, entries, author=curator, message="Rewritten")
    assert Annotation.objects.get(pk=note.pk).anchor_status == Annotation.AnchorStatus.ORPHANED
    return Notification.objects.get(recipient=alice, kind=Notification.Kind.ORPHANED)


def test_deleting_the_curator_keeps_the_authors_inbox_item_with_no_actor(client, alice, curator, orphaned_by_curator):
    assert orphaned_by_curator.actor == curator
    curator.delete()
    notification = Notification.objects.get(pk=orphaned_by_curator.pk)
    assert notification.actor is None
    assert notification.recipient == alice
    client.force_login(alice)
    response = client.get(reverse("inbox"))
    assert response.status_code == 200
    [item] = inbox_items(client)
    assert "An edit of the text: your note lost its words" in item
    assert "curator" not in item


@pytest.mark.parametrize("kind", [Notification.Kind.REPLY, Notification.Kind.MENTION, Notification.Kind.ANSWER])
def test_a_reply_or_mention_whose_actor_is_gone_reads_as_someones(client, alice, bob, article, kind):
    note = note_on_quote(alice, article, QUOTE, visibility="public")
    reply = note.replies.create(author=bob, article=article, thread=note, comment="A reply", visibility="public")
    Notification.objects.create(recipient=alice, actor=None, kind=kind, annotation=reply)
    client.force_login(alice)
    [item] = inbox_items(client)
    assert item.startswith(f"Someone {kind.label}")
