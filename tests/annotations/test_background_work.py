"""Work that leaves the request: notification email; and what stays in it, re-anchoring after a text change.

The suite runs tasks with the immediate backend, for real: enqueued when the transaction
commits, run at once. tests/test_worker.py runs one through a real `db_worker` process.
"""

import pytest
from django.db import transaction
from django.urls import reverse
from django_tasks import TaskResultStatus
from django_tasks.signals import task_finished

from annotations.discussion import hide
from annotations.models import Annotation, Notification
from annotations.notifying import email_notification
from annotations.tasks import recheck_notes
from annotations.writing import create_reply
from reader.models import Paragraph
from tests.annotations.factories import PUBLIC, import_markdown, note_on_quote, note_on_range

pytestmark = pytest.mark.django_db


@pytest.fixture
def finished_tasks():
    """The results of the tasks that finish during the test, in order."""
    results = []

    def record(sender, task_result, **kwargs):
        results.append(task_result)

    task_finished.connect(record, weak=False)
    yield results
    task_finished.disconnect(record)


def run(callbacks):
    for callback in callbacks:
        callback()


# Notification email ---------------------------------------------------------------------------


@pytest.fixture
def public_note(alice, article):
    return note_on_quote(alice, article, "kind of mysteries", comment="Mysteries indeed.", visibility=PUBLIC)


def test_a_replys_email_is_queued_when_the_reply_commits_and_sent_by_a_task(
    bob, public_note, mailoutbox, finished_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        create_reply(bob, public_note, comment="Mail me back.")
    assert mailoutbox == []  # nothing leaves before the reply is saved for good
    assert finished_tasks == []
    run(callbacks)
    [result] = finished_tasks
    assert (result.task.name, result.status, result.return_value) == ("email_notification", "SUCCESSFUL", True)
    [mail] = mailoutbox
    assert mail.to == ["alice@example.com"]
    assert "bob replied to your note" in mail.subject
    assert "Mail me back." in mail.body
    # Its link goes through the inbox, so opening the note from the email marks the item read.
    notification = Notification.objects.get(recipient__username="alice")
    link = next(line for line in mail.body.splitlines() if line.startswith("Read it in context: "))
    assert link.endswith(reverse("inbox-open", args=[notification.pk]))


def test_no_email_is_queued_when_the_reply_is_rolled_back(
    bob, public_note, mailoutbox, finished_tasks, django_capture_on_commit_callbacks
):
    @transaction.atomic
    def reply_then_fail():
        create_reply(bob, public_note, comment="Never mind.")
        raise RuntimeError("the request failed after the reply")

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        reply_then_fail()
    assert callbacks == []
    assert finished_tasks == []
    assert mailoutbox == []


def test_the_task_sends_nothing_once_the_note_is_hidden_from_its_recipient(
    alice, bob, curator, public_note, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():  # queued but not run: the worker is slow today
        reply = create_reply(bob, public_note, comment="A reply alice will not get to read.")
    notification = Notification.objects.get(recipient=alice, annotation__parent=public_note)
    hide(curator, reply)
    result = email_notification.enqueue(notification.pk)
    assert (result.status, result.return_value) == ("SUCCESSFUL", False)
    assert mailoutbox == []


def test_the_task_sends_nothing_for_a_notification_deleted_with_its_note(bob, public_note, mailoutbox):
    result = email_notification.enqueue(123456)
    assert (result.status, result.return_value) == ("SUCCESSFUL", False)
    assert mailoutbox == []


def test_a_failing_mail_server_fails_the_task_and_not_the_reply(
    client, alice, bob, public_note, mailoutbox, finished_tasks, django_capture_on_commit_callbacks, monkeypatch
):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("the mail server is down")

    monkeypatch.setattr("annotations.notifying.send_mail", refuse)
    client.force_login(bob)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("annotation-reply", args=[public_note.pk]), {"comment": "Still saved."})
    assert response.status_code == 302
    assert Annotation.objects.filter(parent=public_note, comment="Still saved.").exists()
    [result] = finished_tasks
    assert result.status == TaskResultStatus.FAILED
    assert "the mail server is down" in result.errors[0].traceback


# Re-checking notes after a text change -----------------------------------------------------------

ONE = "The first paragraph stays exactly as it is."
TWO = "The second paragraph stays as well."
THREE = "The third paragraph will be edited by the curator."
FOUR = "The fourth paragraph is the last one."


@pytest.fixture
def reimport(write_markdown):
    def reimport(*paragraphs):
        return import_markdown(write_markdown, "Title: Changing\n\n" + "\n\n".join(paragraphs) + "\n", slug="changing")

    return reimport


@pytest.fixture
def spanning_notes(reimport, alice):
    """Two notes across paragraphs: `intact` over ONE–TWO, `broken` over TWO–FOUR (THREE is edited)."""
    article = reimport(ONE, TWO, THREE, FOUR)
    one, two, four = (Paragraph.objects.get(article=article, text=text) for text in (ONE, TWO, FOUR))
    intact = note_on_range(alice, article, one.key, 4, two.key, 10)
    broken = note_on_range(alice, article, two.key, 4, four.key, 10)
    return intact, broken


def statuses(*notes):
    return [Annotation.objects.get(pk=note.pk).anchor_status for note in notes]


def test_notes_are_re_anchored_in_the_edit_itself_and_no_task_is_queued(
    reimport, spanning_notes, finished_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        reimport(ONE, TWO, "An unrelated paragraph takes the third one's place.", FOUR)
    assert statuses(*spanning_notes) == ["anchored", "orphaned"]
    run(callbacks)
    assert finished_tasks == []


def test_a_recheck_an_earlier_version_queued_places_the_notes_it_held_again(reimport, alice):
    article = reimport(ONE, TWO, THREE, FOUR)
    note = note_on_quote(alice, article, "second paragraph")
    # As an earlier version left it: orphaned until the worker looked.
    Annotation.objects.filter(pk=note.pk).update(anchor_status="orphaned", start_key="p-gone", end_key="p-gone")
    result = recheck_notes.enqueue(article.pk, [str(note.pk)])
    assert result.return_value == 1
    assert Annotation.objects.get(pk=note.pk).anchor_status == "anchored"
