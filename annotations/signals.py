from django.dispatch import Signal

# Sent by every moderation act on a note or a reader, once it is done, inside its transaction
# (annotations.discussion, annotations.moderating). Arguments: actor, the moderator (or the
# author, for acts only they may do); action, one of MODERATION_ACTIONS; note, the Annotation
# (None for an act on a reader alone); person, the reader acted upon (the note's author when
# not given); reason, the words the actor gave ("" when none). The moderation app keeps each in
# its audit log, and resolves the open flags a hide answers.
moderated = Signal()

MODERATION_ACTIONS = (
    "hide",
    "unhide",
    "approve",
    "resubmit",
    "feature",
    "unfeature",
    "withdraw",
    "suspend",
    "unsuspend",
)
