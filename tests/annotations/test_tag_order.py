"""Tags are listed in a reader's alphabetical order, whatever their letter case: "#context" before "#Timeline"."""

import re

from django.urls import reverse

from annotations.models import Annotation
from annotations.reading import article_tags, tag_suggestions
from tests.annotations.factories import note_on_article

TAGS = ["Timeline", "context", "Zebra", "apple", "Éclair", "eagle"]
IN_ORDER = ["apple", "context", "eagle", "Timeline", "Zebra", "Éclair"]


def _tagged(alice, article):
    return note_on_article(alice, article, comment="Tagged.", tags=TAGS, visibility="public")


def test_the_reading_pages_tag_filter_sorts_without_regard_to_case(alice, article):
    _tagged(alice, article)
    assert article_tags(alice, article) == IN_ORDER


def test_the_note_forms_tag_suggestions_sort_without_regard_to_case(alice, article):
    _tagged(alice, article)
    assert tag_suggestions(alice) == IN_ORDER


def test_the_tag_list_page_sorts_without_regard_to_case(client, alice, article):
    _tagged(alice, article)
    page = client.get(reverse("tag-list")).content.decode()
    listed = re.findall(r'href="/tags/[^"]+/">#([^<]+)</a>', page)
    assert [name for name in listed if name in TAGS] == IN_ORDER
    assert listed.index("context") < listed.index("Timeline")


def test_a_notes_tags_sort_without_regard_to_case(alice, article):
    note = _tagged(alice, article)
    shown = Annotation.objects.for_display().get(pk=note.pk)
    assert [tag.name for tag in shown.tag_list] == IN_ORDER
