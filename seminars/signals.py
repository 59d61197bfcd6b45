"""What a seminar tells the apps above it (which it may not import) about itself."""

from django.dispatch import Signal

# Sent with `seminar` inside the transaction that deletes it, before the delete: whatever points
# at the seminar and must outlive it (annotations' notes, kept PROTECT) is let go of here.
seminar_deleting = Signal()
