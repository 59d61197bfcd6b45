"""The curator's editor's operations (reader.editing): one change to one block, as entries for `revise`."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.editing import (
    MAX_MESSAGE,
    MAX_SOURCE,
    EditError,
    StaleEdit,
    check_revision,
    delete_block,
    edit_block,
    insert_after,
    make_edit,
    merge_with_next,
    paragraphs_after,
    read_block,
    save,
    split_block,
)
from reader.models import Paragraph, Revision
from reader.rendering import render_block


def paragraphs(*sources):
    """Unsaved paragraphs p-0, p-1… rendered from `sources`, as the article would hold them."""
    result = []
    for position, source in enumerate(sources):
        block = render_block(source)
        result.append(
            Paragraph(
                key=f"p-{position}",
                position=position,
                source=source,
                kind=block.kind,
                level=block.level,
                html=block.html,
                text=block.text,
            )
        )
    return result


def keys_and_sources(edit):
    return [(entry.key, entry.block.source) for entry in edit.entries]


TEXT = paragraphs("# Title", "First paragraph here.", "Second paragraph.", "- one\n- two", "- three", "> quoted")


# Editing one block -----------------------------------------------------------------------------


def test_an_edited_block_keeps_its_key_and_the_others_stay_as_they_were():
    edit = edit_block(TEXT, "p-1", "First *edited* paragraph.")
    assert keys_and_sources(edit)[1] == ("p-1", "First *edited* paragraph.")
    others = [(p.key, p.source) for p in TEXT if p.key != "p-1"]
    assert keys_and_sources(edit)[:1] + keys_and_sources(edit)[2:] == others
    assert edit.blocks[0].html == "<p>First <em>edited</em> paragraph.</p>"
    assert edit.message == "Edited paragraph p-1"


def test_windows_line_ends_and_blank_lines_around_the_text_are_dropped():
    edit = edit_block(TEXT, "p-1", "\r\n\r\nLine one\r\nline two  \r\n\r\n")
    assert edit.blocks[0].source == "Line one\nline two"


def test_an_unchanged_block_has_nothing_to_save():
    with pytest.raises(EditError, match="reads as it did"):
        edit_block(TEXT, "p-1", "First paragraph here.")


@pytest.mark.parametrize("source", ["", "   ", "\r\n\r\n", "\t\n  \n"])
def test_an_empty_block_is_refused(source):
    with pytest.raises(EditError, match="empty"):
        edit_block(TEXT, "p-1", source)


@pytest.mark.parametrize(
    "source",
    ["One paragraph.\n\nAnother paragraph.", "A paragraph\n## and a heading", "# Heading\nthen text", "- a\n\n\nText"],
)
def test_a_block_that_becomes_two_is_refused(source):
    with pytest.raises(EditError, match="more than one block"):
        edit_block(TEXT, "p-1", source)


def test_a_paragraph_holding_a_fenced_code_block_is_two_blocks():
    with pytest.raises(EditError, match="more than one block"):
        edit_block(TEXT, "p-1", "Some text\n```\ncode\n```")


@pytest.mark.parametrize(
    ("source", "named"),
    [
        ("Hello <script>alert(1)</script>", "<script>"),
        ("<script>alert(1)</script>", "<script>"),
        ("A <span>styled</span> word", "<span>"),
        ("<div>block</div>", "<div>"),
        ('A <em onclick="x()">word</em>', "onclick"),
        ('<p style="color: red">red</p>', "style"),
        ("[click](javascript:alert(1))", "javascript:"),
        ("![pic](data:image/png;base64,AAAA)", "data:"),
        ("Text <!-- a comment -->", "comment"),
        ("<iframe src=https://example.com></iframe>", "<iframe>"),
    ],
)
def test_raw_html_the_page_would_drop_is_refused_and_named(source, named):
    with pytest.raises(EditError, match="which the page would drop") as error:
        edit_block(TEXT, "p-1", source)
    assert named in str(error.value)


@pytest.mark.parametrize(
    "source",
    [
        "July 5<sup>th</sup>, with raw HTML the page keeps",
        "Code `<script>` in backticks is text",
        "```html\n<script>alert(1)</script>\n```",
        "A [link](https://example.com 'title') and <mailto:someone@example.com>",
        "Escaped &lt;div&gt; is text",
    ],
)
def test_markdown_and_html_the_page_keeps_are_accepted(source):
    block = edit_block(TEXT, "p-1", source).blocks[0]
    assert "<script>" not in block.html


def test_a_block_that_renders_to_nothing_is_refused():
    with pytest.raises(EditError, match="renders to nothing"):
        edit_block(TEXT, "p-1", "[ref]: https://example.com")


def test_an_over_long_block_is_refused_before_it_is_read():
    with pytest.raises(EditError, match=f"at most {MAX_SOURCE:,}"):
        edit_block(TEXT, "p-1", "word " * (MAX_SOURCE // 5 + 1))


def test_a_nul_character_is_refused():
    with pytest.raises(EditError, match="NUL"):
        edit_block(TEXT, "p-1", "bad\x00text")


def test_an_unknown_key_is_refused():
    with pytest.raises(EditError, match="no block 'p-99'"):
        edit_block(TEXT, "p-99", "Anything")


def test_an_unknown_change_is_refused():
    with pytest.raises(EditError, match="Unknown change 'rename'"):
        make_edit(TEXT, "rename", "p-1", "Anything")


# Inserting and deleting ------------------------------------------------------------------------


def test_a_block_inserted_after_another_is_new():
    edit = insert_after(TEXT, "p-1", "A new paragraph.")
    assert keys_and_sources(edit)[1:3] == [("p-1", "First paragraph here."), (None, "A new paragraph.")]
    assert len(edit.entries) == len(TEXT) + 1


def test_an_inserted_block_is_checked_as_an_edit_is():
    with pytest.raises(EditError, match="The new block holds a <script> element"):
        insert_after(TEXT, "p-1", "<script>x</script>")
    with pytest.raises(EditError, match="The new block is empty"):
        insert_after(TEXT, "p-1", " ")


def test_a_deleted_block_is_gone_and_the_page_shows_the_one_before():
    edit = delete_block(TEXT, "p-2")
    assert "p-2" not in [key for key, _ in keys_and_sources(edit)]
    assert edit.blocks == []
    assert edit.key == "p-1"
    assert delete_block(TEXT, "p-0").key == "p-1"


def test_the_only_block_cannot_be_deleted():
    with pytest.raises(EditError, match="only block"):
        delete_block(paragraphs("Alone."), "p-0")


# Splitting -------------------------------------------------------------------------------------


def test_a_split_keeps_the_key_on_the_first_part_and_gives_the_second_a_new_block():
    source = "First paragraph here."
    edit = split_block(TEXT, "p-1", source, source.index("paragraph"))
    assert keys_and_sources(edit)[1:3] == [("p-1", "First"), (None, "paragraph here.")]
    assert [block.text for block in edit.blocks] == ["First", "paragraph here."]


def test_the_cursor_counts_code_points_and_windows_line_ends_count_as_one():
    source = "😀 one\r\ntwo"
    edit = split_block(TEXT, "p-1", source, len("😀 one\n"))  # Python counts code points, as the script sends
    assert [block.source for block in edit.blocks] == ["😀 one", "two"]


def test_a_list_splits_into_two_lists():
    edit = split_block(TEXT, "p-3", "- one\n- two", len("- one\n"))
    assert [block.kind for block in edit.blocks] == ["list", "list"]


def test_a_quote_split_in_the_middle_stays_a_quote():
    edit = split_block(TEXT, "p-5", "> quoted words", len("> quoted "))
    assert [block.kind for block in edit.blocks] == ["quote", "quote"]
    assert edit.blocks[1].source == "> words"


@pytest.mark.parametrize("cursor", [0, len("First paragraph here."), "  "])
def test_a_split_at_either_end_has_nothing_to_split(cursor):
    with pytest.raises(EditError, match="Put the cursor"):
        split_block(TEXT, "p-1", "First paragraph here.", cursor)


@pytest.mark.parametrize("cursor", ["", None, "abc", "1.5"])
def test_a_split_without_a_cursor_asks_for_one(cursor):
    with pytest.raises(EditError, match="Put the cursor in the text"):
        split_block(TEXT, "p-1", "First paragraph here.", cursor)


@pytest.mark.parametrize("cursor", [-1, 500])
def test_a_cursor_outside_the_text_is_refused(cursor):
    with pytest.raises(EditError, match="outside the text"):
        split_block(TEXT, "p-1", "First paragraph here.", cursor)


def test_a_heading_cannot_be_split():
    with pytest.raises(EditError, match="A heading cannot be split"):
        split_block(TEXT, "p-0", "# Title", 4)


def test_a_split_that_leaves_a_part_holding_raw_html_is_refused():
    source = "Code `<script>` shown as code"
    with pytest.raises(EditError, match="The second part holds a <script> element"):
        split_block(TEXT, "p-1", source, source.index("<"))


# Merging ---------------------------------------------------------------------------------------


def test_two_paragraphs_merge_into_the_first_and_run_on():
    edit = merge_with_next(TEXT, "p-1", "First paragraph here.")
    assert keys_and_sources(edit)[1] == ("p-1", "First paragraph here. Second paragraph.")
    assert "p-2" not in [key for key, _ in keys_and_sources(edit)]
    assert edit.message == "Merged paragraph p-2 into p-1"


def test_the_editors_text_is_what_merges():
    edit = merge_with_next(TEXT, "p-1", "First, edited.")
    assert edit.blocks[0].text == "First, edited. Second paragraph."


def test_two_lists_merge_into_one_list():
    edit = merge_with_next(TEXT, "p-3", "- one\n- two")
    assert edit.blocks[0].kind == "list"
    assert edit.blocks[0].html.count("<li>") == 3


def test_two_quotes_merge_into_one_quote_of_two_paragraphs():
    edit = merge_with_next(paragraphs("> a", "> b"), "p-0", "> a")
    assert edit.blocks[0].kind == "quote"
    assert edit.blocks[0].html.count("<p>") == 2


@pytest.mark.parametrize(
    ("key", "source", "said"),
    [
        ("p-0", "# Title", "A heading cannot be merged with a paragraph"),
        ("p-2", "Second paragraph.", "A paragraph cannot be merged with a list"),
    ],
)
def test_blocks_of_different_kinds_cannot_merge(key, source, said):
    with pytest.raises(EditError, match=said):
        merge_with_next(TEXT, key, source)


def test_two_code_blocks_cannot_merge():
    with pytest.raises(EditError, match="only two paragraphs, two lists or two quotes"):
        merge_with_next(paragraphs("    code", "    more"), "p-0", "    code")


def test_the_last_block_has_nothing_to_merge_with():
    with pytest.raises(EditError, match="last block"):
        merge_with_next(TEXT, "p-5", "> quoted")


def test_a_numbered_and_a_bulleted_list_cannot_merge():
    with pytest.raises(EditError, match="A numbered list cannot be merged with a bulleted one"):
        merge_with_next(paragraphs("1. one", "- two"), "p-0", "1. one")


# What the change would write -------------------------------------------------------------------


def test_new_paragraphs_are_keyed_as_revise_keys_them(article):
    paragraphs_now = list(article.paragraphs.order_by("position"))
    first = paragraphs_now[1]
    edit = split_block(paragraphs_now, first.key, first.source, 10)
    after = paragraphs_after(article, edit.entries)
    save(article, edit, revision=article.revision)
    assert [(p.key, p.position, p.text) for p in after] == list(
        article.paragraphs.order_by("position").values_list("key", "position", "text")
    )


def test_a_saved_edit_is_a_revision_with_its_message_and_author(article, curator):
    paragraphs_now = list(article.paragraphs.order_by("position"))
    key = paragraphs_now[1].key
    revision = save(article, edit_block(paragraphs_now, key, "Corrected."), revision=article.revision, author=curator)
    assert (revision.number, revision.author, revision.message) == (2, curator, f"Edited paragraph {key}")
    assert article.paragraphs.get(key=key).text == "Corrected."


def test_a_given_message_is_kept_on_one_line(article):
    paragraphs_now = list(article.paragraphs.order_by("position"))
    edit = edit_block(paragraphs_now, paragraphs_now[1].key, "Corrected.")
    revision = save(article, edit, revision=article.revision, message="  Fixed a\ntypo  ")
    assert revision.message == "Fixed a typo"


def test_an_over_long_message_is_refused_and_nothing_is_written(article):
    paragraphs_now = list(article.paragraphs.order_by("position"))
    edit = edit_block(paragraphs_now, paragraphs_now[1].key, "Corrected.")
    with pytest.raises(EditError, match=f"keep it to {MAX_MESSAGE}"):
        save(article, edit, revision=article.revision, message="x" * (MAX_MESSAGE + 1))
    assert Revision.objects.filter(article=article).count() == 1


def test_an_edit_made_on_an_older_revision_is_stale_and_writes_nothing(article):
    paragraphs_now = list(article.paragraphs.order_by("position"))
    opened_at = article.revision
    save(article, edit_block(paragraphs_now, paragraphs_now[1].key, "Someone else's."), revision=opened_at)
    article.refresh_from_db()
    late = edit_block(paragraphs_now, paragraphs_now[2].key, "Mine.")
    with pytest.raises(StaleEdit, match="changed since this editor opened") as error:
        save(article, late, revision=opened_at)
    assert error.value.status == 409
    assert article.paragraphs.get(key=paragraphs_now[2].key).source == paragraphs_now[2].source


@pytest.mark.parametrize("revision", [None, "", "two"])
def test_a_form_without_its_revision_is_refused(revision, article):
    with pytest.raises(EditError, match="lost the revision"):
        check_revision(article, revision)


@given(st.text(max_size=200))
def test_a_block_read_is_one_block_and_reading_its_source_again_gives_it_again(source):
    try:
        block = read_block(source)
    except EditError:
        return
    assert read_block(block.source) == block
