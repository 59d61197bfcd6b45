"""How the reading page's cost grows with notes: DESIGN.md asks for ≤ 3× with 2,000 notes.

Prints its figures (run with `make bench`); asserts only what must hold for them to mean
anything, never a time.
"""

import random
import re
import statistics
import time

import pytest
from django.db import connection
from django.test import Client

from annotations.anchoring import ArticleText
from annotations.models import Annotation
from reader.importing import import_file
from tests.conftest import SEED_ARTICLE

NOTES = 2_000
ROUNDS = 15


def _add_notes(article, author, count, seed=7):
    rng = random.Random(seed)
    paragraphs = [paragraph for paragraph in article.paragraphs.all() if len(paragraph.text) > 10]
    text = ArticleText(article.paragraphs.all())
    notes = []
    for i in range(count):
        paragraph = rng.choice(paragraphs)
        start = rng.randrange(0, len(paragraph.text) - 5)
        end = rng.randrange(start + 2, min(len(paragraph.text), start + 120) + 1)
        if not paragraph.text[start:end].strip():
            end = len(paragraph.text)
        passage = text.by_position(paragraph.key, start, paragraph.key, end)
        notes.append(
            Annotation(
                author=author,
                article=article,
                visibility="public",
                comment=f"Note {i}: *why* does this matter?" if i % 3 else "",
                comment_html=f"<p>Note {i}: <em>why</em> does this matter?</p>" if i % 3 else "",
                article_revision=article.revision,
                **passage.as_fields(),
            )
        )
    made = Annotation.objects.bulk_create(notes, batch_size=500)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # statistics on the new rows, as autovacuum takes them after a bulk load
            cursor.execute(f"ANALYZE {Annotation._meta.db_table}")
    return made


def _empty_copy(article):
    """The seed article again under another slug, with no notes: the empty page to measure beside."""
    return import_file(SEED_ARTICLE, slug=f"{article.slug}-without-notes").article


def _interleaved_medians(requests, rounds=ROUNDS):
    """The median time of each (client, url) request, taking turns so that whatever else loads the
    machine (its speed drifts from minute to minute) weighs on each alike."""
    for client, url in requests:
        client.get(url)  # warm caches and template loading
    times = [[] for _ in requests]
    for _ in range(rounds):
        for (client, url), taken in zip(requests, times, strict=True):
            started = time.perf_counter()
            assert client.get(url).status_code == 200
            taken.append((time.perf_counter() - started) * 1000)
    return [statistics.median(taken) for taken in times]


@pytest.mark.django_db
def test_reading_page_cost_with_2000_notes(client, article, alice, bob):
    client.force_login(bob)
    empty = _empty_copy(article)
    _add_notes(article, alice, NOTES)
    empty_ms, full_ms = _interleaved_medians([(client, empty.get_absolute_url()), (client, article.get_absolute_url())])
    response = client.get(article.get_absolute_url())
    page = response.content.decode()
    assert f"{NOTES} notes" in page
    # Past the inline limit marks say how many notes cover them: every note is there if the
    # longest-covered words count them all where they pile up, and no mark counts more than there are.
    counts = [int(count) for count in re.findall(r'<mark data-count="(\d+)"', page)]
    assert counts
    assert max(counts) <= NOTES
    print(
        f"\nreading page, median of {ROUNDS}: no notes {empty_ms:.1f} ms, "
        f"{NOTES} notes {full_ms:.1f} ms, ratio {full_ms / empty_ms:.2f}× (target ≤ 3×), "
        f"page {len(response.content) / 1024:.0f} KiB"
    )


@pytest.mark.django_db
def test_reading_page_signed_in_and_anonymous_from_0_to_5000_notes(article, alice, bob):
    """Anonymous and signed in (bob), at 0, 2,000 and 5,000 public notes: times, ratios and sizes.

    Each page under notes is timed in turns with the same article without notes (a copy), so a
    ratio compares requests made at the same moments.
    """
    url, empty_url = article.get_absolute_url(), _empty_copy(article).get_absolute_url()
    anonymous, signed_in = Client(), Client()
    signed_in.force_login(bob)
    clients = (anonymous, signed_in)
    empty = _interleaved_medians([(client, empty_url) for client in clients])
    lines = [f"    0 notes: anonymous {empty[0]:6.1f} ms, signed in {empty[1]:6.1f} ms; "]
    raw = len(anonymous.get(empty_url).content)
    gzipped = len(anonymous.get(empty_url, headers={"Accept-Encoding": "gzip"}).content)
    lines[0] += f"{raw / 1024:,.0f} KiB raw, {gzipped / 1024:,.0f} KiB gzipped"
    added = 0
    for count, target in ((2_000, 2), (5_000, 3)):
        _add_notes(article, alice, count - added, seed=count)
        added = count
        times = _interleaved_medians([(client, page) for page in (empty_url, url) for client in clients])
        raw = len(anonymous.get(url).content)
        gzipped = len(anonymous.get(url, headers={"Accept-Encoding": "gzip"}).content)
        lines.append(
            f"{count:>5,} notes: anonymous {times[2]:6.1f} ms ({times[2] / times[0]:.2f}× the empty "
            f"{times[0]:.1f} ms), signed in {times[3]:6.1f} ms ({times[3] / times[1]:.2f}× the empty "
            f"{times[1]:.1f} ms) (target ≤ {target}×); "
            f"{raw / 1024:,.0f} KiB raw{' (target ≤ 300 KB)' if count == 5_000 else ''}, "
            f"{gzipped / 1024:,.0f} KiB gzipped"
        )
    print(
        f"\nreading page in process, DEBUG off, median of {ROUNDS} interleaved: signed-in empty page "
        f"{empty[1] / empty[0]:.2f}× the anonymous one (target ≤ 1.3×); each ratio below is to the empty "
        "page timed in turns with it\n    " + "\n    ".join(lines)
    )
