"""POST /api/articles/<slug>/annotations/<uuid>/flags: a reader flags an annotation they can see.

The same act as the flag form (moderation.flagging): one flag per reader per annotation, a reason
from a fixed list, a sentence for "other"; the annotation's author is never told who flagged it.
"""

from typing import Literal

from django.http import HttpResponse
from pydantic import BaseModel, Field

from accounts.authentication import signed_in
from annotations.writing import NoteError
from api import parsing, serialising
from api.errors import ApiError
from api.openapi import TAGS, responses
from api.views import ITEM, api, read_json, readable_article, visible_note
from moderation import flagging
from moderation.models import MAX_EXPLANATION, Flag

FLAGS = ITEM + "/flags"


class FlagRequest(BaseModel):
    reason: Literal[tuple(Flag.Reason.values)] = Field(description="Why the annotation should not be there.")
    explanation: str = Field(
        "", max_length=MAX_EXPLANATION, description="A sentence saying what is wrong: needed with reason “other”."
    )


class FlagReceipt(BaseModel):
    reason: str
    explanation: str
    created: str


# `examples`, not `example`: the document's own `example`s are annotations, rewritten for the asking site.
BODY = {
    "schema": FlagRequest.model_json_schema(),
    "examples": {"other": {"value": {"reason": "other", "explanation": "An advert for shoes."}}},
}


@api.post(
    FLAGS,
    url_name="annotation-flags",
    summary="Flag an annotation for the moderators",
    tags=TAGS,
    response=responses(201, 400, 401, 404, 409, 413, 415, body=FlagReceipt),
    openapi_extra={"requestBody": {"required": True, "content": dict.fromkeys(parsing.ACCEPTED_TYPES, BODY)}},
)
def flag_annotation(request, slug: str, note_id: str):
    """Flag an annotation you can see and did not write (201). Once per reader: a second flag is a 409.

    `reason` is one of spam, abusive, off_topic, other; `other` needs an `explanation` (at most 300
    characters). Its author is not told who flagged it; its moderators see it in their queue.
    """
    user = signed_in(request)
    note = visible_note(request, readable_article(request, slug), note_id)
    data = read_json(request)
    if not isinstance(data, dict):
        raise ApiError(400, 'Send a JSON object such as {"reason": "spam"}.')
    explanation = data.get("explanation", "")
    if not isinstance(explanation, str):
        raise ApiError(400, "explanation must be text: a sentence saying what is wrong.")
    try:
        flag = flagging.flag(user, note, data.get("reason", ""), explanation)
    except NoteError as error:
        raise ApiError(error.status, str(error)) from None
    receipt = {"reason": flag.reason, "explanation": flag.explanation, "created": serialising.timestamp(flag.created)}
    # In the media type the OpenAPI document gives every success of this API.
    return HttpResponse(serialising.encode(receipt), status=201, content_type=serialising.MEDIA_TYPE)
