"""Work that leaves the request: notification email, and re-checking many notes after a text change.

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
from annotations.writing import create_reply, update_note
from reader.models import Paragraph
from tests.annotations.factories import PUBLIC, import_markdown, note_on_quote, note_on_range, text_of

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


def test_past_the_limit_notes_are_orphaned_until_the_worker_rechecks_them(
    settings, reimport, spanning_notes, finished_tasks, django_capture_on_commit_callbacks
):
    settings.REANCHOR_IN_REQUEST_MAX_NOTES = 1
    with django_capture_on_commit_callbacks() as callbacks:
        reimport(ONE, TWO, THREE.replace("edited", "rewritten"), FOUR)
    assert statuses(*spanning_notes) == ["orphaned", "orphaned"]  # never shown on words they may not quote
    run(callbacks)
    [result] = finished_tasks
    assert (result.task.name, result.return_value) == ("recheck_notes", 1)
    assert statuses(*spanning_notes) == ["anchored", "orphaned"]


def test_within_the_limit_notes_are_rechecked_in_the_edit_itself(
    reimport, spanning_notes, finished_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        reimport(ONE, TWO, THREE.replace("edited", "rewritten"), FOUR)
    assert statuses(*spanning_notes) == ["anchored", "orphaned"]
    run(callbacks)
    assert finished_tasks == []


def test_a_held_note_whose_paragraph_is_removed_before_the_worker_runs_stays_orphaned(
    settings, reimport, spanning_notes, django_capture_on_commit_callbacks
):
    settings.REANCHOR_IN_REQUEST_MAX_NOTES = 1
    with django_capture_on_commit_callbacks() as callbacks:
        reimport(ONE, TWO, THREE.replace("edited", "rewritten"), FOUR)
        reimport(ONE, THREE.replace("edited", "rewritten"), FOUR)  # TWO is gone before the worker looks
    run(callbacks)
    assert statuses(*spanning_notes) == ["orphaned", "orphaned"]


def test_a_held_note_its_author_reattached_meanwhile_keeps_its_new_place(
    settings, reimport, spanning_notes, alice, django_capture_on_commit_callbacks
):
    settings.REANCHOR_IN_REQUEST_MAX_NOTES = 1
    intact, _ = spanning_notes
    with django_capture_on_commit_callbacks() as callbacks:
        article = reimport(ONE, TWO, THREE.replace("edited", "rewritten"), FOUR)
        moved = update_note(Annotation.objects.get(pk=intact.pk), passage=text_of(article).by_quote("fourth"))
    run(callbacks)
    after = Annotation.objects.get(pk=intact.pk)
    assert (after.anchor_status, after.quote_exact, after.start_key) == ("anchored", "fourth", moved.start_key)
