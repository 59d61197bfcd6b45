from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from review import scheduling
from review.models import Card


@login_required
def review_page(request):
    """/review/: today's next card, how many are left, and the notes left out."""
    return render(request, "review/review.html", page_context(request))


def page_context(request):
    day = scheduling.today()
    cards = list(scheduling.todays_cards(request.user, day).select_related("article", "review_card"))
    left_out = Card.objects.filter(annotation__in=scheduling.reviewable(request.user), left_out=True)
    return {
        "card": scheduling.card_of(cards[0], day) if cards else None,
        "remaining": len(cards),
        "answered": scheduling.answered_on(request.user, day),
        "has_notes": scheduling.reviewable(request.user).exists(),
        "left_out": left_out.select_related("annotation__article").order_by("annotation__created"),
    }


def _my_note(request, pk):
    return get_object_or_404(scheduling.reviewable(request.user), pk=pk)


def _refused(request, error):
    template = "review/refused.html" + ("#refusal" if request.htmx else "")
    return render(request, template, {"message": str(error)}, status=error.status)


def _done(request, said):
    """After a change: the page's next state in place for htmx, else a redirect to the page."""
    if request.htmx:
        return render(request, "review/review.html#review-body", {**page_context(request), "said": said})
    messages.success(request, said)
    return redirect("review")


@login_required
@require_POST
def answer(request, pk):
    """again / good / easy on a due card of mine: it comes back after its new half-life."""
    note = _my_note(request, pk)
    try:
        card = scheduling.answer(request.user, note, request.POST.get("answer", ""), scheduling.today())
    except scheduling.ReviewError as error:
        return _refused(request, error)
    days = card.half_life
    return _done(request, f"It comes back in {days} day{'s' if days != 1 else ''}.")


@login_required
@require_POST
def leave_out(request, pk):
    """Leave one of my notes out of review, or (with put_back) bring it back."""
    note = _my_note(request, pk)
    back = request.POST.get("put_back") == "1"
    scheduling.leave_out(note, scheduling.today(), left_out=not back)
    return _done(request, "The note is back in review." if back else "The note is left out of review.")
