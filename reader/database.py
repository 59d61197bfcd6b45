"""The site's sessions with its database."""

import contextlib
import datetime

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models.query import ValuesListIterable


def without_jit(sender, connection, **kwargs):
    """Turn PostgreSQL's JIT compiler off for a new connection, unless settings.POSTGRES_JIT.

    Connected to `connection_created` (reader.apps). The site's queries run in milliseconds, and the
    JIT compiles any whose estimated cost looks high for far longer (the suite on PostgreSQL: 931 s
    with it, 600 s without). A SET on the session rather than a startup option, so PGOPTIONS, a
    URL's ?options= and connection poolers that refuse startup options all work as before.
    """
    if connection.vendor == "postgresql" and not settings.POSTGRES_JIT:
        with connection.cursor() as cursor:
            cursor.execute("SET jit = off")


class Prepared:
    """A small query built and compiled by the ORM once per process and database, then run with new values.

    For the few queries every signed-in page asks (the header's "anything to count?" guards, the
    note dialog's menu): building and compiling one costs the ORM several times what the database
    takes to answer it.

    `build(*values)` returns a QuerySet; `kinds` says what each value is ("id", "text", "date",
    "datetime"), and each value must only be handed to the ORM as a value to compare with. The first
    call on a database builds the query twice, from two different sets of stand-in values, and keeps
    its SQL only if both give the same text, the parameters that differ are exactly the stand-ins,
    each at the place of one value, and every value reaches a parameter: a value that shaped the query
    (inlined, computed on, or dropped) is caught there, and such a query is built by the ORM on every
    call instead, as if it were not prepared. The build may not read the database (it would be read
    once and kept): it raises if it tries. A value of the wrong kind (None, a naive time where
    USE_TZ, a time for a date) is refused with a TypeError rather than read as something else.

    With `exists`, a call says whether the query has a row; otherwise it returns the rows, as tuples:
    as the ORM gives them (kept only for columns the database gives as Python wants them, with no
    converter to run), or with `convert=False`, as the database gives them, for a caller that reads
    thousands and takes the text and numbers as they come.
    """

    def __init__(self, build, *kinds, exists=False, convert=True):
        unknown = set(kinds) - set(_STAND_INS)
        if unknown:
            raise ValueError(f"Unknown kinds of value: {', '.join(sorted(unknown))}.")
        self.build, self.kinds, self.exists, self.convert = build, kinds, exists, convert
        self._model = None
        # (database alias, vendor) -> (sql, for each parameter (True, (index of the value, type to wrap it in
        # or None)) or (False, a constant))
        # or None: not preparable, built by the ORM each time.
        self._sql = {}

    def __call__(self, *values):
        if len(values) != len(self.kinds):
            raise TypeError(f"This query takes {len(self.kinds)} values, not {len(values)}.")
        for at, (kind, value) in enumerate(zip(self.kinds, values, strict=True)):
            if not _KINDS[kind](value):
                raise TypeError(f"Value {at + 1} of this query must be {_KIND_NAMES[kind]}, not {value!r}.")
        if self._model is None:
            with _no_reading():
                built = self.build(*self._stand_ins(0))
            if not self.exists and built._iterable_class is not ValuesListIterable:
                raise TypeError("A prepared query's rows come as tuples: build a values_list (or ask `exists`).")
            self._model = built.model
        using = router.db_for_read(self._model)
        connection = connections[using]
        key = (using, connection.vendor)
        if key not in self._sql:
            with _no_reading():
                self._sql[key] = self._prepare(using)
        prepared = self._sql[key]
        if prepared is None:  # not preparable: built by the ORM, as usual
            queryset = self.build(*values).using(using)
            if self.exists:
                return queryset.exists()
            return list(queryset) if self.convert else rows_as_given(queryset)
        sql, slots = prepared
        params = [self._value(connection, values, *at) if slot else at for slot, at in slots]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone() is not None if self.exists else cursor.fetchall()

    def _value(self, connection, values, at, wrap):
        value = _adapt(self.kinds[at], connection, values[at])
        return value if wrap is None else wrap(value)

    def _stand_ins(self, side):
        return [_STAND_INS[kind](side, index) for index, kind in enumerate(self.kinds)]

    def _prepare(self, using):
        connection = connections[using]
        compiled = []
        for side in (0, 1):
            stand_ins = self._stand_ins(side)
            query = self.build(*stand_ins).using(using).query
            compiler = (query.exists() if self.exists else query).get_compiler(using)
            try:
                sql, params = compiler.as_sql()
            except EmptyResultSet:
                return None
            converted = not self.exists and self.convert
            if converted and compiler.get_converters([column for column, _, _ in compiler.select]):
                return None  # a column the ORM would convert: leave it to the ORM
            adapted = [_adapt(kind, connection, value) for kind, value in zip(self.kinds, stand_ins, strict=True)]
            compiled.append((sql, list(params), adapted))
        (sql, params, adapted), (other_sql, other_params, other_adapted) = compiled
        if sql != other_sql or len(params) != len(other_params):
            return None
        slots = []
        for param, other in zip(params, other_params, strict=True):
            found = [
                at for at in range(len(adapted)) if _matches(param, adapted[at]) and _matches(other, other_adapted[at])
            ]
            if len(found) == 1 and type(param) is type(other):
                # The ORM may wrap a value in a type of its own (psycopg's Int4 for an integer column, say):
                # the value is wrapped alike on each call.
                wrap = type(param) if type(param) is not type(adapted[found[0]]) else None
                slots.append((True, (found[0], wrap)))
            elif (
                _same(param, other)
                and not found
                and not any(_matches(param, value) for value in adapted + other_adapted)
            ):
                slots.append((False, param))  # a constant of the query
            else:
                return None
        if {slot[1][0] for slot in slots if slot[0]} != set(range(len(self.kinds))):
            return None  # a value that reached no parameter: left out of the SQL, or only computed on
        return sql, slots


def rows_as_given(queryset):
    """A values_list's rows as the database gives them, with no converter run; none for a filter that
    nothing can pass (such as "mine" for a reader not signed in)."""
    try:
        sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    except EmptyResultSet:
        return []
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


@contextlib.contextmanager
def _no_reading():
    """Refuse any query while a prepared query is built: its build may not read the database."""
    with contextlib.ExitStack() as stack:
        for connection in connections.all():
            stack.enter_context(connection.execute_wrapper(_refuse))
        yield


def _refuse(execute, sql, params, many, context):
    raise RuntimeError("A prepared query's build read the database; it may only build a query.")


def _same(one, other):
    return type(one) is type(other) and one == other


def _matches(param, value):
    """Whether the ORM's parameter is `value`, as it is or wrapped in a type of the driver's (a subclass)."""
    return isinstance(param, type(value)) and param == value


# Two sets of stand-ins, far from real values, each side stepping by its own amount from one value to
# the next: a value computed from another (`day + 1`) never equals a later stand-in on both sides.
_STEPS = (7_919, 104_729)


def _stand_in_moment(side, index):
    moment = datetime.datetime(1901 + side, 2, 3, 4, 5) + datetime.timedelta(seconds=_STEPS[side] * index)
    return moment.replace(tzinfo=datetime.UTC) if settings.USE_TZ else moment


_STAND_INS = {
    "id": lambda side, index: (1_000_000_007, 2_000_000_011)[side] + _STEPS[side] * index,
    "text": lambda side, index: f"\x1fstand-in {side} {index}",
    "date": lambda side, index: datetime.date(1901 + side, 2, 3) + datetime.timedelta(days=_STEPS[side] % 97 * index),
    "datetime": _stand_in_moment,
}

# What each kind of value must be: as the ORM would take it, never None (which it reads as IS NULL).
_KINDS = {
    "id": lambda value: type(value) is int,
    "text": lambda value: type(value) is str,
    "date": lambda value: type(value) is datetime.date,
    "datetime": lambda value: isinstance(value, datetime.datetime) and (value.tzinfo is not None) == settings.USE_TZ,
}
_KIND_NAMES = {"id": "an int", "text": "a str", "date": "a date", "datetime": "a datetime (aware where USE_TZ)"}


def _adapt(kind, connection, value):
    """`value` as the ORM hands a field of that kind to the database."""
    if kind == "id":
        return value
    if kind == "date":
        return connection.ops.adapt_datefield_value(value)
    if kind == "datetime":
        return connection.ops.adapt_datetimefield_value(value)
    return str(value)
