"""One event, one inbox entry and one email: the strongest kind wins (answer > mention > reply)."""

from django.core import mail

from annotations.discussion import mark_answer
from annotations.models import Notification
from annotations.notifying import notify
from annotations.writing import create_reply
from tests.annotations.factories import note_on_article


def test_a_reply_that_mentions_the_notes_author_is_one_mention(alice, bob, article, django_capture_on_commit_callbacks):
    note = note_on_article(alice, article, comment="What do you think?", visibility="public")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        create_reply(bob, note, comment="@alice I agree.")
    assert list(alice.notifications.values_list("kind", flat=True)) == [Notification.Kind.MENTION]
    assert len(mail.outbox) == 1
    assert "mentioned you" in mail.outbox[0].subject


def test_a_plain_reply_is_still_a_reply(alice, bob, article):
    note = note_on_article(alice, article, comment="What do you think?", visibility="public")
    create_reply(bob, note, comment="I agree.")
    assert list(alice.notifications.values_list("kind", flat=True)) == [Notification.Kind.REPLY]


def test_an_answer_chosen_by_an_instructor_is_one_entry_about_the_answer(
    alice, bob, charlie, make_seminar, article, django_capture_on_commit_callbacks
):
    make_seminar("Answers", instructors=[alice], participants=[bob, charlie])
    question = note_on_article(bob, article, comment="Why?", visibility="seminar", seminar="answers", is_question=True)
    reply = create_reply(charlie, question, comment="Because.")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        mark_answer(alice, reply)  # the instructor chooses: bob, who asked, is told
    assert list(bob.notifications.values_list("kind", flat=True)) == [Notification.Kind.ANSWER]
    assert bob.notifications.get().read is None
    assert len(mail.outbox) == 0  # bob was emailed about the reply: one email for this note


def test_a_weaker_kind_after_a_stronger_one_adds_nothing(alice, bob, article):
    note = note_on_article(alice, article, comment="What do you think?", visibility="public")
    reply = create_reply(bob, note, comment="@alice I agree.")
    notify(alice, bob, Notification.Kind.REPLY, reply)
    assert alice.notifications.count() == 1
