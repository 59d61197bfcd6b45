"""Tables and columns named for the few statements written out by hand, where building them with the
ORM cost more than running them (every create runs them)."""

from django.db import connection


def quoted(model, field=None):
    """The model's table, or with `field` the field's column, quoted for the database."""
    name = model._meta.db_table if field is None else model._meta.get_field(field).column
    return connection.ops.quote_name(name)
