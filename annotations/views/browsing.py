"""Notes across articles: by tag, by person, and the reader's inbox. Each list comes a page at a time."""

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.db.models.functions import Lower
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from taggit.models import Tag

from annotations.models import Annotation, Notification
from reader.paging import page_of

TAGS_PER_PAGE = 200
NOTES_PER_PAGE = 30
NOTIFICATIONS_PER_PAGE = 50


def tag_list(request):
    visible = Annotation.objects.visible_to(request.user)
    tags = (
        Tag.objects.filter(annotations_taggedannotation_items__content_object__in=visible)
        .annotate(note_count=Count("annotations_taggedannotation_items"))
        .order_by(Lower("name"), "name", "pk")  # "#context" before "#Timeline"
    )
    page = page_of(request, tags, TAGS_PER_PAGE)
    return render(request, "annotations/tag_list.html", {"tags": page, "page_obj": page})


def tag_detail(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    notes = Annotation.objects.visible_to(request.user).filter(tags=tag).for_display().order_by("-created", "pk")
    page = page_of(request, notes, NOTES_PER_PAGE)
    if not page.paginator.count:  # a tag on nothing you can see is, for you, no tag at all
        raise Http404("No notes you can see have this tag.")
    return render(request, "annotations/tag_detail.html", {"tag": tag, "notes": page, "page_obj": page})


def person_detail(request, username):
    """A reader's notes, as far as the viewer may see them."""
    person = get_object_or_404(get_user_model(), username=username, is_active=True)
    notes = Annotation.objects.visible_to(request.user).filter(author=person).for_display().order_by("-created", "pk")
    page = page_of(request, notes, NOTES_PER_PAGE)
    return render(request, "annotations/person_detail.html", {"person": person, "notes": page, "page_obj": page})


@login_required
@require_GET
def inbox(request):
    notifications = request.user.notifications.about_notes_visible_to(request.user)
    latest = notifications.select_related("actor", "annotation__article").order_by("-created", "-pk")
    page = page_of(request, latest, NOTIFICATIONS_PER_PAGE)
    unread = notifications.filter(read=None).count()
    context = {"notifications": page, "unread": unread, "page_obj": page, "anchoring": Notification.ANCHORING}
    context["attention_count"] = Annotation.objects.editable_by(request.user).top_level().needing_attention().count()
    return render(request, "annotations/inbox.html", context)


@login_required
@require_GET
def inbox_open(request, pk):
    """Open one inbox item: mark it read and go to what it is about.

    A GET, so the item is a plain link (it opens without JavaScript, and in a new tab): marking
    one's own notification read is safe to repeat, and someone else's is a 404.
    """
    notifications = request.user.notifications.about_notes_visible_to(request.user).select_related("annotation")
    notification = get_object_or_404(notifications, pk=pk)
    if notification.read is None:
        notification.read = timezone.now()
        notification.save(update_fields=["read"])
    note = notification.annotation
    if notification.kind in Notification.ANCHORING and note.needs_attention:
        return redirect(f"{note.article.get_absolute_url()}#attention-{note.pk}")
    return redirect(note.get_absolute_url())


@login_required
@require_POST
def inbox_mark_read(request):
    """Mark every unread notification read, however many there are."""
    request.user.notifications.about_notes_visible_to(request.user).filter(read=None).update(read=timezone.now())
    return redirect("inbox")
