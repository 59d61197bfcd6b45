from django.dispatch import Signal

# Sent inside the transaction that changed an article's text, once the new text is in place
# (reader.revising.finish). Arguments: article; before, the paragraphs as they were (unsaved
# copies; a removed paragraph's row is gone, its copy keeps its key and text); revision, the
# Revision the change made.
text_changed = Signal()
