from pathlib import PurePath

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.text import slugify

from reader.importing import ArticleImportError, decode_markdown, import_text

MAX_UPLOAD_BYTES = 2 * 1024 * 1024  # the longest curated article is a few hundred KB
RESERVED_SLUGS = {"new"}  # /articles/new/ is this form's own page


class ArticleUploadForm(forms.Form):
    """A Markdown file for the importer, as `manage.py import_article` takes it; `save` imports it."""

    file = forms.FileField(
        label="Markdown file",
        help_text=f"UTF-8 text, at most {filesizeformat(MAX_UPLOAD_BYTES)}. An optional header of Title:, "
        "Author:, Date: (YYYY-MM-DD) and Source: lines may open it; each top-level block becomes a paragraph.",
        widget=forms.ClearableFileInput(attrs={"accept": ".md,.markdown,.txt,text/markdown,text/plain"}),
    )
    slug = forms.CharField(
        label="Slug (optional)",
        required=False,
        max_length=200,
        help_text="The article's address, /articles/SLUG/. Empty: made from the file name. "
        "An article that already has this slug is updated: its text becomes a new revision and its notes follow.",
    )
    draft = forms.BooleanField(label="Import as a draft (seen only by staff)", required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"{upload.name} is {filesizeformat(upload.size)}; the limit is {filesizeformat(MAX_UPLOAD_BYTES)}."
            )
        try:
            return decode_markdown(upload.read(), upload.name)
        except ArticleImportError as error:
            raise forms.ValidationError(str(error)) from None

    def clean(self):
        cleaned = super().clean()
        upload = self.files.get("file")
        slug = cleaned.get("slug", "").strip() or slugify(PurePath(upload.name).stem if upload else "")
        if slug in RESERVED_SLUGS:
            self.add_error("slug", f"“{slug}” is the address of this page; choose another slug.")
        cleaned["slug"] = slug
        return cleaned

    def save(self):
        """Import the file; the ImportResult, or the importer's error on the form (and None)."""
        data = self.cleaned_data
        try:
            return import_text(data["file"], slug=data["slug"] or None, draft=data["draft"])
        except ArticleImportError as error:
            self.add_error(None, str(error))
            return None
