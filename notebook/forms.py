from django import forms
from django.template.defaultfilters import filesizeformat

from notebook.importing import MAX_FILE_BYTES, MAX_WEB_NOTES, NoteFileError, check_size
from reader.models import Article


class ImportForm(forms.Form):
    file = forms.FileField(
        label="File of notes",
        help_text=(
            f"A Hypothesis export (JSON) or W3C Web Annotations (JSON-LD), at most {filesizeformat(MAX_FILE_BYTES)} "
            f"and {MAX_WEB_NOTES:,} notes. Imported notes are private."
        ),
    )
    article = forms.CharField(
        label="Into the article (optional)",
        required=False,
        max_length=200,
        help_text="Its address name (the part after /articles/). Leave empty to use the article each note names.",
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            check_size(upload.size)
        except NoteFileError as error:
            raise forms.ValidationError(str(error)) from None
        return upload

    def clean_article(self):
        slug = self.cleaned_data["article"].strip().strip("/").removeprefix("articles/").strip("/")
        if not slug:
            return None
        article = Article.objects.readable_by(self.user).filter(slug=slug).first()
        if article is None:
            raise forms.ValidationError(f"There is no article “{slug}” that you can read.")
        return article
