"""The join link's Copy button: a small module does the copying; without it the link stays selectable."""

import re

import pytest
from django.templatetags.static import static
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_instructor_sees_the_link_and_a_copy_button_for_it(client, alice, seminar):
    client.force_login(alice)
    page = client.get(seminar.get_absolute_url()).content.decode()
    join_url = "http://testserver" + reverse("seminar-join", args=[seminar.join_code])
    assert re.search(rf'<input[^>]*readonly value="{re.escape(join_url)}"[^>]*id="join-link"', page)
    assert re.search(r'<button type="button"[^>]*data-copy="join-link"[^>]*hidden>Copy link</button>', page)
    assert f'<script type="module" src="{static("js/copy.js")}"></script>' in page


def test_the_page_has_no_inline_script(client, alice, seminar):
    client.force_login(alice)
    page = client.get(seminar.get_absolute_url()).content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)
    assert " onclick=" not in page


def test_a_participant_sees_neither_link_nor_button(client, bob, seminar):
    client.force_login(bob)
    page = client.get(seminar.get_absolute_url()).content.decode()
    assert "data-copy" not in page
    assert "js/copy.js" not in page
    assert seminar.join_code not in page
