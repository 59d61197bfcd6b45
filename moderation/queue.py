"""What the moderation queue shows: the notes a moderator may act on that flags or approval await.

Every note comes from `visible_to(user).moderated_by(user)`: an instructor sees only their
seminars' notes, staff only public ones. A page costs the same few queries however many items
and flags there are (the flags come in one prefetch, the counts as subqueries).
"""

from django.db.models import Count, Exists, IntegerField, Max, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce

from annotations.models import Annotation
from moderation.models import AuditEntry, Flag
from seminars.models import instructs_any


def moderates_anything(user, instructs=None):
    """Whether `user` moderates some notes: staff do (public notes), and instructors of a seminar
    (`instructs`, when given, says whether they instruct one)."""
    if not user.is_authenticated:
        return False
    return user.is_staff or (instructs_any(user) if instructs is None else instructs)


def awaiting(user):
    """The notes `user` moderates with open flags or awaiting approval (unordered, no extra fields)."""
    flagged = Exists(Flag.objects.open().filter(annotation=OuterRef("pk")))
    return Annotation.objects.visible_to(user).moderated_by(user).filter(flagged | Q(pending=True))


def queue_count(user, instructs=None):
    """How many notes await `user`'s moderation: the header's count. For a reader who moderates
    nothing, one small query says so (none when `instructs` is given); for a moderator, one more counts."""
    if not moderates_anything(user, instructs):
        return 0
    return awaiting(user).count()


def queue(user):
    """The queue's items, newest flag (or pending note) first, each with its open flags and their count."""
    open_flags = Flag.objects.open().filter(annotation=OuterRef("pk")).order_by().values("annotation")
    latest = open_flags.annotate(latest=Max("created")).values("latest")
    count = open_flags.annotate(n=Count("pk")).values("n")
    return (
        awaiting(user)
        .annotate(
            flag_count=Coalesce(Subquery(count, output_field=IntegerField()), 0),
            last_flagged=Coalesce(Subquery(latest), "created"),
        )
        .select_related("author", "article", "seminar", "start_paragraph", "hidden_by")
        .prefetch_related(Prefetch("flags", queryset=Flag.objects.open().order_by("-created"), to_attr="open_flags"))
        .order_by("-last_flagged", "-created")
    )


def log(user):
    """The audit entries `user` may read, newest first, with what each points at."""
    return AuditEntry.objects.readable_by(user).select_related("article", "seminar")
