"""What one API request costs in SQL, pinned: a create, and a page of 200 notes whatever the container holds.

Savepoints are not counted: they are the test's own transaction around the view's (a server's
request opens a transaction of its own, which costs no query).
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations.anchoring import ArticleText
from annotations.models import Annotation
from tests.annotations.factories import many_notes

pytestmark = pytest.mark.django_db

# The token, the article; under the author's lock, whether their public writing is suspended (a public
# note asks) and the article's revision; a copy sent twice; the note (its search entry follows by
# trigger), the tags by name, and the note's tags in one insert. The article's text is read by the
# first create at its revision (one query more), and kept for the next.
CREATE_QUERIES = 7
# The article; the page's ids in reading order with how many notes there are; those notes with their
# authors and seminars; their tags; their last moves.
PAGE_QUERIES = 5


def counted(queries):
    return [query["sql"] for query in queries.captured_queries if "SAVEPOINT" not in query["sql"]]


@pytest.fixture
def post(annotation_api, article, alice, issue_token):
    token = issue_token(alice)
    paragraphs = [
        paragraph for paragraph in ArticleText(article.paragraphs.all()).paragraphs if len(paragraph.text) > 30
    ]

    def send(n, tags=("history", "peace")):
        paragraph = paragraphs[n % len(paragraphs)]
        data = {
            "@context": "http://www.w3.org/ns/anno.jsonld",
            "type": "Annotation",
            "body": [
                {"type": "TextualBody", "value": f"Comment {n}"},
                *({"type": "TextualBody", "purpose": "tagging", "value": tag} for tag in tags),
            ],
            "target": {
                "source": f"http://testserver/articles/{article.slug}/",
                "selector": {
                    "type": "FragmentSelector",
                    "value": paragraph.key,
                    "refinedBy": {"type": "TextPositionSelector", "start": 3, "end": 20},
                },
            },
            "visibility": "public",
        }
        with CaptureQueriesContext(connection) as queries:
            response = annotation_api.send("POST", annotation_api.container(article), data, token=token)
        assert response.status_code == 201, response.content
        return response, counted(queries)

    return send


def test_a_create_with_known_tags_costs_a_fixed_number_of_queries(post):
    post(0)  # the tags now exist, and the token's last use is recorded
    response, queries = post(1)
    assert len(queries) == CREATE_QUERIES, "\n".join(queries)
    assert sorted(body["value"] for body in response.json()["body"][1:]) == ["history", "peace"]


def test_a_create_reads_the_paragraphs_text_but_not_their_markdown_or_html_and_once_a_revision(post):
    """A long article's paragraphs are most of their bytes in HTML and Markdown: anchoring reads neither."""
    _, first = post(0)
    read = [sql for sql in first if 'FROM "reader_paragraph"' in sql]
    assert len(read) == 1
    assert '"reader_paragraph"."text"' in read[0]
    assert '"reader_paragraph"."html"' not in read[0]
    assert '"reader_paragraph"."source"' not in read[0]
    _, second = post(1)
    assert not [sql for sql in second if 'FROM "reader_paragraph"' in sql]


def test_a_create_with_ten_tags_costs_the_same_queries_as_with_two(post):
    tags = [f"tag {n}" for n in range(10)]
    post(0, [*tags, "history", "peace"][-10:])
    post(1, tags[:8])
    _, two = post(2)
    response, ten = post(3, tags)
    assert len(ten) == len(two) == CREATE_QUERIES
    stored = Annotation.objects.get(pk=response.json()["id"].rsplit("/", 1)[1])
    assert sorted(tag.name for tag in stored.tags.all()) == sorted(tags)


def test_a_new_tag_costs_only_its_own_creation(post):
    post(0)
    _, queries = post(1, ("history", "a new tag"))
    assert len(queries) == CREATE_QUERIES + 2  # looked up by name, then made


def test_a_page_of_200_notes_costs_a_fixed_number_of_queries(annotation_api, article, alice, bob):
    many_notes(article, [alice, bob], 450)
    url = annotation_api.container(article) + "?page=0"
    with CaptureQueriesContext(connection) as queries:
        items = annotation_api.send("GET", url).json()["items"]
    assert len(items) == 200
    assert len(counted(queries)) == PAGE_QUERIES, "\n".join(counted(queries))
