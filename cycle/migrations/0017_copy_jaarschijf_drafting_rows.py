"""Copy the jaarschijf's history, comments, presence and visits into the drafting machinery's
tables (core.drafting), keeping every id (comment URLs carry them), then move PostgreSQL's
sequences past the copied ids. The old tables are removed by the next migration."""

from django.db import migrations

DOCUMENT = "jaarschijf"
PIECE = ("piece_type", "piece_id")
# (old model, new model, the columns both have besides the document)
TABLES = [
    (
        "JaarschijfChange",
        "PieceChange",
        ("id", *PIECE, "version", "action", "actor_id", "at", "before", "after"),
    ),
    (
        "JaarschijfComment",
        "PieceComment",
        (
            "id",
            *PIECE,
            "parent_id",
            "author_id",
            "author_party_id",
            "text",
            "resolved",
            "resolved_by_id",
            "created_at",
        ),
    ),
    ("JaarschijfPresence", "PiecePresence", ("id", *PIECE, "user_id", "seen_at")),
    ("JaarschijfVisit", "DocumentVisit", ("id", "user_id", "last_seen_at", "previous_visit_at")),
]


def _reset_sequences(schema_editor, models):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    from django.core.management.color import no_style

    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)


def _copy(schema_editor, source, target, columns, source_document, target_document, where=""):
    # Plain INSERT ... SELECT: every value as stored, the times too (a model's auto_now_add
    # would stamp them anew).
    quote = schema_editor.quote_name
    names = ", ".join(quote(column) for column in columns)
    schema_editor.execute(
        f"INSERT INTO {quote(target._meta.db_table)} ({target_document}, {names}) "
        f"SELECT {source_document}, {names} FROM {quote(source._meta.db_table)}{where} "
        "ORDER BY id",
        [DOCUMENT] if "%s" in source_document + where else None,
    )


def forwards(apps, schema_editor):
    quote = schema_editor.quote_name
    copied = []
    for old_name, new_name, columns in TABLES:
        old = apps.get_model("cycle", old_name)
        new = apps.get_model("core", new_name)
        # Comments: ids ascend, so a thread is inserted before its replies.
        _copy(
            schema_editor,
            old,
            new,
            columns,
            f"%s, {quote('jaarschijf_id')}",
            f"{quote('document_type')}, {quote('document_id')}",
        )
        copied.append(new)
    _reset_sequences(schema_editor, copied)


def backwards(apps, schema_editor):
    quote = schema_editor.quote_name
    copied = []
    for old_name, new_name, columns in TABLES:
        old = apps.get_model("cycle", old_name)
        new = apps.get_model("core", new_name)
        _copy(
            schema_editor,
            new,
            old,
            columns,
            quote("document_id"),
            quote("jaarschijf_id"),
            where=f" WHERE {quote('document_type')} = %s",
        )
        new.objects.filter(document_type=DOCUMENT).delete()
        copied.append(old)
    _reset_sequences(schema_editor, copied)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_drafting_tables"),
        ("cycle", "0016_end_evaluation"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
