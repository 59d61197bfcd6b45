"""The note form at the web edge: it reads and renders the fields; annotations.writing checks the note.

The checks on the content (Markdown, tags, seminar membership) are shared with the API, so
they stay in annotations.writing; the form turns a request into the arguments it takes.
"""

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.urls import reverse

from annotations.comments import MAX_COMMENT_LENGTH
from annotations.models import Annotation
from annotations.tagging import MAX_TAG_LENGTH, MAX_TAGS
from reader.page_parts import RenderedOnce
from seminars.models import seminar_menu

PRIVATE, PUBLIC = Annotation.Visibility.PRIVATE, Annotation.Visibility.PUBLIC


class WrittenText(forms.CharField):
    """Text a reader writes; annotations.writing checks it (NUL included) with messages of its own."""

    def __init__(self, **kwargs):
        super().__init__(strip=False, required=False, **kwargs)  # writing keeps the text and trims it once
        self.validators = [check for check in self.validators if not isinstance(check, ProhibitNullCharactersValidator)]


def visibility_value(note):
    """The note's audience as the form's menu says it: "private", "public" or "seminar:SLUG"."""
    return f"seminar:{note.seminar.slug}" if note.seminar_id else note.visibility


def note_version(note):
    """Which version of the note this is: its last change, which every save moves on."""
    return note.modified.isoformat()


class NoteForm(forms.Form):
    # No maxlength on the comment: it would cut a long paste silently. A counter beside the box
    # says how long it is (static/js/forms.js), and the server refuses a longer one with a message.
    comment = WrittenText(label="Comment", widget=forms.Textarea(attrs={"rows": 5, "data-limit": MAX_COMMENT_LENGTH}))
    # Each tag has its own limit, which the page checks as the reader types; the field as a whole
    # can hold no more than the longest list that could be saved (every tag full, ", " between).
    tags = WrittenText(
        label="Tags",
        widget=forms.TextInput(
            attrs={
                "list": "tag-suggestions",
                "autocomplete": "off",
                "maxlength": MAX_TAGS * (MAX_TAG_LENGTH + 2),
                "data-tag-length": MAX_TAG_LENGTH,
                "data-tag-count": MAX_TAGS,
            }
        ),
    )
    visibility = forms.ChoiceField(
        label="Who can see it",
        required=False,
        error_messages={
            "invalid_choice": "Visibility %(value)r is not one of: private, public, or a seminar you belong to."
        },
    )
    is_question = forms.BooleanField(label="This is a question", required=False)
    # The version of the note the edit form was filled from (`note_version`); see `is_stale`.
    version = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, data=None, *, user, note=None, prefix_id="new", menu=None, **kwargs):
        """`menu`, the reader's seminars as seminar_menu gives them, saves the query."""
        super().__init__(data, auto_id=f"{prefix_id}-%s", **kwargs)
        self.note = note
        if note is None:
            del self.fields["version"]
        menu = seminar_menu(user) if menu is None else menu
        seminars = [(f"seminar:{slug}", f"{name} (seminar)") for slug, name in menu]
        self.fields["visibility"].choices = [(PRIVATE, "Only me"), *seminars, (PUBLIC, "Everyone (public)")]
        if note is not None and note.is_reply:  # a reply's audience and kind are its thread's
            del self.fields["visibility"], self.fields["is_question"]
        for name in ("comment", "tags"):  # the limits said beside the field (note_fields.html)
            attrs = self.fields[name].widget.attrs
            attrs["data-limit-box"] = attrs["aria-describedby"] = f"{prefix_id}-{name}-limit"
        # Who an @mention may name, suggested as the reader types (static/js/mentions.js adds the article
        # of a new note, and the audience the form's menu says).
        suggest = reverse("people-suggest")
        self.fields["comment"].widget.attrs["data-mentions"] = f"{suggest}?note={note.pk}" if note else suggest

    @classmethod
    def for_note(cls, note, user, data=None):
        """The form to edit `note`, filled with what it says now."""
        initial = {
            "comment": note.comment,
            "tags": ", ".join(note.tags.names()),
            "visibility": visibility_value(note),
            "is_question": note.is_question,
            "version": note_version(note),
        }
        return cls(data, user=user, note=note, prefix_id=str(note.pk), initial=initial)

    # The limits as note_fields.html says them beside the fields.
    limits = {"comment": f"{MAX_COMMENT_LENGTH:,}", "tag_length": MAX_TAG_LENGTH, "tags": MAX_TAGS}

    def is_stale(self):
        """Whether the note changed since the form was filled: saving it would undo that change unseen.

        A request that sends no version (a script, an older page) is not checked.
        """
        sent = self.data.get("version")
        return bool(sent) and sent != note_version(self.note)

    @property
    def error_message(self):
        """The first thing to fix, in a sentence (for the toast on the reading page)."""
        for errors in self.errors.values():
            return errors[0]
        return ""

    def note_fields(self):
        """Everything the form gives, as create_note takes it; a missing visibility means private."""
        fields = dict(self.cleaned_data)
        fields["visibility"], fields["seminar"] = self._audience(fields.get("visibility") or PRIVATE)
        return fields

    def changes(self):
        """What the request sent, as update_note takes it; what it left out stays as it is.

        An unticked checkbox sends nothing, so `is_question` counts as sent with the comment.
        """
        sent = set(self.data)
        given = {name for name in ("comment", "tags", "visibility") if name in sent and name in self.fields}
        if "is_question" in self.fields and sent & {"is_question", "comment"}:
            given.add("is_question")
        changes = {name: self.cleaned_data[name] for name in given}
        if "visibility" in changes:
            changes["visibility"], changes["seminar"] = self._audience(
                changes["visibility"] or visibility_value(self.note)
            )
        return changes

    @staticmethod
    def _audience(value):
        visibility, _, seminar = value.partition(":")
        return visibility, seminar or None


SCOPES = {"all": "Everything I can see", "mine": "Mine", "seminar": None, "public": "Public"}


class FilterForm(forms.Form):
    """The reading page's filters: a tag, and whose notes to show; `seminar` is the reading context."""

    tag = forms.CharField(label="Tag", required=False, widget=forms.Select)
    scope = forms.ChoiceField(label="Show", required=False)
    seminar = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, data=None, *, seminar=None, tags=(), **kwargs):
        super().__init__(data, auto_id="filter-%s", **kwargs)
        names = {**SCOPES, "seminar": seminar.name if seminar else None}
        self.fields["scope"].choices = [(scope, label) for scope, label in names.items() if label]
        self.fields["tag"].widget.choices = [("", "All tags"), *((name, name) for name in tags)]

    def scope_menu(self):
        """The scope menu's HTML, rendered once for each set of choices and choice: it holds nothing else."""
        field = self["scope"]
        if self.is_bound:  # what was sent, and its errors: this reader's own
            return str(field)
        key = (tuple(self.fields["scope"].choices), field.value(), self.auto_id, self.prefix, type(self.renderer))
        return _scope_menus(key, field.__str__)


_scope_menus = RenderedOnce()
