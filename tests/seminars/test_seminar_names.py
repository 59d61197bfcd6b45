"""A seminar's name shows what it is, and its description is a paragraph, not a file.

Refused with a message, creating nothing: a name that shows nothing (one zero-width space, a
Hangul filler, a blank Braille cell), an invisible character that makes a lookalike, a bidi
override or isolate that turns the text around (in the name or the description), a line break
in the name, and a description past 4,000 characters. The joiners that scripts and emoji need
stay welcome.
"""

import pytest
from django.urls import reverse

from seminars.models import Seminar

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, alice):
    client.force_login(alice)
    return client


def create(client, **data):
    return client.post(reverse("seminar-create"), {"name": "Korea 2006", "description": ""} | data)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("\u200b", "invisible character (U+200B ZERO WIDTH SPACE)"),
        ("Korea\u200b 2006", "invisible character (U+200B ZERO WIDTH SPACE)"),
        ("\ufeffKorea 2006", "invisible character (U+FEFF ZERO WIDTH NO-BREAK SPACE)"),
        ("\u3164", "invisible character (U+3164 HANGUL FILLER)"),
        ("\u2800", "The name shows nothing"),
        ("Sem \u202eB 2006", "U+202E RIGHT-TO-LEFT OVERRIDE, which reorders the text around it"),
        ("Sem \u2067B\u2069", "U+2067 RIGHT-TO-LEFT ISOLATE, which reorders the text around it"),
        ("Korea\n2006", "This holds a line break (U+000A); it must be one line."),
    ],
    ids=["only-zero-width-space", "zero-width-space", "byte-order-mark", "hangul-filler", "blank-braille",
         "right-to-left-override", "right-to-left-isolate", "newline"],
)  # fmt: skip
def test_a_name_that_is_not_what_it_looks_like_is_refused_and_nothing_is_created(signed_in, name, message):
    response = create(signed_in, name=name)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Seminar.objects.exists()


@pytest.mark.parametrize(
    "name",
    ["می\u200cخوانیم", "Families \U0001f469\u200d\U0001f469\u200d\U0001f467", "Book club \u2764\ufe0f", "한국 2006"],
    ids=["persian-zwnj", "zwj-emoji", "variation-selector", "hangul"],
)
def test_names_that_need_joiners_or_other_scripts_are_accepted(signed_in, name):
    assert create(signed_in, name=name).status_code == 302
    assert Seminar.objects.get().name == name


def test_a_two_megabyte_description_is_refused_with_the_limit(signed_in):
    response = create(signed_in, description="x" * 2_000_000)
    assert response.status_code == 400
    assert "The description is longer than 4,000 characters." in response.content.decode()
    assert not Seminar.objects.exists()


def test_a_description_with_a_bidi_override_is_refused(signed_in):
    response = create(signed_in, description="We read \u202egnihtemos\u202c together.")
    assert response.status_code == 400
    assert "U+202E RIGHT-TO-LEFT OVERRIDE" in response.content.decode()
    assert not Seminar.objects.exists()


def test_a_description_of_4000_characters_with_lines_is_accepted(signed_in):
    description = ("A line of the description.\n" * 200)[:4000]
    assert create(signed_in, description=description).status_code == 302
    assert Seminar.objects.get().description == description.strip()
