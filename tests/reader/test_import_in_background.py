"""`import_article --background`: the file is read at once, the task worker imports it, --status follows it."""

import signal
import uuid
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django_tasks_db.models import DBTaskResult

from reader.models import Article

LONG = "Title: A long read\n\nThe first paragraph.\n\nThe second paragraph.\n"


@pytest.fixture
def queued(settings):
    """Tasks go to the database queue, as in production, until `work()` runs a worker."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def work():
    """Run `db_worker` in this process until the queue is empty; leave the process's signal handlers as they were."""
    signals = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]
    handlers = [signal.getsignal(number) for number in signals]
    try:
        call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)
    finally:
        for number, handler in zip(signals, handlers, strict=True):
            signal.signal(number, handler)


def import_article(*args):
    out = StringIO()
    call_command("import_article", *map(str, args), stdout=out)
    return out.getvalue()


# The worker commits for real (and on PostgreSQL would close a connection held in a test transaction).
@pytest.mark.django_db(transaction=True)
def test_a_background_import_is_queued_run_by_the_worker_and_followed_with_status(queued, write_markdown):
    out = import_article(write_markdown(LONG, name="long-read.md"), "--background")
    task_id = DBTaskResult.objects.get().id
    assert f"as task {task_id}" in out
    assert f"manage.py import_article --status {task_id}" in out
    assert not Article.objects.exists()
    assert "waiting for the task worker" in import_article("--status", task_id)

    work()

    assert Article.objects.get(slug="long-read").paragraphs.count() == 2
    status = import_article("--status", task_id)
    assert status.strip() == "Imported “A long read” as /articles/long-read/: 2 paragraphs (published)."


@pytest.mark.django_db(transaction=True)
def test_a_background_import_that_fails_says_why_when_followed(queued, write_markdown):
    import_article(write_markdown("Title: Nothing after the header\n\n", name="empty.md"), "--background")
    task_id = DBTaskResult.objects.get().id
    work()
    with pytest.raises(CommandError, match="The import failed: The file has no text blocks: nothing to import"):
        import_article("--status", task_id)
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_a_file_that_cannot_be_read_is_reported_at_once_and_nothing_is_queued(queued, tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        import_article(tmp_path / "missing.md", "--background")
    assert not DBTaskResult.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("task_id", [uuid.uuid4(), "not-a-task"])
def test_following_a_task_that_does_not_exist_says_so(queued, task_id):
    with pytest.raises(CommandError, match=f"There is no import task {task_id}"):
        import_article("--status", task_id)


@pytest.mark.django_db
def test_when_tasks_run_at_once_a_background_import_reports_its_outcome_at_once(write_markdown):
    out = import_article(write_markdown(LONG, name="long-read.md"), "--background")
    assert out.strip() == "Imported “A long read” as /articles/long-read/: 2 paragraphs (published)."


@pytest.mark.django_db
def test_without_a_file_or_a_task_to_follow_the_command_says_what_to_give():
    with pytest.raises(CommandError, match="Give the Markdown file to import, or --status TASK_ID"):
        import_article()
