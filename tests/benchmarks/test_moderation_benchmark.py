"""What the moderation queue and the audit log cost as they fill: queries (which must not grow) and
the median time of a page, with 10 and 1,000 flagged notes (three flags each).

Prints its figures (run with `make bench`); asserts only the query counts, never a time.
"""

import statistics
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotations.models import Annotation
from moderation.models import AuditEntry, Flag

SIZES = (10, 1_000)
ROUNDS = 11


def _add_flagged(article, author, readers, start, count):
    notes = Annotation.objects.bulk_create(
        Annotation(
            author=author, article=article, visibility="public", comment=f"Note {i}.", comment_html=f"<p>Note {i}.</p>",
            article_revision=article.revision,
        )
        for i in range(start, start + count)
    )  # fmt: skip
    Flag.objects.bulk_create(
        Flag(annotation=note, flagger=reader, reason="spam") for note in notes for reader in readers
    )
    AuditEntry.objects.bulk_create(
        AuditEntry(actor=reader, actor_name=reader.username, action="flag", annotation=note, article=article,
                   visibility="public", person=author, person_name=author.username, reason="Spam")
        for note in notes for reader in readers
    )  # fmt: skip


def _measure(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    queries = len(captured.captured_queries)  # now: the next request starts a new log
    times = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    return queries, statistics.median(times)


@pytest.mark.django_db
def test_the_queue_and_the_log_cost_the_same_queries_however_full(client, article, alice, bob, charlie, curator):
    client.force_login(curator)
    readers, done, figures = [bob, charlie, curator], 0, {}
    for size in SIZES:
        _add_flagged(article, alice, readers, done, size - done)
        done = size
        for name in ("moderation-queue", "moderation-log"):
            figures[name, size] = _measure(client, reverse(name))
    for name in ("moderation-queue", "moderation-log"):
        line = ", ".join(
            f"{size:,} flagged notes: {figures[name, size][0]} queries, {figures[name, size][1]:.1f} ms"
            for size in SIZES
        )
        print(f"\n{name}: {line} (target: the same queries at every size)")
        assert figures[name, SIZES[0]][0] == figures[name, SIZES[-1]][0]
