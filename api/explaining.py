"""How api.schemas refuses what it cannot take: in words that tell the client what to fix.

pydantic's own complaints ("Input should be a valid string") name no field a client would
recognise and no way out, so a field of a schema carries its own message (`explained`), raised
as an InputError. A message from deeper inside a value (a selector inside a target) wins over
the message of what holds it, so the client hears about the innermost thing that is wrong.
"""

from typing import ClassVar

from pydantic import BaseModel, ConfigDict, ValidationError, WrapValidator, model_validator
from pydantic.alias_generators import to_camel


class InputError(ValueError):
    """An annotation we cannot store; the message says what to fix."""

    def __init__(self, message, status=400):
        super().__init__(message)
        self.status = status


def refusal(error):
    """The InputError behind a ValidationError's first complaint; None when the complaint is pydantic's own."""
    cause = error.errors()[0].get("ctx", {}).get("error")
    return cause if isinstance(cause, InputError) else None


def explained(message):
    """Refuse a bad value with `message`: text, or a function of the value and the validation info.

    A part of the value that explains itself (an InputError from inside) keeps its own message.
    """

    def validate(value, handler, info):
        try:
            return handler(value)
        except ValidationError as error:
            if refusal(error):
                raise
            raise InputError(message(value, info) if callable(message) else message) from None

    return WrapValidator(validate)


def kind(value):
    return {list: "a list", str: "a string", dict: "an object", type(None): "null"}.get(
        type(value), type(value).__name__
    )


class W3CObject(BaseModel):
    """A JSON object of the W3C model: camelCase keys; keys it does not know are passed over, as JSON-LD allows."""

    model_config = ConfigDict(alias_generator=to_camel, extra="ignore")
    # Keys whose absence reads as this value, so leaving one out is explained like a bad value.
    when_absent: ClassVar[dict] = {}

    @model_validator(mode="before")
    @classmethod
    def _fill_absent(cls, data):
        return {**cls.when_absent, **data} if isinstance(data, dict) else data
