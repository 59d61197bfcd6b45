"""Seminars: a group reading articles together. Members only; instructors run it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from reader.models import Article
from reader.paging import page_of
from seminars.forms import ReadingListForm, SeminarForm
from seminars.models import Membership, Seminar, SeminarError
from seminars.participation import COLUMNS, participation, participation_csv

SEMINARS_PER_PAGE = 50
MEMBERS_PER_PAGE = 100
ROWS_PER_PAGE = 100  # of the participation table; its CSV has every row


def _membership(request, slug):
    """The viewer's membership of the seminar; a seminar you are not in does not exist for you."""
    return get_object_or_404(Membership.objects.select_related("seminar"), seminar__slug=slug, user=request.user)


def _refused(request, seminar, message):
    """A request that cannot be granted: back to a page that says why, changing nothing."""
    messages.error(request, message)
    return render(request, "seminars/message.html", {"seminar": seminar}, status=400)


def _instructing(request, slug):
    membership = _membership(request, slug)
    if not membership.is_instructor:
        raise PermissionDenied("Only the seminar's instructors can do that.")
    return membership.seminar


@login_required
def seminar_list(request):
    memberships = request.user.memberships.select_related("seminar").order_by("seminar__name", "pk")
    page = page_of(request, memberships, SEMINARS_PER_PAGE)
    return render(request, "seminars/seminar_list.html", {"memberships": page, "page_obj": page})


@login_required
@require_http_methods(["GET", "POST"])
def seminar_create(request):
    form = SeminarForm(request.POST if request.method == "POST" else None)
    if not form.is_valid():
        return render(request, "seminars/seminar_form.html", {"form": form}, status=400 if form.is_bound else 200)
    seminar = Seminar.objects.start(**form.cleaned_data, instructor=request.user)
    messages.success(request, "Your seminar is ready. Add articles, then share the join link.")
    return redirect(seminar)


@login_required
def seminar_detail(request, slug):
    membership = _membership(request, slug)
    seminar = membership.seminar
    members = seminar.memberships.select_related("user").order_by("role", "user__username", "pk")
    readable = Article.objects.readable_by(request.user)
    entries = list(seminar.reading_list.filter(article__in=readable).select_related("article"))
    counts = seminar.annotations.visible_to(request.user).top_level().count_per_article()
    for entry in entries:
        entry.note_count = counts.get(entry.article_id, 0)
    context = {
        "seminar": seminar,
        "membership": membership,
        "entries": entries,
        "members": page_of(request, members, MEMBERS_PER_PAGE),
    }
    if membership.is_instructor:
        listed = [entry.article_id for entry in entries]
        context["addable"] = Article.objects.readable_by(request.user).exclude(pk__in=listed).order_by("title")
        context["join_url"] = request.build_absolute_uri(reverse("seminar-join", args=[seminar.join_code]))
    return render(request, "seminars/seminar_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def seminar_join(request, code):
    seminar = Seminar.objects.filter(join_code=code).first()
    if seminar is None:
        return render(request, "seminars/join_invalid.html", status=404)
    if seminar.memberships.filter(user=request.user).exists():
        messages.info(request, f"You are already a member of {seminar.name}.")
        return redirect(seminar)
    if request.method == "GET":
        return render(request, "seminars/join.html", {"seminar": seminar})
    Membership.objects.get_or_create(seminar=seminar, user=request.user)
    messages.success(request, f"Welcome to {seminar.name}.")
    return redirect(seminar)


@login_required
@require_POST
def seminar_leave(request, slug):
    membership = _membership(request, slug)
    seminar = membership.seminar
    try:
        membership.leave()
    except SeminarError as error:
        return _refused(request, seminar, str(error))
    messages.success(request, f"You left {seminar.name}. Your notes shared with it stay with the seminar.")
    return redirect("seminar-list")


@login_required
@require_POST
def seminar_renew_link(request, slug):
    seminar = _instructing(request, slug)
    seminar.renew_join_code()
    messages.success(request, "The join link is renewed; the old one no longer works.")
    return redirect(seminar)


@login_required
@require_POST
def seminar_remove_member(request, slug, user_id):
    seminar = _instructing(request, slug)
    membership = get_object_or_404(seminar.memberships, user_id=user_id)
    if membership.user_id == request.user.pk:
        return _refused(request, seminar, "To leave the seminar yourself, use “Leave”.")
    membership.delete()
    messages.success(request, f"{membership.user.get_username()} is no longer a member.")
    return redirect(seminar)


@login_required
@require_POST
def seminar_add_article(request, slug):
    seminar = _instructing(request, slug)
    form = ReadingListForm(request.POST)
    article = form.chosen_article(request.user) if form.is_valid() else None
    if article is None:
        return _refused(request, seminar, "Choose an article from the list.")
    seminar.add_to_reading_list(article)
    messages.success(request, f"“{article.title}” is on the reading list.")
    return redirect(seminar)


@login_required
@require_POST
def seminar_remove_article(request, slug, article_slug):
    seminar = _instructing(request, slug)
    entry = get_object_or_404(seminar.reading_list, article__slug=article_slug)
    entry.delete()
    messages.success(request, f"“{entry.article.title}” is off the reading list; its notes are kept.")
    return redirect(seminar)


@login_required
@require_http_methods(["GET", "POST"])
def seminar_delete(request, slug):
    """The instructor confirms (GET), then deletes (POST); the notes shared with the seminar stay, private."""
    seminar = _instructing(request, slug)
    if request.method == "GET":
        context = {"seminar": seminar, "note_count": seminar.annotations.count()}
        context["member_count"] = seminar.memberships.count()
        return render(request, "seminars/seminar_confirm_delete.html", context)
    seminar.close()
    messages.success(request, f"{seminar.name} is deleted. Its notes stay with their authors, as private notes.")
    return redirect("seminar-list")


@login_required
def seminar_participation(request, slug):
    seminar = _instructing(request, slug)
    sort = request.GET.get("sort", "member")
    rows = participation(seminar, request.user, sort=sort, descending=request.GET.get("order") == "desc")
    if request.GET.get("format") == "csv":
        return participation_csv(seminar, rows)
    page = page_of(request, rows, ROWS_PER_PAGE)
    context = {"seminar": seminar, "rows": page.object_list, "page_obj": page, "columns": COLUMNS, "sort": sort}
    context["order"] = request.GET.get("order")
    return render(request, "seminars/participation.html", context)
