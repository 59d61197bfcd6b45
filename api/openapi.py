"""What /api/openapi.json says about the operations in api.views.

The views answer with HttpResponse (JSON-LD, with the protocol's headers), so ninja validates
nothing they send: the models in api.schemas describe it, and api.parsing checks what clients
send with the same models.

The document is written for the host that asks for it: its `servers` and the example's
target name that host, so the example works wherever the site runs.
"""

import copy

from django.urls import path
from ninja import NinjaAPI
from ninja.responses import Response

from api import errors, schemas, serialising
from api.parsing import ACCEPTED_TYPES

EXAMPLE_SITE = "http://127.0.0.1:8000"  # stands for the site in the example; each request puts its own


class JsonLdAPI(NinjaAPI):
    """A NinjaAPI that documents what the views truly send, and answers every error in JSON."""

    def get_openapi_schema(self, **kwargs):
        """Successful answers are JSON-LD, as they are (ninja documents every body in its renderer's
        media type, application/json: only errors are that); HEAD has its own operation, with no body."""
        document = super().get_openapi_schema(**kwargs)
        for operations in document["paths"].values():
            if "head" in operations:  # ninja gives GET and HEAD one operation, and so one operationId
                operations["head"] = _head_of(operations["head"])
            for operation in operations.values():
                for status, answer in operation["responses"].items():
                    if status < 300 and "application/json" in answer.get("content", {}):
                        answer["content"] = {serialising.MEDIA_TYPE: answer["content"]["application/json"]}
        return document

    def openapi_for(self, request):
        """The document as the asking host names things."""
        site = request.build_absolute_uri("/").rstrip("/")
        document = copy.deepcopy(self.get_openapi_schema())  # ninja shares parts of it between calls
        document["servers"] = [{"url": site, "description": "This site"}]
        for operation in (operation for item in document["paths"].values() for operation in item.values()):
            for media in operation.get("requestBody", {}).get("content", {}).values():
                if "example" in media:
                    media["example"] = _on_site(media["example"], site)
        return document

    def _get_urls(self):
        """ninja's URLs, each answering its errors in JSON, the document made per request, and a JSON 404
        for every other path."""
        urls = []
        for pattern in super()._get_urls():
            if pattern.name == "openapi-json":
                pattern.callback = lambda request, **path_params: Response(self.openapi_for(request))
            pattern.callback = errors.in_json(pattern.callback)
            urls.append(pattern)
        return [*urls, path("<path:rest>", errors.not_found, name=errors.NOT_FOUND)]


def _head_of(operation):
    head = copy.deepcopy(operation)
    head["operationId"] += "_head"
    head["summary"] += " (headers only)"
    for answer in head["responses"].values():
        answer.pop("content", None)
    return head


def _on_site(example, site):
    return {
        **example,
        "target": {**example["target"], "source": example["target"]["source"].replace(EXAMPLE_SITE, site)},
    }


TAGS = ["W3C Web Annotation Protocol"]
ANCHORING = """

**When the text changes.** A curator's change of an article finds every note's passage again.
Each note on a passage says where it stands in `anchor`, a term of our JSON-LD context
(`/api/ns/marginalia.jsonld`, which declares every key of ours):

- `status`: `anchored` (placed), `suggested` (a place awaits its author's check) or `orphaned`
  (its words were not found). A suggested or orphaned note is not placed: its target keeps only
  its TextQuoteSelector, with `"anchorStatus"` beside it.
- `lastMove`: the latest change of its place: `revision`, `status`, `method` (`position`, `exact`,
  `fuzzy`, `none`, `author`), `score` (0 to 1), `from` (where it was, in the text before the change)
  and `to` (where it went, left out when it was not placed), each written as a target, and `created`.
- `writtenAbout`: for a note moved to similar words, the TextQuoteSelector of the words it was
  written about. Its target's selectors, the TextQuoteSelector among them, all name the words it
  marks now, so a client anchoring by any one of them finds the same passage.
- `candidates`: for its author only, of a suggested note: the places it may now be, best first,
  each a target with a `score`.

Re-attach a suggested or orphaned note by PUTting it with a new target. Accept a suggestion by
PUTting the note with that candidate as its target: it keeps the quote it was written about. A
target sent back unchanged leaves the note where it is."""
EXAMPLE = {
    "@context": serialising.ANNO_CONTEXT,
    "type": "Annotation",
    "body": [
        {"type": "TextualBody", "value": "Why *now*?", "format": "text/markdown", "purpose": "commenting"},
        {"type": "TextualBody", "value": "motives", "purpose": "tagging"},
    ],
    "target": {
        "source": f"{EXAMPLE_SITE}/articles/north-korean-missile-crisis/",
        # The words occur twice in the article: the suffix says which (without it, a 409 lists both places).
        "selector": {"type": "TextQuoteSelector", "exact": "North Korea shot the missiles", "suffix": ", surprising"},
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
