from django.dispatch import Signal

# Sent inside the import transaction, before paragraphs whose text is gone are deleted,
# so whatever points at them (readers' notes) can be kept and marked as orphaned.
# Arguments: article, removed (a list of Paragraph).
paragraphs_replaced = Signal()

# Sent inside the import transaction once the article's new text is in place.
# Arguments: article.
text_changed = Signal()
