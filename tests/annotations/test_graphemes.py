"""A passage starts and ends between whole characters: offsets inside a grapheme cluster are refused.

A flag is two code points, a family emoji five joined by ZWJ, "é" may be "e" and a combining
accent; a mark inside one of them would break the glyph. The refusal names the character and
the whole offsets on either side; a quote found only inside larger characters is refused too.
"""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotations.anchoring import AnchoringError, ArticleText
from annotations.models import Annotation
from reader.models import Paragraph
from tests.annotations.factories import create_url, import_markdown

FLAGS = "\U0001f1f0\U0001f1f7\U0001f1ef\U0001f1f5"  # 🇰🇷🇯🇵: four regional indicators, two flags
FAMILY = "\U0001f469\u200d\U0001f469\u200d\U0001f467"  # 👩‍👩‍👧: three people joined by two ZWJs
CAFE = "cafe\u0301"  # café, its accent a combining character
TEXT = f"Flags {FLAGS} and a family {FAMILY} at the {CAFE} here."
AT_FLAGS, AT_FAMILY, AT_CAFE = TEXT.index(FLAGS), TEXT.index(FAMILY), TEXT.index(CAFE)


def article_text(*texts):
    return ArticleText([Paragraph(position=n, key=f"p{n}", text=text) for n, text in enumerate(texts)])


@pytest.mark.parametrize(
    ("offset", "character", "start", "end"),
    [
        (AT_FLAGS + 1, FLAGS[:2], AT_FLAGS, AT_FLAGS + 2),
        (AT_FLAGS + 3, FLAGS[2:], AT_FLAGS + 2, AT_FLAGS + 4),
        (AT_FAMILY + 2, FAMILY, AT_FAMILY, AT_FAMILY + 5),
        (AT_CAFE + 4, CAFE[3:], AT_CAFE + 3, AT_CAFE + 5),
    ],
    ids=["first-flag", "second-flag", "zwj-family", "combining-accent"],
)
def test_an_end_inside_a_character_is_refused_naming_the_whole_offsets(offset, character, start, end):
    text = article_text(TEXT)
    message = (
        f"The end offset {offset} falls inside the character “{character}” of paragraph p0, "
        f"which runs from offset {start} to {end}: use {start} or {end}."
    )
    with pytest.raises(AnchoringError) as error:
        text.by_position("p0", 0, "p0", offset)
    assert str(error.value) == message
    assert text.by_position("p0", 0, "p0", end).exact == TEXT[:end]


def test_a_start_inside_a_character_is_refused_too():
    with pytest.raises(AnchoringError, match=r"The start offset \d+ falls inside the character"):
        article_text(TEXT).by_position("p0", AT_FAMILY + 1, "p0", len(TEXT))


def test_whole_flags_emoji_and_accented_letters_are_quoted_as_they_are():
    text = article_text(TEXT)
    assert text.by_position("p0", AT_FLAGS, "p0", AT_FLAGS + 2).exact == FLAGS[:2]
    assert text.by_position("p0", AT_FAMILY, "p0", AT_FAMILY + 5).exact == FAMILY
    assert text.by_position("p0", AT_CAFE, "p0", AT_CAFE + 5).exact == CAFE


def test_a_quote_found_only_inside_larger_characters_is_refused():
    text = article_text(TEXT)
    with pytest.raises(AnchoringError, match="only as part of larger characters"):
        text.by_quote("cafe")
    with pytest.raises(AnchoringError, match="only as part of larger characters"):
        text.by_quote(FLAGS[1:3])  # the second half of one flag and the first half of the next


def test_a_quote_skips_an_occurrence_inside_a_character_for_a_whole_one():
    text = article_text(f"The {CAFE} first, then a plain cafe.")
    passage = text.by_quote("cafe")
    assert passage.exact == "cafe"
    assert passage.start_offset == text.paragraphs[0].text.rindex("cafe")


PIECES = st.sampled_from(["a", " ", "e\u0301", "\u0301", FLAGS[:2], FLAGS, FAMILY, "\U0001f44d\U0001f3fd", "각"])


@settings(max_examples=2 * settings.default.max_examples, deadline=None)
@given(st.lists(PIECES, min_size=1, max_size=12).map("".join), st.data())
def test_a_refusal_names_offsets_that_are_accepted(paragraph_text, data):
    text = article_text(paragraph_text)
    paragraph = text.paragraphs[0]
    offset = data.draw(st.integers(1, len(paragraph_text)))
    cluster = text.cluster_around(paragraph, offset)
    if cluster is None:
        return
    start, end = cluster
    with pytest.raises(AnchoringError, match=f"falls inside the character .* use {start} or {end}.$"):
        text.by_position("p0", 0, "p0", offset)
    assert text.cluster_around(paragraph, start) is None
    assert text.cluster_around(paragraph, end) is None
    assert paragraph_text[start:end] in text.by_position("p0", start, "p0", end).exact


# Through the web and the API -------------------------------------------------------------


@pytest.fixture
def emoji_article(db, write_markdown):
    return import_markdown(write_markdown, f"Title: Emoji\n\n{TEXT}\n", slug="emoji")


@pytest.mark.django_db
def test_a_note_splitting_a_flag_is_refused_on_the_web_and_nothing_is_saved(client, alice, emoji_article):
    client.force_login(alice)
    key = emoji_article.paragraphs.get().key
    data = {"start_key": key, "start_offset": AT_FLAGS + 1, "end_key": key, "end_offset": AT_FLAGS + 4}
    response = client.post(create_url(emoji_article), data)
    assert response.status_code == 400
    assert "falls inside the character" in response.content.decode()
    assert not Annotation.objects.exists()


@pytest.mark.django_db
def test_a_note_splitting_a_family_emoji_is_refused_by_the_api_and_nothing_is_saved(
    annotation_api, issue_token, alice, emoji_article
):
    key = emoji_article.paragraphs.get().key
    selector = {
        "type": "FragmentSelector",
        "value": key,
        "refinedBy": {"type": "TextPositionSelector", "start": AT_FAMILY, "end": AT_FAMILY + 3},
    }
    target = {"source": f"http://testserver{emoji_article.get_absolute_url()}", "selector": selector}
    data = {"@context": "http://www.w3.org/ns/anno.jsonld", "type": "Annotation", "target": target}
    response = annotation_api.send("POST", annotation_api.container(emoji_article), data, token=issue_token(alice))
    assert response.status_code == 400
    assert "falls inside the character" in response.json()["error"]
    assert not Annotation.objects.exists()
