"""What /api/openapi.json says about the operations in api.views.

The views answer with HttpResponse (JSON-LD, with the protocol's headers), so ninja validates
nothing they send: the models in api.schemas describe it, and api.parsing checks what clients
send with the same models.
"""

from ninja import NinjaAPI

from api import schemas, serialising
from api.parsing import ACCEPTED_TYPES


class JsonLdAPI(NinjaAPI):
    """A NinjaAPI whose OpenAPI document says that successful answers are JSON-LD, as they are.

    ninja documents every body in its renderer's media type, application/json: only errors are that.
    """

    def get_openapi_schema(self, **kwargs):
        document = super().get_openapi_schema(**kwargs)
        for operation in (operation for path in document["paths"].values() for operation in path.values()):
            for status, answer in operation["responses"].items():  # GET and HEAD share one operation's answers
                if status < 300 and "application/json" in answer.get("content", {}):
                    answer["content"] = {serialising.MEDIA_TYPE: answer["content"]["application/json"]}
        return document


TAGS = ["W3C Web Annotation Protocol"]
EXAMPLE = {
    "@context": serialising.ANNO_CONTEXT,
    "type": "Annotation",
    "body": [
        {"type": "TextualBody", "value": "Why *now*?", "format": "text/markdown", "purpose": "commenting"},
        {"type": "TextualBody", "value": "motives", "purpose": "tagging"},
    ],
    "target": {
        "source": "http://127.0.0.1:8000/articles/north-korean-missile-crisis/",
        "selector": {"type": "TextQuoteSelector", "exact": "North Korea shot the missiles"},
    },
    "visibility": "public",
}


def responses(*codes, body=None):
    """What each status answers: `body` for the success, a Problem for the rest."""
    return {code: body if code < 300 else schemas.Problem for code in codes}


def reads(*codes, body=None):
    """Reads work signed in or not: ninja adds this empty requirement to the token and the session."""
    return {
        "tags": TAGS,
        "response": responses(*codes, body=body),
        "by_alias": True,
        "openapi_extra": {"security": [{}]},
    }


def writes(*codes):
    body = {"schema": {"$ref": "#/components/schemas/Annotation"}, "example": EXAMPLE}
    content = {media_type: body for media_type in ACCEPTED_TYPES}
    request_body = {"requestBody": {"required": True, "content": content}}
    return {
        "tags": TAGS,
        "response": responses(*codes, body=schemas.Annotation),
        "by_alias": True,
        "openapi_extra": request_body,
    }
