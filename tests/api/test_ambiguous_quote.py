"""A quote alone that occurs more than once, where prefix and suffix do not decide, is a 409 listing its places.

The client then sends a position, or more context. A quote the context singles out is placed there."""

import pytest

from annotations.anchoring import AmbiguousQuote, ArticleText
from annotations.models import Annotation

REPEATED = "North Korea shot the missiles"  # in the second paragraph and again in the seventh


@pytest.fixture
def text(article):
    return ArticleText(article.paragraphs.all())


@pytest.fixture
def post(annotation_api, article, alice, issue_token):
    token = issue_token(alice)

    def send(selector, method="POST", url=None):
        data = {
            "type": "Annotation",
            "bodyValue": "Which one?",
            "target": {"source": f"http://testserver/articles/{article.slug}/", "selector": selector},
        }
        headers = {"If-Match": "*"} if method == "PUT" else {}
        return annotation_api.send(method, url or annotation_api.container(article), data, token=token, **headers)

    return send


def _places(text):
    return [
        (paragraph.key, paragraph.text.index(REPEATED)) for paragraph in text.paragraphs if REPEATED in paragraph.text
    ]


def test_a_repeated_quote_alone_is_a_409_that_lists_every_place(post, text):
    response = post({"type": "TextQuoteSelector", "exact": REPEATED})
    assert response.status_code == 409
    error = response.json()["error"]
    assert "occurs 2 times" in error
    for key, offset in _places(text):
        assert f"paragraph {key} from offset {offset} to offset {offset + len(REPEATED)}" in error
    assert "TextPositionSelector" in error
    assert not Annotation.objects.exists()


def test_context_that_fits_both_equally_is_still_a_409(post):
    response = post({"type": "TextQuoteSelector", "exact": REPEATED, "suffix": "xyz"})  # fits neither
    assert response.status_code == 409


@pytest.mark.parametrize(("context", "index"), [({"suffix": ", surprising"}, 0), ({"suffix": " in order"}, 1)])
def test_a_suffix_that_decides_places_the_note(post, text, context, index):
    response = post({"type": "TextQuoteSelector", "exact": REPEATED, **context})
    assert response.status_code == 201, response.content
    note = Annotation.objects.get()
    assert (note.start_key, note.start_offset) == _places(text)[index]


def test_a_put_with_an_ambiguous_quote_is_refused_too(post, annotation_api, text):
    created = post({"type": "TextQuoteSelector", "exact": REPEATED, "suffix": ", surprising"})
    url = created.json()["id"].removeprefix("http://testserver")
    response = post({"type": "TextQuoteSelector", "exact": REPEATED}, method="PUT", url=url)
    assert response.status_code == 409
    assert (Annotation.objects.get().start_key, Annotation.objects.get().start_offset) == _places(text)[0]


def test_by_quote_guesses_the_first_unless_asked_to_be_sure(text):
    assert (text.by_quote(REPEATED).start.key, text.by_quote(REPEATED).start_offset) == _places(text)[0]
    with pytest.raises(AmbiguousQuote) as refused:
        text.by_quote(REPEATED, unique=True)
    assert [(passage.start.key, passage.start_offset) for passage in refused.value.passages] == _places(text)
