from django.conf import settings
from django.db import models

from annotations.models import Annotation


class ImportedNote(models.Model):
    """A note brought in from another tool, remembered by the id it had there.

    Importing the same file again finds its ids here and adds nothing. A note its reader
    deleted since takes its record with it, so a new import brings it back.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    source_id = models.CharField(max_length=500, help_text="The note's id in the file it came from.")
    annotation = models.ForeignKey(Annotation, on_delete=models.CASCADE, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "source_id"], name="imported_note_once")]

    def __str__(self):
        return f"{self.user} imported {self.source_id}"
