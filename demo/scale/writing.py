"""Writing a batch: table after table in one transaction, COPY on PostgreSQL, bulk_create elsewhere."""

import json
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection, models
from psycopg.types.json import Jsonb

from .world import Rows


@contextmanager
def _given_timestamps(model_list: Iterable[type[models.Model]]):
    """Let bulk_create keep the historical times set on the rows: auto_now(_add) would stamp them
    all with this moment, and an UPDATE afterwards would double the writes."""
    saved = []
    for model in model_list:
        for f in model._meta.concrete_fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                saved.append((f, f.auto_now, f.auto_now_add))
                f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def insert(rows: Rows, chunk: int) -> None:
    """Every row of the batch, table after table, then the many-to-many pairs: COPY on PostgreSQL,
    bulk_create elsewhere (the tests' SQLite)."""
    copying = connection.vendor == "postgresql"
    for model in Rows.ORDER:
        objs, plain = rows.rows.get(model, []), rows.plain.get(model, [])
        if not (objs or plain):
            continue
        if copying:
            fields = [f for f in model._meta.concrete_fields if model in Rows.REFERENCED or not f.primary_key]
            _copy(model, fields, [*_instance_values(objs, fields), *_plain_values(plain, fields)])
        else:
            _bulk_create(model, [*objs, *(model(**values) for values in plain)], chunk)
    for descriptor, pairs in rows.links.items():
        through = descriptor.through
        source, target = (through._meta.get_field(descriptor.field.m2m_field_name()),
                          through._meta.get_field(descriptor.field.m2m_reverse_field_name()))
        if copying:
            _copy(through, [source, target], ([a.pk, b.pk] for a, b in pairs))
        else:
            _bulk_create(through, [through(**{source.attname: a.pk, target.attname: b.pk}) for a, b in pairs], chunk)


def _instance_values(objs: list[models.Model], fields: list[models.Field]) -> Iterator[list]:
    attnames = [f.attname for f in fields]
    for obj in objs:
        yield [getattr(obj, name) for name in attnames]


def _plain_values(plain: list[dict], fields: list[models.Field]) -> Iterator[list]:
    defaults = [(f.attname, f.get_default()) for f in fields]
    for values in plain:
        yield [values.get(name, default) for name, default in defaults]


def _copy(model: type[models.Model], fields: list[models.Field], rows: Iterable[list]) -> None:
    """COPY … FROM STDIN of the values as they are. Django's bulk_create prepares each value in Python
    and sends the rows as arrays (UNNEST), whose quoting psycopg does in Python too: about 0.1 ms a
    row, most of a run of millions of rows."""
    convert = [(index, converter) for index, f in enumerate(fields) if (converter := _copy_converter(f))]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for values in rows:
            for index, converter in convert:
                values[index] = converter(values[index])
            copy.write_row(values)


def _copy_converter(f: models.Field) -> Callable[[Any], Any] | None:
    if isinstance(f, models.JSONField):
        # Unescaped Thai is a third shorter than \\u escapes, and parsed that much faster by the server.
        return lambda value: None if value is None else Jsonb(value, dumps=_utf8_json)
    if isinstance(f, models.FileField):
        return lambda value: getattr(value, "name", value) or ""
    return None


def _utf8_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _bulk_create(model: type[models.Model], objs: list[models.Model], chunk: int) -> None:
    with _given_timestamps([model]):
        model.objects.bulk_create(objs, batch_size=chunk)
