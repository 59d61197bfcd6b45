"""Search over 100,000 notes and 1,000 articles: issue 11 asks for a median ≤ 50 ms and a p99 ≤ 200 ms on
PostgreSQL, a median ≤ 100 ms on SQLite with FTS5, for one- and two-word queries.

Each query is timed twice: the search itself as the page runs it (search.views.results: both
counts, both first pages, the marks), and the whole page through the test client (with the
session, the header's counts and the template). The corpus is made in bulk from a seeded generator (words
drawn with Zipf's law, so some are common and most are rare); the search index is built by
search.indexing.rebuild, as `manage.py rebuild_search_index` builds it. Prints its figures
(`make bench`, or with DATABASE_URL for PostgreSQL); asserts only that the searches found things.
"""

import random
import statistics
import time

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.http import QueryDict

from annotations.models import Annotation
from reader.models import Article, Paragraph
from search import indexing
from search.finding import Search
from search.views import results

NOTES = 100_000
ARTICLES = 1_000
PARAGRAPHS = 10  # per article
READERS = 50
VOCABULARY = 5_000
QUERIES = 60  # of each kind
PAGES = 20  # of those, also timed as whole pages
TARGETS = {"postgresql": (50, 200), "sqlite": (100, None)}


def vocabulary(rng):
    syllables = ["ka", "lo", "mi", "ren", "tu", "sha", "vel", "or", "ni", "pa", "qui", "zor", "el", "mar", "dun"]
    words = set()
    while len(words) < VOCABULARY:
        words.add("".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))))
    return sorted(words)


class Words:
    """Words drawn by Zipf's law: the word of rank r comes up in proportion to 1/r."""

    def __init__(self, rng):
        self.rng, self.words = rng, vocabulary(rng)
        self.weights = [1 / rank for rank in range(1, VOCABULARY + 1)]

    def text(self, count):
        return " ".join(self.rng.choices(self.words, self.weights, k=count))


def make_corpus(words):
    readers = get_user_model().objects.bulk_create(
        [get_user_model()(username=f"reader{n}", email=f"reader{n}@example.com") for n in range(READERS)]
    )
    articles = Article.objects.bulk_create(
        [Article(slug=f"article-{n}", title=f"Article {n}", status="published") for n in range(ARTICLES)]
    )
    paragraphs = []
    for article in articles:
        for position in range(PARAGRAPHS):
            text = words.text(40).capitalize() + "."
            paragraph = Paragraph(article=article, position=position, key=f"p-{position}", source=text)
            paragraph.html, paragraph.text = f"<p>{text}</p>", text
            paragraphs.append(paragraph)
    Paragraph.objects.bulk_create(paragraphs, batch_size=2000)
    rng, notes = words.rng, []
    for n in range(NOTES):
        paragraph = paragraphs[rng.randrange(len(paragraphs))]
        end = paragraph.text.index(" ", rng.randint(10, 60))
        comment = words.text(rng.randint(5, 25)) if n % 2 else ""
        notes.append(
            Annotation(
                author=readers[n % READERS],
                article_id=paragraph.article_id,
                start_paragraph=paragraph,
                end_paragraph=paragraph,
                start_key=paragraph.key,
                end_key=paragraph.key,
                start_offset=0,
                end_offset=end,
                quote_exact=paragraph.text[:end],
                comment=comment,
                comment_html=f"<p>{comment}</p>" if comment else "",
                visibility="private" if n % 3 == 0 else "public",
                article_revision=1,
            )
        )
    Annotation.objects.bulk_create(notes, batch_size=2000)
    return readers


def search_timings(reader, queries):
    times, found = [], 0
    for query in queries:
        started = time.perf_counter()
        shown = results(Search(reader, query), QueryDict())
        times.append((time.perf_counter() - started) * 1000)
        found += bool(shown["notes"].paginator.count or shown["passages"].paginator.count)
    return times, found


def page_timings(client, queries):
    times = []
    for query in queries:
        started = time.perf_counter()
        response = client.get("/search/", {"q": query})
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    return times


def p99(times):
    return statistics.quantiles(times, n=100)[98]


@pytest.mark.django_db
def test_search_over_100000_notes_and_1000_articles(client):
    rng = random.Random(11)
    words = Words(rng)
    started = time.perf_counter()
    readers = make_corpus(words)
    made = time.perf_counter() - started
    started = time.perf_counter()
    assert indexing.rebuild() == NOTES
    indexed = time.perf_counter() - started
    with connection.cursor() as cursor:
        # The planner's statistics, as a live database keeps them (autovacuum; `ANALYZE` after a load):
        # the rows made here are not committed, so nothing else would count them.
        cursor.execute("ANALYZE")
    client.force_login(readers[0])
    common, rare = words.words[:200], words.words[200:3000]
    one_word = [rng.choice(common if n % 4 == 0 else rare) for n in range(QUERIES)]
    two_words = [f"{rng.choice(common)} {rng.choice(rare)}" for _ in range(QUERIES)]
    page_timings(client, one_word[:5])  # warm the caches and the templates
    vendor = connection.vendor
    median_target, p99_target = TARGETS.get(vendor, (None, None))
    print(
        f"\nsearch on {vendor}: {NOTES:,} notes, {ARTICLES:,} articles; made in {made:.0f} s, indexed {indexed:.0f} s"
    )
    for label, queries in (("one word", one_word), ("two words", two_words)):
        times, found = search_timings(readers[0], queries)
        assert found > len(queries) // 2  # the searches found something
        pages = page_timings(client, queries[:PAGES])
        print(
            f"  {label}, {len(queries)} queries ({found} found something): search median "
            f"{statistics.median(times):.1f} ms (target ≤ {median_target} ms), p99 {p99(times):.1f} ms"
            + (f" (target ≤ {p99_target} ms)" if p99_target else "")
            + f"; the whole page ({PAGES} of them, with every header count) median {statistics.median(pages):.1f} ms"
        )
