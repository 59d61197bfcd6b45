"""The reading page's margin: notes beside their highlights, the text's rhythm kept whatever the notes.

On a laptop the cards sit in the margin beside the line of their highlight, stacked without
overlapping; where a paragraph's cards would run into the next paragraph's, they fold to a
count that one click opens. The page with 56 notes is no more than 1.2 times the height of
the page with none. On a phone the notes fold under their paragraph.

Screenshots of each state, at a phone's and a laptop's width, go to tests/browser/screenshots/.
"""

import itertools
from pathlib import Path

import pytest
from playwright.sync_api import expect

from annotations.anchoring import ArticleText
from annotations.writing import create_note
from tests.annotations.test_compact_marks import covering, crowd, spans
from tests.browser.reading import select_phrase, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

SCREENSHOTS = Path(__file__).parent / "screenshots"
LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}

COMMENTS = [
    "",
    "Worth comparing with the statement a week later.",
    "Why does the text say **missiles** here and *a missile* elsewhere? The sources disagree, and the"
    " difference matters for how the sanctions were argued at the Council.",
    "See also the timeline.",
    "A long thought. " * 12,
    "",
    "Question for the seminar: who briefed the press first?",
]


def note_many(author, article, count, visibility="private"):
    """`count` notes spread over the article's paragraphs, several on some short ones, with comments
    from none to long: what a seminar's reading leaves behind."""
    paragraphs = [p for p in article.paragraphs.all() if len(p.text) > 40]
    text = ArticleText(article.paragraphs.all())
    notes = []
    for i in range(count):
        paragraph = paragraphs[(i * 3) % len(paragraphs)] if i % 4 else paragraphs[i % 5]
        words = paragraph.text.split(" ")
        first = (i * 7) % max(1, len(words) - 4)
        start = len(" ".join(words[:first])) + (1 if first else 0)
        end = start + len(" ".join(words[first : first + 3 + i % 4]))
        passage = text.by_position(paragraph.key, start, paragraph.key, end, exact=paragraph.text[start:end])
        comment = COMMENTS[i % len(COMMENTS)]
        notes.append(create_note(author, article, passage, comment=comment, tags=[f"t{i % 5}"], visibility=visibility))
    return notes


def open_reading(new_page, reader, article, viewport=LAPTOP):
    """The article's reading page, signed in as `reader`, once its margin is laid out."""
    page = new_page(viewport=viewport)
    sign_in(page, reader)
    page.goto(article.get_absolute_url())
    page.wait_for_function("() => document.querySelector('.article-body').dataset.laidOut === '1'")
    return page


def page_height(page):
    return page.evaluate("() => document.documentElement.scrollHeight")


def card_boxes(page):
    """Each shown card's box, with the top of its highlight's first mark, in page coordinates."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.block > .notes .thread')]
          .filter((thread) => thread.checkVisibility())
          .map((thread) => {
            const id = thread.id.replace('thread-', '');
            const box = thread.querySelector('.note').getBoundingClientRect();
            const mark = document.querySelector(`mark[data-annotations~="${id}"]`);
            return {id, top: box.top + scrollY, bottom: box.bottom + scrollY, left: box.left,
                    markTop: mark ? mark.getBoundingClientRect().top + scrollY : null};
          })"""
    )


@pytest.mark.parametrize("whose", ["own", "others"])
def test_56_notes_keep_the_page_within_a_fifth_of_its_height_and_cards_beside_their_lines(
    new_page, live_server, alice, bob, article, whose
):
    """alice's own notes, or bob reading hers (public: each card then has forms of its own, upvote and reply)."""
    reader = alice if whose == "own" else bob
    page = new_page(viewport=LAPTOP)
    sign_in(page, reader)
    page.goto(article.get_absolute_url())
    empty = page_height(page)
    page.screenshot(path=SCREENSHOTS / "margin-none-laptop.png", full_page=True)

    note_many(alice, article, 56, visibility="private" if whose == "own" else "public")
    page.goto(article.get_absolute_url())
    page.wait_for_function("() => document.querySelector('.article-body').dataset.laidOut === '1'")
    full = page_height(page)
    page.screenshot(path=SCREENSHOTS / f"margin-56-{whose}-laptop.png", full_page=True)
    assert full <= 1.2 * empty, f"{full} px with 56 notes against {empty} px with none"

    boxes = card_boxes(page)
    text_right = page.evaluate("() => document.querySelector('.block-text').getBoundingClientRect().right")
    for box in boxes:
        assert box["left"] > text_right, "a card sits in the margin, right of the text"
        assert box["markTop"] is not None
        assert box["top"] >= box["markTop"] - 2, "a card is never above its highlight's line"
    ordered = sorted(boxes, key=lambda box: box["top"])
    for above, below in itertools.pairwise(ordered):
        assert below["top"] >= above["bottom"] - 0.5, f"cards overlap: {above} and {below}"
    counts = page.locator(".block > .notes .notes-details > summary .note-count").all_text_contents()
    assert sum(int(count) for count in counts) == 56, "every note is a card or in a paragraph's count"


def test_where_there_is_room_each_card_sits_level_with_its_highlight(new_page, live_server, alice, article):
    long = [p for p in article.paragraphs.all() if len(p.text) > 300][:6]
    text = ArticleText(article.paragraphs.all())
    for paragraph in long:
        start = paragraph.text.index(" ", len(paragraph.text) // 2) + 1
        end = paragraph.text.index(" ", start + 5)
        passage = text.by_position(paragraph.key, start, paragraph.key, end, exact=paragraph.text[start:end])
        create_note(alice, article, passage, comment="Here.")
    page = open_reading(new_page, alice, article)
    boxes = card_boxes(page)
    assert len(boxes) == len(long)
    for box in boxes:
        assert abs(box["top"] - box["markTop"]) <= 2, "level with the line of its highlight, not the paragraph's top"
    page.screenshot(path=SCREENSHOTS / "margin-sparse-laptop.png", full_page=True)


def test_a_folded_paragraph_opens_with_one_click_and_pushes_the_cards_below(new_page, live_server, alice, article):
    note_many(alice, article, 56)
    page = open_reading(new_page, alice, article)
    key = page.locator(".block:has(> .notes .notes-details:not([open]))").first.get_attribute("id")
    folded = page.locator(f'[id="{key}"] > .notes .notes-details')
    expect(folded).to_be_visible()
    count = int(folded.get_attribute("data-count"))
    folded.locator("summary").click()
    expect(folded).to_have_attribute("open", "")
    expect(folded.locator(".thread")).to_have_count(count)
    ordered = sorted(card_boxes(page), key=lambda box: box["top"])
    for above, below in itertools.pairwise(ordered):
        assert below["top"] >= above["bottom"] - 0.5, "an opened paragraph's cards push the next ones down"
    page.screenshot(path=SCREENSHOTS / "margin-unfolded-laptop.png", full_page=True)


def test_on_a_phone_notes_fold_under_their_paragraph(new_page, live_server, alice, article):
    note_many(alice, article, 20)
    page = new_page(viewport=PHONE)
    sign_in(page, alice)
    page.goto(article.get_absolute_url())
    groups = page.locator(".block > .notes .notes-details")
    expect(groups.first).to_be_visible()
    assert page.locator(".block > .notes .notes-details[open]").count() == 0, "folded by default on a phone"
    first = groups.first
    first.locator("summary").click()
    expect(first.locator(".thread").first).to_be_visible()
    text = first.locator("xpath=ancestor::section[1]/div[contains(@class,'block-text')]")
    assert first.bounding_box()["y"] > text.bounding_box()["y"], "under its paragraph, not beside it"
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"], "no sideways scroll"
    page.screenshot(path=SCREENSHOTS / "margin-phone.png", full_page=True)


def test_no_per_paragraph_links_show_until_the_reader_points_at_a_paragraph(new_page, live_server, alice, article):
    page = new_page(viewport=LAPTOP)
    sign_in(page, alice)
    page.goto(article.get_absolute_url())
    link = page.locator(".note-here").nth(3)
    assert link.evaluate("(a) => getComputedStyle(a).opacity") == "0"
    link.evaluate("(a) => a.closest('.block').querySelector('.block-text').scrollIntoView()")
    page.locator(".block-text").nth(3).hover()
    page.wait_for_function("(i) => getComputedStyle(document.querySelectorAll('.note-here')[i]).opacity === '1'", arg=3)
    link.focus()
    assert link.evaluate("(a) => getComputedStyle(a).opacity") == "1", "a keyboard reader sees the link it reaches"


def test_whole_article_notes_sit_in_a_drawer_at_the_top(new_page, live_server, alice, article):
    for i in range(3):
        create_note(alice, article, None, comment=f"On the whole article, thought {i}.")
    page = new_page(viewport=LAPTOP)
    sign_in(page, alice)
    page.goto(article.get_absolute_url())
    drawer = page.locator(".article-notes .notes-details")
    expect(drawer).to_be_visible()
    expect(drawer).not_to_have_attribute("open", "")
    first_block = page.locator(".block").first
    assert drawer.bounding_box()["y"] < first_block.bounding_box()["y"], "above the text"
    drawer.locator("summary").click()
    expect(drawer.locator(".thread")).to_have_count(3)
    page.screenshot(path=SCREENSHOTS / "margin-drawer-laptop.png")


def test_under_many_notes_a_click_on_a_counted_mark_opens_exactly_the_notes_on_those_words(
    new_page, live_server, write_markdown, alice, bob, charlie
):
    article, middle = crowd(write_markdown, alice, bob, charlie)
    page = new_page(viewport=LAPTOP)
    sign_in(page, alice)
    page.goto(article.get_absolute_url())
    marks = page.locator(f'.block-text[data-key="{middle.key}"] mark[data-count]')
    mark = marks.nth(marks.count() // 2)
    count = int(mark.get_attribute("data-count"))
    at = mark.evaluate(
        "(mark) => { const range = document.createRange(); range.setStart(mark.closest('.block-text'), 0);"
        " range.setEnd(mark, 0); return Array.from(range.toString()).length; }"
    )
    mark.click()
    group = page.locator(f'[id="{middle.key}"] > .notes-on-words')
    expect(group.locator(".notes-list > .thread")).to_have_count(count)
    shown = {thread.removeprefix("thread-") for thread in group.locator(".notes-list > .thread").evaluate_all(
        "(threads) => threads.map((thread) => thread.id)"
    )}  # fmt: skip
    assert shown == covering(spans(article, alice), middle, at), "exactly the notes on the clicked character"
    expect(group.locator("summary")).to_contain_text(f"{count} note")
    marks.nth(0).click()  # another mark: its notes take the place of the first's
    first = int(marks.nth(0).get_attribute("data-count"))
    expect(page.locator(f'[id="{middle.key}"] > .notes-on-words')).to_have_count(1)
    expect(group.locator(".notes-list > .thread")).to_have_count(first)
    page.screenshot(path=SCREENSHOTS / "margin-notes-on-words-laptop.png")


def test_a_reply_opened_in_the_margin_stays_open_and_in_view(new_page, live_server, alice, article):
    note_many(alice, article, 56)
    page = open_reading(new_page, alice, article)
    shown = page.locator(".block > .notes .notes-details[open]:not(:has(.notes-more-button)) .notes-list > .thread")
    card = shown.last
    card_id = card.get_attribute("id").removeprefix("thread-")
    card.locator(".note-discussion").get_by_role("link", name="Reply").click()
    reply = page.locator(f"#reply-slot-{card_id} textarea")
    expect(reply).to_be_visible()
    page.wait_for_timeout(300)  # a layout after the swap must not fold it away
    expect(reply).to_be_visible()


def test_n_more_notes_opens_from_the_keyboard_and_puts_the_focus_on_the_first_card_it_showed(
    new_page, live_server, alice, article
):
    note_many(alice, article, 56)
    page = open_reading(new_page, alice, article)
    more = page.locator(".notes-more-button").first
    key = more.evaluate("(button) => button.closest('.block').id")
    group = page.locator(f'[id="{key}"] > .notes')
    more.focus()
    page.keyboard.press("Enter")
    expect(group.locator(".notes-list > .thread[hidden]")).to_have_count(0)
    assert page.evaluate("() => document.activeElement.classList.contains('note')"), "the focus is on a card"


def test_notes_fold_when_a_laptop_window_narrows_to_a_phone(new_page, live_server, alice, article):
    note_many(alice, article, 20)
    page = open_reading(new_page, alice, article)
    assert page.locator(".block > .notes .notes-details[open]").count() > 0
    page.set_viewport_size(PHONE)
    expect(page.locator(".block > .notes .notes-details[open]")).to_have_count(0)


def test_a_refused_highlight_leaves_no_mark_behind(new_page, live_server, alice, article):
    page = new_page(viewport=LAPTOP)
    sign_in(page, alice)
    page.goto(article.get_absolute_url())
    paragraph = next(p for p in article.paragraphs.all() if len(p.text) > 100)
    phrase = paragraph.text.split(" ")[3]
    for attempt in range(2):  # the same words twice within seconds: the second is refused as sent twice
        select_phrase(page, paragraph.key, phrase)
        with page.expect_response(lambda response: "/notes/" in response.url) as answer:
            page.keyboard.press("h")
        assert answer.value.status == (200 if attempt == 0 else 409)
    expect(page.locator("#toast")).to_be_visible()
    expect(page.locator("mark.pending")).to_have_count(0)
