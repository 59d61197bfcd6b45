import re

from django import forms

from reader.characters import (
    JOINERS,
    REORDERING,
    describe,
    invisible_character,
    reordering_character,
    shows_something,
)
from reader.models import Article, single_line
from seminars.models import Seminar

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # tabs and newlines are fine
MAX_NAME = Seminar._meta.get_field("name").max_length
MAX_DESCRIPTION = 4_000


def no_control_characters(value):
    if CONTROL.search(value):
        raise forms.ValidationError("This contains a control character (such as NUL); remove it.")


def no_reordering(value):
    """Bidi overrides and isolates turn the text after them around, beyond the name or description itself."""
    if char := reordering_character(value):
        raise forms.ValidationError(f"This contains {describe(char)}, which reorders the text around it; remove it.")


def looks_like_itself(value):
    """A name shows what it is: nothing invisible in it (bar the joiners of scripts and emoji), and something to see."""
    if char := invisible_character(value, allowed=JOINERS | REORDERING):  # those no_reordering names
        raise forms.ValidationError(
            f"The name contains an invisible character ({describe(char)}), which could make it look like "
            "another name; remove it."
        )
    if not shows_something(value):
        raise forms.ValidationError("The name shows nothing: give it letters, digits or signs a reader can see.")


class SeminarForm(forms.Form):
    name = forms.CharField(
        max_length=MAX_NAME,
        validators=[no_control_characters, single_line, no_reordering, looks_like_itself],
        error_messages={
            "required": "Give the seminar a name.",
            "max_length": f"The name is longer than {MAX_NAME} characters.",
            "null_characters_not_allowed": "This contains a control character (such as NUL); remove it.",
        },
    )
    description = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Optional: what the seminar reads and why.",
        max_length=MAX_DESCRIPTION,
        validators=[no_control_characters, no_reordering],
        error_messages={
            "max_length": f"The description is longer than {MAX_DESCRIPTION:,} characters.",
            "null_characters_not_allowed": "This contains a control character (such as NUL); remove it.",
        },
    )


class ReadingListForm(forms.Form):
    """The article an instructor adds to the reading list, by its slug (a slug never holds a NUL)."""

    article = forms.SlugField(max_length=Article._meta.get_field("slug").max_length)

    def chosen_article(self, user):
        """The article chosen, if `user` may read it."""
        return Article.objects.readable_by(user).filter(slug=self.cleaned_data["article"]).first()
