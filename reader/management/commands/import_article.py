from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django_tasks import TaskResultStatus
from django_tasks.exceptions import TaskResultDoesNotExist, TaskResultMismatch

from reader import tasks
from reader.importing import ArticleImportError, import_file, read_markdown_file


class Command(BaseCommand):
    help = (
        "Create or update an article from a Markdown file, one paragraph per top-level block. "
        "An optional header of Title:, Author:, Date: (YYYY-MM-DD) and Source: lines may open the file. "
        "With --background the task worker (manage.py db_worker) imports it; follow it with --status."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="a UTF-8 Markdown file")
        parser.add_argument("--slug", help="the article's URL name (default: from the file name)")
        parser.add_argument("--draft", action="store_true", help="import as a draft, seen only by staff")
        parser.add_argument(
            "--background", action="store_true", help="queue the import for the task worker and return at once"
        )
        parser.add_argument("--status", metavar="TASK_ID", help="say how a background import is going")

    def handle(self, file=None, slug=None, draft=False, background=False, status=None, **options):
        if status:
            self.report(self.find(status))
            return
        if not file:
            raise CommandError("Give the Markdown file to import, or --status TASK_ID.")
        try:
            if background:
                self.queue(Path(file), slug, draft)
                return
            result = import_file(file, slug=slug, draft=draft)
        except ArticleImportError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(result.summary()))

    def queue(self, path, slug, draft):
        text = read_markdown_file(path)  # a missing or unreadable file is reported now, not by the worker
        result = tasks.import_article.enqueue(text, name=path.stem, slug=slug, draft=draft)
        if result.is_finished:  # a backend that runs tasks at once (as in tests) has done it already
            self.report(result)
            return
        self.stdout.write(
            f"Queued the import of {path} as task {result.id}; the task worker (manage.py db_worker) runs it.\n"
            f"Follow it with: manage.py import_article --status {result.id}"
        )

    def find(self, task_id):
        try:
            return tasks.import_article.get_result(task_id)
        except (TaskResultDoesNotExist, TaskResultMismatch):
            raise CommandError(f"There is no import task {task_id}.") from None
        except NotImplementedError:
            raise CommandError("The task backend in use keeps no results to follow.") from None

    def report(self, result):
        if result.status == TaskResultStatus.SUCCESSFUL:
            self.stdout.write(self.style.SUCCESS(result.return_value))
        elif result.status == TaskResultStatus.FAILED:
            raise CommandError(f"The import failed: {_reason(result.errors[-1])}")
        elif result.status == TaskResultStatus.RUNNING:
            self.stdout.write(f"Task {result.id} is running (since {result.started_at:%Y-%m-%d %H:%M:%S %Z}).")
        else:
            self.stdout.write(f"Task {result.id} is waiting for the task worker (manage.py db_worker).")


def _reason(error):
    """The message of the error that failed the task: the traceback's last line, without the class."""
    last = error.traceback.strip().splitlines()[-1] if error.traceback.strip() else error.exception_class_path
    return last.removeprefix(f"{error.exception_class_path}: ")
