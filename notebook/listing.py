"""Which notes the notebook shows: the reader's own (or all they can see), filtered, in reading order.

Every list starts from `Annotation.objects.visible_to(user)`; the filters only narrow it. The
notebook page, its exports and the API's export read the same `NotebookFilters`, so a filter
means the same everywhere.
"""

from django import forms
from django.db.models import Case, Count, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, Lower
from taggit.models import Tag

from annotations.models import Annotation
from reader.models import Article
from seminars.models import Seminar

MINE, EVERYTHING = "mine", "all"


class NotebookFilters(forms.Form):
    """The notebook's filters, read from the query string; every field may be left out."""

    scope = forms.ChoiceField(
        label="Notes",
        choices=[(MINE, "Mine"), (EVERYTHING, "Everything I can see")],
        required=False,
    )
    article = forms.ModelChoiceField(
        label="Article",
        queryset=Article.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label="All articles",
        error_messages={"invalid_choice": "There are no notes you can see on an article “%(value)s”."},
    )
    tag = forms.ModelChoiceField(
        label="Tag",
        queryset=Tag.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label="Any tag",
        error_messages={"invalid_choice": "No note you can see has a tag “%(value)s”."},
    )
    visibility = forms.ChoiceField(
        label="Visibility", choices=[("", "Anyone"), *Annotation.Visibility.choices], required=False
    )
    seminar = forms.ModelChoiceField(
        label="Seminar",
        queryset=Seminar.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label="Any seminar",
        error_messages={"invalid_choice": "You are in no seminar “%(value)s”."},
    )
    since = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    commented = forms.BooleanField(label="With a comment", required=False)
    attention = forms.BooleanField(label="Needs attention", required=False)

    def __init__(self, user, data=None):
        super().__init__(data)
        self.user = user
        scope = notes_in_scope(user, (data or {}).get("scope") or MINE)
        self.fields["article"].queryset = Article.objects.filter(pk__in=scope.values("article")).order_by(
            Lower("title"), "pk"
        )
        self.fields["tag"].queryset = Tag.objects.filter(pk__in=scope.values("tagged_items__tag")).order_by(
            Lower("name"), "pk"
        )
        self.fields["seminar"].queryset = Seminar.objects.filter(memberships__user=user).order_by(Lower("name"))

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            raise forms.ValidationError(f"The dates are the wrong way round: {since} comes after {until}.")
        return data

    @property
    def filtered(self):
        """Whether any filter narrows the list (the scope aside)."""
        return any(value not in (None, "", False) for name, value in self.cleaned_data.items() if name != "scope")


def notes_in_scope(user, scope=MINE):
    """The top-level notes `user` can see, only their own unless `scope` is EVERYTHING."""
    notes = Annotation.objects.visible_to(user).top_level().filter(deleted=False)
    return notes if scope == EVERYTHING else notes.filter(author=user)


def notebook_notes(user, filters, *, counts=True):
    """The notes the (valid) filters ask for, in reading order, with what a list shows of each
    (`counts`: how many replies each has that `user` can see)."""
    data = filters.cleaned_data
    notes = notes_in_scope(user, data.get("scope") or MINE)
    if data.get("article"):
        notes = notes.filter(article=data["article"])
    if data.get("tag"):
        notes = notes.filter(tagged_items__tag=data["tag"])
    if data.get("visibility"):
        notes = notes.filter(visibility=data["visibility"])
    if data.get("seminar"):
        notes = notes.filter(seminar=data["seminar"])
    if data.get("since"):
        notes = notes.filter(created__date__gte=data["since"])
    if data.get("until"):
        notes = notes.filter(created__date__lte=data["until"])
    if data.get("commented"):
        notes = notes.exclude(comment="")
    if data.get("attention"):
        notes = notes.needing_attention()
    if counts:
        notes = with_reply_counts(notes, user)
    return in_reading_order(notes).for_display().select_related("seminar")


def with_reply_counts(notes, user):
    """Each note with `reply_count`: the replies in its thread that `user` can see, in the same query."""
    replies = (
        Annotation.objects.visible_to(user)
        .filter(thread=OuterRef("pk"), deleted=False)
        .order_by()
        .values("thread")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return notes.annotate(reply_count=Coalesce(Subquery(replies, output_field=IntegerField()), 0))


def in_reading_order(notes):
    """By article (title), then as a reader meets them: notes on the whole article, then by paragraph
    and offset; a note not placed in the text (orphaned, or suggested) after the placed ones."""
    place = Case(
        When(start_key="", then=Value(0)),
        When(~Q(anchor_status=Annotation.AnchorStatus.ANCHORED), then=Value(2)),
        default=Value(1),
    )
    return notes.order_by(
        Lower("article__title"), "article_id", place, "start_paragraph__position", "start_offset", "created", "pk"
    )
