"""How the reading page's cost grows with notes: DESIGN.md asks for ≤ 3× with 2,000 notes.

Prints its figures (run with `make bench`); asserts only what must hold for them to mean
anything, never a time.
"""

import random
import re
import statistics
import time

import pytest
from django.test import Client

from annotations.anchoring import ArticleText
from annotations.models import Annotation

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
    return Annotation.objects.bulk_create(notes, batch_size=500)


def _median_ms(client, url):
    client.get(url)  # warm caches and template loading
    times = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    return statistics.median(times), response


@pytest.mark.django_db
def test_reading_page_cost_with_2000_notes(client, article, alice, bob):
    url = article.get_absolute_url()
    client.force_login(bob)
    empty_ms, _ = _median_ms(client, url)
    _add_notes(article, alice, NOTES)
    full_ms, response = _median_ms(client, url)
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


def _interleaved_medians(clients, url, rounds=ROUNDS):
    """The median time of each client's request, the clients taking turns so that load hits both alike."""
    for client in clients:
        client.get(url)
    times = [[] for _ in clients]
    for _ in range(rounds):
        for client, taken in zip(clients, times, strict=True):
            started = time.perf_counter()
            assert client.get(url).status_code == 200
            taken.append((time.perf_counter() - started) * 1000)
    return [statistics.median(taken) for taken in times]


@pytest.mark.django_db
def test_reading_page_signed_in_and_anonymous_from_0_to_5000_notes(article, alice, bob):
    """Anonymous and signed in (bob), at 0, 2,000 and 5,000 public notes: times, ratios and sizes."""
    url = article.get_absolute_url()
    anonymous, signed_in = Client(), Client()
    signed_in.force_login(bob)
    lines, empty, added = [], None, 0
    for count in (0, 2_000, 5_000):
        _add_notes(article, alice, count - added, seed=count)
        added = count
        anonymous_ms, signed_in_ms = _interleaved_medians([anonymous, signed_in], url)
        empty = empty or (anonymous_ms, signed_in_ms)
        raw = len(anonymous.get(url).content)
        gzipped = len(anonymous.get(url, headers={"Accept-Encoding": "gzip"}).content)
        target = {0: "", 2_000: " (target ≤ 2×)", 5_000: " (target ≤ 3×)"}[count]
        lines.append(
            f"{count:>5,} notes: anonymous {anonymous_ms:6.1f} ms ({anonymous_ms / empty[0]:.2f}×), "
            f"signed in {signed_in_ms:6.1f} ms ({signed_in_ms / empty[1]:.2f}×){target}; "
            f"{raw / 1024:,.0f} KiB raw{' (target ≤ 300 KB)' if count == 5_000 else ''}, "
            f"{gzipped / 1024:,.0f} KiB gzipped"
        )
    print(
        f"\nreading page in process, DEBUG off, median of {ROUNDS} interleaved: signed-in empty page "
        f"{empty[1] / empty[0]:.2f}× the anonymous one (target ≤ 1.3×)\n    " + "\n    ".join(lines)
    )
