"""PostgreSQL triggers: a frozen framework, a signed round and signatures cannot change.

On SQLite this migration does nothing (the model layer guards). The SQL is written out here so
that this migration keeps doing what it did; migration 0006 replaces the framework's triggers
by the one freeze rule of agreements.signing.db (the signature and signing-round guards stay).
"""

from django.db import migrations

FUNCTIONS = r"""
CREATE OR REPLACE FUNCTION agreements_is_frozen(fw bigint) RETURNS boolean AS $$
  SELECT fw IS NOT NULL
     AND coalesce(current_setting('pa.amending_framework', true), '') <> fw::text
     AND EXISTS (SELECT 1 FROM agreements_framework WHERE id = fw AND signing_state <> '')
$$ LANGUAGE sql STABLE;

CREATE OR REPLACE FUNCTION agreements_framework_of(tbl text, rec jsonb) RETURNS bigint AS $$
BEGIN
  IF tbl IN ('agreements_theme', 'agreements_framework_parties') THEN
    RETURN (rec->>'framework_id')::bigint;
  ELSIF tbl IN ('agreements_agreement') THEN
    RETURN (SELECT framework_id FROM agreements_theme WHERE id = (rec->>'theme_id')::bigint);
  ELSIF tbl = 'agreements_agreement_responsible_parties' THEN
    RETURN (SELECT t.framework_id FROM agreements_theme t JOIN agreements_agreement a
            ON a.theme_id = t.id WHERE a.id = (rec->>'agreement_id')::bigint);
  ELSIF tbl = 'agreements_target' THEN
    RETURN (SELECT t.framework_id FROM agreements_theme t JOIN agreements_agreement a
            ON a.theme_id = t.id WHERE a.id = (rec->>'agreement_id')::bigint);
  ELSIF tbl = 'agreements_target_parties' THEN
    RETURN (SELECT t.framework_id FROM agreements_theme t
            JOIN agreements_agreement a ON a.theme_id = t.id
            JOIN agreements_target g ON g.agreement_id = a.id
            WHERE g.id = (rec->>'target_id')::bigint);
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql STABLE;

CREATE OR REPLACE FUNCTION agreements_framework_guard() RETURNS trigger AS $$
DECLARE
  lifecycle text[] := ARRAY['status', 'updated_at', 'signing_state'];
BEGIN
  IF NOT agreements_is_frozen(OLD.id) THEN
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
  END IF;
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'signed document: framework % cannot be deleted', OLD.id;
  END IF;
  IF OLD.signing_state = 'ondertekend' AND NEW.signing_state <> 'ondertekend' THEN
    RAISE EXCEPTION 'signed document: framework % stays signed', OLD.id;
  END IF;
  IF (to_jsonb(NEW) - lifecycle) IS DISTINCT FROM (to_jsonb(OLD) - lifecycle) THEN
    RAISE EXCEPTION 'signed document: framework % cannot be changed', OLD.id;
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION agreements_content_guard() RETURNS trigger AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE')
     AND agreements_is_frozen(agreements_framework_of(TG_TABLE_NAME, to_jsonb(OLD))) THEN
    IF TG_OP = 'DELETE' OR to_jsonb(NEW) IS DISTINCT FROM to_jsonb(OLD) THEN
      RAISE EXCEPTION 'signed document: % row % cannot be changed', TG_TABLE_NAME, OLD.id;
    END IF;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE')
     AND agreements_is_frozen(agreements_framework_of(TG_TABLE_NAME, to_jsonb(NEW))) THEN
    IF TG_OP = 'INSERT' OR to_jsonb(NEW) IS DISTINCT FROM to_jsonb(OLD) THEN
      RAISE EXCEPTION 'signed document: % cannot get rows', TG_TABLE_NAME;
    END IF;
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION agreements_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'signed document: % rows are never changed or deleted', TG_TABLE_NAME;
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION agreements_signed_request_guard() RETURNS trigger AS $$
BEGIN
  IF OLD.status = 'ondertekend' THEN
    RAISE EXCEPTION 'signed document: signing round % cannot be changed', OLD.id;
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
"""

CONTENT_TABLES = [
    "agreements_theme",
    "agreements_agreement",
    "agreements_target",
    "agreements_framework_parties",
    "agreements_agreement_responsible_parties",
    "agreements_target_parties",
]


def install_sql() -> list[str]:
    statements = [FUNCTIONS]
    statements.append(
        "CREATE TRIGGER agreements_framework_guard BEFORE UPDATE OR DELETE ON "
        "agreements_framework FOR EACH ROW EXECUTE FUNCTION agreements_framework_guard();"
    )
    for table in CONTENT_TABLES:
        statements.append(
            f"CREATE TRIGGER {table}_guard BEFORE INSERT OR UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION agreements_content_guard();"
        )
    statements.append(
        "CREATE TRIGGER agreements_signature_guard BEFORE UPDATE OR DELETE ON "
        "agreements_signature FOR EACH ROW EXECUTE FUNCTION agreements_append_only();"
    )
    statements.append(
        "CREATE TRIGGER agreements_signingrequest_guard BEFORE UPDATE OR DELETE ON "
        "agreements_signingrequest FOR EACH ROW EXECUTE FUNCTION "
        "agreements_signed_request_guard();"
    )
    return statements


def uninstall_sql() -> list[str]:
    statements = [
        "DROP TRIGGER IF EXISTS agreements_framework_guard ON agreements_framework;",
        "DROP TRIGGER IF EXISTS agreements_signature_guard ON agreements_signature;",
        "DROP TRIGGER IF EXISTS agreements_signingrequest_guard ON agreements_signingrequest;",
    ]
    statements += [f"DROP TRIGGER IF EXISTS {t}_guard ON {t};" for t in CONTENT_TABLES]
    statements += [
        "DROP FUNCTION IF EXISTS agreements_framework_guard();",
        "DROP FUNCTION IF EXISTS agreements_content_guard();",
        "DROP FUNCTION IF EXISTS agreements_append_only();",
        "DROP FUNCTION IF EXISTS agreements_signed_request_guard();",
        "DROP FUNCTION IF EXISTS agreements_framework_of(text, jsonb);",
        "DROP FUNCTION IF EXISTS agreements_is_frozen(bigint);",
    ]
    return statements


def install(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite: the model layer guards (agreements.signing.freeze)
    for statement in install_sql():
        schema_editor.execute(statement, params=None)


def uninstall(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in uninstall_sql():
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0003_signing_addenda"),
    ]

    operations = [
        migrations.RunPython(install, uninstall, elidable=False),
    ]
