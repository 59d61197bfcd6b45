"""A reader's own tags: listed with their counts, renamed, merged — on their own notes only.

Tag rows are shared: bob's "peace" and alice's are one row. So a rename never changes a row
other notes use; it moves the reader's notes from one tag to another (a new one, or one that
exists, which merges the two).
"""

from django.db import transaction
from django.db.models import Count
from django.db.models.functions import Lower
from taggit.models import Tag

from annotations.models import TaggedAnnotation
from annotations.tagging import stored_tags
from annotations.writing import NoteError, clean_tag_names


def my_tags(user):
    """The tags on `user`'s own notes, each with `note_count`, in alphabetical order."""
    return (
        Tag.objects.filter(annotations_taggedannotation_items__content_object__author=user)
        .annotate(note_count=Count("annotations_taggedannotation_items"))
        .order_by(Lower("name"), "pk")
    )


def new_tag_name(raw):
    """The name asked for, checked as a note's tags are (NoteError says what is wrong)."""
    if not isinstance(raw, str) or not raw.strip():
        raise NoteError("Give the tag's new name.")
    if "," in raw:
        raise NoteError("A tag's name cannot contain a comma: commas separate tags.")
    (name,) = clean_tag_names([raw]) or [""]
    if not name:
        raise NoteError("Give the tag's new name.")
    return name


@transaction.atomic
def rename_tag(user, tag, raw):
    """Give `user`'s notes tagged `tag` the tag named `raw` instead; return that tag.

    Where `raw` names a tag that exists (letter case aside), the two merge: a note that had both
    keeps one. Other readers' notes keep the tags they have.
    """
    name = new_tag_name(raw)
    mine = TaggedAnnotation.objects.filter(tag=tag, content_object__author=user)
    (target,) = stored_tags([name])
    if isinstance(target, Tag) and target.pk == tag.pk:
        if target.name == name:
            raise NoteError(f"The tag is called “{name}” already.")
        if TaggedAnnotation.objects.filter(tag=tag).exclude(content_object__author=user).exists():
            raise NoteError(
                f"Tags are the same whatever their letter case, and other readers' notes use “{tag.name}”: "
                "choose another name to change it on your notes."
            )
        tag.name = name
        tag.save(update_fields=["name"])
        return tag
    if not isinstance(target, Tag):
        target = Tag.objects.create(name=name)
    both = TaggedAnnotation.objects.filter(tag=target, content_object__author=user).values("content_object")
    mine.filter(content_object__in=both).delete()
    mine.update(tag=target)
    if not TaggedAnnotation.objects.filter(tag=tag).exists():
        tag.delete()  # nobody's tag any more
    return target
