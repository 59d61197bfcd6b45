"""Seminars: a group reading articles together. Members only; instructors run it."""

import csv
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Max
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods, require_POST

from reader.models import Article
from seminars.models import Membership, ReadingListEntry, Seminar
from seminars.participation import COLUMNS, participation

MAX_NAME = Seminar._meta.get_field("name").max_length
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # tabs and newlines are fine


def _membership(request, slug):
    """The viewer's membership of the seminar; a seminar you are not in does not exist for you."""
    return get_object_or_404(Membership.objects.select_related("seminar"), seminar__slug=slug, user=request.user)


def _instructing(request, slug):
    membership = _membership(request, slug)
    if not membership.is_instructor:
        raise PermissionDenied("Only the seminar's instructors can do that.")
    return membership.seminar


@login_required
def seminar_list(request):
    memberships = request.user.memberships.select_related("seminar").order_by("seminar__name")
    return render(request, "seminars/seminar_list.html", {"memberships": memberships})


RESERVED_SLUGS = {"new", "join"}  # /seminars/new/ and /seminars/join/… are pages of their own


def _unique_slug(name):
    base = slugify(name)[:60] or "seminar"
    slug, n = base, 1
    while slug in RESERVED_SLUGS or Seminar.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@login_required
@require_http_methods(["GET", "POST"])
def seminar_create(request):
    data = {"name": request.POST.get("name", "").strip(), "description": request.POST.get("description", "").strip()}
    if request.method == "GET":
        return render(request, "seminars/seminar_form.html", {"data": data})
    error = None
    if not data["name"]:
        error = "Give the seminar a name."
    elif len(data["name"]) > MAX_NAME:
        error = f"The name is longer than {MAX_NAME} characters."
    elif any(CONTROL.search(value) for value in data.values()):
        error = "The name or description contains a control character (such as NUL); remove it."
    if error:
        return render(request, "seminars/seminar_form.html", {"data": data, "error": error}, status=400)
    with transaction.atomic():
        seminar = Seminar.objects.create(slug=_unique_slug(data["name"]), **data)
        Membership.objects.create(seminar=seminar, user=request.user, role=Membership.Role.INSTRUCTOR)
    messages.success(request, "Your seminar is ready. Add articles, then share the join link.")
    return redirect(seminar)


@login_required
def seminar_detail(request, slug):
    membership = _membership(request, slug)
    seminar = membership.seminar
    readable = Article.objects.readable_by(request.user)
    entries = list(seminar.reading_list.filter(article__in=readable).select_related("article"))
    counts = dict(
        seminar.annotations.visible_to(request.user).top_level().values_list("article").annotate(count=Count("pk"))
    )
    for entry in entries:
        entry.note_count = counts.get(entry.article_id, 0)
    context = {
        "seminar": seminar,
        "membership": membership,
        "entries": entries,
        "members": seminar.memberships.select_related("user").order_by("role", "user__username"),
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
    others = seminar.memberships.filter(role=Membership.Role.INSTRUCTOR).exclude(pk=membership.pk)
    if membership.is_instructor and not others.exists():
        messages.error(request, "You are this seminar's only instructor, so you cannot leave it.")
        return render(request, "seminars/message.html", {"seminar": seminar}, status=400)
    membership.delete()
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
        messages.error(request, "To leave the seminar yourself, use “Leave”.")
        return render(request, "seminars/message.html", {"seminar": seminar}, status=400)
    membership.delete()
    messages.success(request, f"{membership.user.get_username()} is no longer a member.")
    return redirect(seminar)


@login_required
@require_POST
def seminar_add_article(request, slug):
    seminar = _instructing(request, slug)
    article = Article.objects.readable_by(request.user).filter(slug=request.POST.get("article", "")).first()
    if article is None:
        messages.error(request, "Choose an article from the list.")
        return render(request, "seminars/message.html", {"seminar": seminar}, status=400)
    position = (seminar.reading_list.aggregate(last=Max("position"))["last"] or 0) + 1
    ReadingListEntry.objects.get_or_create(seminar=seminar, article=article, defaults={"position": position})
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
def seminar_participation(request, slug):
    seminar = _instructing(request, slug)
    sort = request.GET.get("sort", "member")
    rows = participation(seminar, request.user, sort=sort, descending=request.GET.get("order") == "desc")
    if request.GET.get("format") == "csv":
        return _csv(seminar, rows)
    context = {"seminar": seminar, "rows": rows, "columns": COLUMNS, "sort": sort, "order": request.GET.get("order")}
    return render(request, "seminars/participation.html", context)


def _csv(seminar, rows):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{seminar.slug}-participation.csv"'
    writer = csv.writer(response)
    writer.writerow([label for _, label in COLUMNS])
    for row in rows:
        writer.writerow([_csv_cell(row[key]) for key, _ in COLUMNS])
    return response


def _csv_cell(value):
    """Spreadsheets run cells that start with = + - @ as formulas; quote them."""
    value = "" if value is None else str(value)
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value
