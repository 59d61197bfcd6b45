"""A real `manage.py db_worker` process sends the email a reply queued.

It runs against a FileSite (a file SQLite database of its own), whatever database the suite
runs on: the suite's own is one no other process can see.
"""

import signal
import time

import pytest

from tests.conftest import SEED_ARTICLE
from tests.sites import FileSite

QUEUE_A_REPLY = f"""
from django.contrib.auth import get_user_model
from django.core.management import call_command
from annotations.writing import create_note, create_reply
from reader.models import Article

call_command("import_article", {str(SEED_ARTICLE)!r}, verbosity=0)
alice = get_user_model().objects.create_user("alice", "alice@example.com")
bob = get_user_model().objects.create_user("bob", "bob@example.com")
note = create_note(alice, Article.objects.get(), None, comment="Is anyone there?", visibility="public")
create_reply(bob, note, comment="The worker is.")
"""


@pytest.fixture
def site(tmp_path):
    (tmp_path / "mail").mkdir()
    mail_to_files = "django.core.mail.backends.filebased.EmailBackend"
    site = FileSite(tmp_path, EMAIL_BACKEND=mail_to_files, EMAIL_FILE_PATH=str(tmp_path / "mail"))
    site.manage("migrate", "--verbosity", "0")
    return site


# Django's file backend ends each message it writes with this line; a file without it is still being written.
WRITTEN = "-" * 79


def wait_for_mail(folder, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        sent = [path.read_text() for path in folder.iterdir()]
        if sent and all(mail.rstrip().endswith(WRITTEN) for mail in sent):
            return sent
        time.sleep(0.2)
    return []


def test_a_worker_process_sends_the_email_a_reply_queued_and_stops_cleanly(site, tmp_path):
    site.shell(QUEUE_A_REPLY)
    assert list((tmp_path / "mail").iterdir()) == []  # queued, not sent: nothing runs it yet

    worker = site.start("db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.1")
    try:
        sent = wait_for_mail(tmp_path / "mail")
    finally:
        worker.send_signal(signal.SIGTERM)
        code = worker.wait(timeout=30)

    assert len(sent) == 1, site.log("db_worker")
    [mail] = sent
    assert "To: alice@example.com" in mail
    assert "The worker is." in mail
    assert code == 0, site.log("db_worker")  # SIGTERM between tasks is a clean stop
    assert "email_notification state=SUCCESSFUL" in site.log("db_worker")
