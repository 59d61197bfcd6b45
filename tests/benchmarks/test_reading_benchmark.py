"""How the reading page's cost grows with notes: DESIGN.md asks for ≤ 3× with 2,000 notes.

Prints its figures (run with `make bench`); asserts only what must hold for them to mean
anything, never a time.
"""

import random
import re
import statistics
import time

import pytest

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
    Annotation.objects.bulk_create(notes, batch_size=500)


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
    marked = {ident for marks in re.findall(r'data-annotations="([^"]+)"', page) for ident in marks.split()}
    assert len(marked) == NOTES  # every note is highlighted in the text
    print(
        f"\nreading page, median of {ROUNDS}: no notes {empty_ms:.1f} ms, "
        f"{NOTES} notes {full_ms:.1f} ms, ratio {full_ms / empty_ms:.2f}× (target ≤ 3×), "
        f"page {len(response.content) / 1024:.0f} KiB"
    )
