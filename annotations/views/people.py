"""Who an @mention may name, suggested while a reader types: the people who could read the note.

The same rule as `Annotation.mentionable`: for a reply or an edit, whoever `visible_to` lets read
that note; for a new note, whoever its chosen audience is (private: nobody else; a seminar: its
members; public: every active reader of the article). Nobody learns the members of a seminar
they are not in, nor anything about a note they cannot read (404).
"""

import re
import uuid

from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.urls import path
from django.views.decorators.http import require_GET

from annotations.models import Annotation
from reader.models import Article
from seminars.models import Membership, Seminar

MAX_SUGGESTIONS = 8
MAX_QUERY = 30
SCAN = 100  # candidates checked one by one against a note's readers, at most
QUERY = re.compile(rf"[\w.@+-]{{1,{MAX_QUERY}}}")  # the characters of a username (Django's validator)


def _refused(message, status):
    return JsonResponse({"error": message}, status=status)


def _candidates(request):
    """Who could be suggested, before q: a queryset of users, and the note they must be able to read (or None)."""
    people = get_user_model().objects.filter(is_active=True).exclude(pk=request.user.pk)
    if note_id := request.GET.get("note"):
        note = Annotation.objects.visible_to(request.user).filter(pk=note_id).first() if _is_uuid(note_id) else None
        if note is None:
            raise Http404("There is no note you can see with that id.")
        if "visibility" not in request.GET:
            return _audience(people, note.visibility, note.seminar_id, note.author_id), note
        article = note.article  # an edit choosing another audience: the people it would have
    else:
        article = Article.objects.readable_by(request.user).filter(slug=request.GET.get("article") or None).first()
    if article is None:
        raise Http404("There is no article you can read with that slug.")
    visibility, _, slug = (request.GET.get("visibility") or Annotation.Visibility.PRIVATE).partition(":")
    seminar = None
    if visibility == Annotation.Visibility.SEMINAR:
        seminar = Seminar.objects.of(request.user).filter(slug=slug or None).first()
        if seminar is None:  # not a member, or no such seminar: the same answer, so nothing is learnt
            raise Http404("There is no seminar of yours with that slug.")
    elif visibility not in (Annotation.Visibility.PRIVATE, Annotation.Visibility.PUBLIC):
        raise ValueError(f"Visibility {visibility!r} is not one of: private, public, or seminar:SLUG.")
    people = _audience(people, visibility, seminar and seminar.pk, request.user.pk)
    if not article.is_published:  # a draft, and its notes, are read by those who read drafts
        people = people.filter(is_staff=True)
    return people, None


def _audience(people, visibility, seminar_id, author_id):
    """Narrow `people` to a note's audience by its visibility (a note's readers are checked after)."""
    if visibility == Annotation.Visibility.PRIVATE:
        return people.filter(pk=author_id)  # only the author, who is never suggested to themselves
    if visibility == Annotation.Visibility.SEMINAR:
        return people.filter(Q(pk=author_id) | Q(pk__in=Membership.objects.filter(seminar=seminar_id).values("user")))
    return people


def _is_uuid(value):
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


@require_GET
def suggest(request):
    """GET ?q=al&note=<uuid> or ?q=al&article=<slug>&visibility=…: {"people": [up to 8 usernames]}.

    An edit that changes the note's audience sends note=<uuid>&visibility=…: that audience, on its article.
    """
    if not request.user.is_authenticated:
        if request.htmx or "json" in request.headers.get("Accept", ""):
            return _refused("Sign in to see who you can mention.", 403)
        return redirect_to_login(request.get_full_path())
    q = request.GET.get("q", "")
    if not QUERY.fullmatch(q):
        return _refused(f"q must be 1 to {MAX_QUERY} letters, digits or . @ + - _ (the start of a username).", 400)
    try:
        people, note = _candidates(request)
    except ValueError as error:
        return _refused(str(error), 400)
    people = people.filter(username__istartswith=q).order_by("username")
    if note is None:
        return JsonResponse({"people": list(people.values_list("username", flat=True)[:MAX_SUGGESTIONS])})
    # A note's readers are whoever visible_to lets read it, as mentionable asks (a hidden thread
    # is read by fewer than its audience); a bounded number of candidates are looked at.
    readers, names = Annotation.objects.filter(pk=note.pk), []
    for person in people[:SCAN]:
        if readers.visible_to(person).exists():
            names.append(person.username)
            if len(names) == MAX_SUGGESTIONS:
                break
    return JsonResponse({"people": names})


# Beside people/<username>/ in annotations.urls, so not under people/: "suggest" could be a name.
urlpatterns = [
    path("mentions/suggest/", suggest, name="people-suggest"),
]
