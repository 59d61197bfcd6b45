import re

from django import forms

from reader.models import Article
from seminars.models import Seminar

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # tabs and newlines are fine
MAX_NAME = Seminar._meta.get_field("name").max_length


def no_control_characters(value):
    if CONTROL.search(value):
        raise forms.ValidationError("This contains a control character (such as NUL); remove it.")


class SeminarForm(forms.Form):
    name = forms.CharField(
        max_length=MAX_NAME,
        validators=[no_control_characters],
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
        validators=[no_control_characters],
        error_messages={"null_characters_not_allowed": "This contains a control character (such as NUL); remove it."},
    )


class ReadingListForm(forms.Form):
    """The article an instructor adds to the reading list, by its slug (a slug never holds a NUL)."""

    article = forms.SlugField(max_length=Article._meta.get_field("slug").max_length)

    def chosen_article(self, user):
        """The article chosen, if `user` may read it."""
        return Article.objects.readable_by(user).filter(slug=self.cleaned_data["article"]).first()
