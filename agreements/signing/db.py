"""The database layer of the one freeze rule (agreements.signing.freeze): PostgreSQL triggers.

Three generic trigger functions serve every signable document; each document type only
declares, in a ``FrozenDocument``, its table, when a row of it is frozen, which of its columns
are lifecycle (they may still move while frozen), its final state, and its content tables
with the way a content row finds its document. ``install_sql(document)`` turns that into SQL:

- ``pa_freeze_document_guard``: a frozen document row is never deleted; it changes only in
  its lifecycle columns; it never leaves a final state (and an optional per-document check
  adds its own transition rules);
- ``pa_freeze_content_guard``: no row of a frozen document is inserted, changed or deleted;
- ``pa_is_lifted`` (in ``LIFT_FUNCTIONS``): the one bypass. A frozen document is lifted only
  in a transaction that has written a row of the append-only ledger ``agreements_freezelift``
  for it (agreements.signing.lifts, written by ``agreements.signing.freeze.lifting``). The
  ledger's trigger ``pa_freezelift_guard`` accepts a row only if the signing round it names
  authorises this document (the document's ``lift_sql``, installed as ``pa_lift_<label>``: an
  addendum round of the framework, the evaluation's own round), is still open and is signed by
  every one of its parties (the moment inside the signing transaction, between the last
  signature and the round's completion, when the portal applies the document), and it stamps
  the row with the current transaction id. One row per round, ever; rows are never changed or
  deleted. When ``lifting``'s block ends it closes the lift for the rest of the transaction
  (the transaction-local ``pa.lifts_closed`` lists closed ledger rows: a setting that can only
  end a lift, never begin one). No setting lifts anything: ``set_config('pa.lifting', ...)``
  (or the former ``pa.amending_framework``) is not read.

What this does not stop: a database role that owns these tables (or is a superuser) can drop or
disable the triggers (``ALTER TABLE ... DISABLE TRIGGER``, ``session_replication_role``), replace
the functions, or ``TRUNCATE`` (not guarded: Django's test flush needs it). The triggers protect
against the portal's own code paths and against SQL run with the portal's privileges; to protect
against the portal's database role itself, let a separate role own the schema and grant the
portal's role only SELECT/INSERT/UPDATE/DELETE. A forged lift without that would need a complete
set of forged signatures on an open round, in the append-only signature table, and leaves a
ledger row behind.

The migrations that install triggers call these builders (agreements 0006 and 0007, cycle 0007
and 0012). A change to the SQL built here needs a new migration that installs it again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

GENERIC_FUNCTIONS = r"""
-- TG_ARGV: document label, is-frozen function, lifecycle columns (comma-separated),
-- final-state column, final values (comma-separated), extra check function ('' for none).
CREATE OR REPLACE FUNCTION pa_freeze_document_guard() RETURNS trigger AS $$
DECLARE
  frozen boolean;
  lifecycle text[] := string_to_array(TG_ARGV[2], ',');
  final_column text := TG_ARGV[3];
  finals text[] := string_to_array(TG_ARGV[4], ',');
  problem text;
BEGIN
  EXECUTE format('SELECT %I($1)', TG_ARGV[1]) INTO frozen USING OLD.id;
  IF NOT coalesce(frozen, false) OR pa_is_lifted(TG_ARGV[0], OLD.id) THEN
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
  END IF;
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'signed document: % % cannot be deleted', TG_TABLE_NAME, OLD.id;
  END IF;
  IF to_jsonb(NEW) IS NOT DISTINCT FROM to_jsonb(OLD) THEN
    RETURN NEW;
  END IF;
  IF final_column <> '' AND (to_jsonb(OLD) ->> final_column) = ANY (finals)
     AND (to_jsonb(NEW) ->> final_column) IS DISTINCT FROM (to_jsonb(OLD) ->> final_column) THEN
    RAISE EXCEPTION 'signed document: % % stays %', TG_TABLE_NAME, OLD.id,
      to_jsonb(OLD) ->> final_column;
  END IF;
  IF (to_jsonb(NEW) - coalesce(lifecycle, '{}'::text[]))
     IS DISTINCT FROM (to_jsonb(OLD) - coalesce(lifecycle, '{}'::text[])) THEN
    RAISE EXCEPTION 'signed document: % % cannot be changed', TG_TABLE_NAME, OLD.id;
  END IF;
  IF TG_ARGV[5] <> '' THEN
    EXECUTE format('SELECT %I($1, $2)', TG_ARGV[5]) INTO problem
      USING to_jsonb(OLD), to_jsonb(NEW);
    IF problem IS NOT NULL THEN
      RAISE EXCEPTION 'signed document: % % %', TG_TABLE_NAME, OLD.id, problem;
    END IF;
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;

-- TG_ARGV: document label, is-frozen function, function (row jsonb) -> the row's document ids.
CREATE OR REPLACE FUNCTION pa_freeze_content_guard() RETURNS trigger AS $$
DECLARE
  frozen boolean;
  probe text := format(
    'SELECT bool_or(%I(d) AND NOT pa_is_lifted(%L, d)) FROM unnest(%I($1)) AS d',
    TG_ARGV[1], TG_ARGV[0], TG_ARGV[2]);
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    EXECUTE probe INTO frozen USING to_jsonb(OLD);
    IF coalesce(frozen, false)
       AND (TG_OP = 'DELETE' OR to_jsonb(NEW) IS DISTINCT FROM to_jsonb(OLD)) THEN
      RAISE EXCEPTION 'signed document: % row % cannot be changed', TG_TABLE_NAME, OLD.id;
    END IF;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    EXECUTE probe INTO frozen USING to_jsonb(NEW);
    IF coalesce(frozen, false)
       AND (TG_OP = 'INSERT' OR to_jsonb(NEW) IS DISTINCT FROM to_jsonb(OLD)) THEN
      RAISE EXCEPTION 'signed document: % cannot get rows', TG_TABLE_NAME;
    END IF;
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
"""

# After the ledger table exists (agreements 0007): the one bypass and the ledger's guard.
LIFT_FUNCTIONS = r"""
-- Positional parameters: a parameter name would lose to a column of the same name.
-- pa.lifts_closed (set by ``lifting`` when its block ends) can only end a lift, never begin one.
CREATE OR REPLACE FUNCTION pa_is_lifted(doc text, id bigint) RETURNS boolean AS $$
  SELECT EXISTS (
    SELECT 1 FROM agreements_freezelift l
    WHERE l.document = $1 AND l.object_id = $2
      AND l.xact = pg_current_xact_id()::text::bigint
      AND NOT (l.id::text = ANY (string_to_array(
        coalesce(current_setting('pa.lifts_closed', true), ''), ','))))
$$ LANGUAGE sql STABLE;

CREATE OR REPLACE FUNCTION pa_freezelift_guard() RETURNS trigger AS $$
DECLARE
  lift_function text;
  authorised boolean;
BEGIN
  IF TG_OP <> 'INSERT' THEN
    RAISE EXCEPTION 'signed document: % rows are never changed or deleted', TG_TABLE_NAME;
  END IF;
  lift_function := 'pa_lift_' || replace(lower(NEW.document), '.', '_');
  IF to_regprocedure(lift_function || '(bigint,bigint)') IS NULL THEN
    RAISE EXCEPTION 'signed document: % is never lifted', NEW.document;
  END IF;
  EXECUTE format('SELECT %I($1, $2)', lift_function) INTO authorised
    USING NEW.object_id, NEW.request_id;
  IF NOT coalesce(authorised, false) THEN
    RAISE EXCEPTION 'signed document: round % does not authorise a change of % %',
      NEW.request_id, NEW.document, NEW.object_id;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM agreements_signingrequest r
                 WHERE r.id = NEW.request_id AND r.status = 'open')
     OR NOT EXISTS (SELECT 1 FROM agreements_signingrequest_parties p
                    WHERE p.signingrequest_id = NEW.request_id)
     OR EXISTS (SELECT 1 FROM agreements_signingrequest_parties p
                WHERE p.signingrequest_id = NEW.request_id
                  AND NOT EXISTS (SELECT 1 FROM agreements_signature s
                                  WHERE s.request_id = NEW.request_id
                                    AND s.party_id = p.party_id)) THEN
    RAISE EXCEPTION 'signed document: round % is not being completed by every party',
      NEW.request_id;
  END IF;
  NEW.xact := pg_current_xact_id()::text::bigint;
  NEW.created_at := now();
  RETURN NEW;
END $$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS agreements_freezelift_guard ON agreements_freezelift;
CREATE TRIGGER agreements_freezelift_guard BEFORE INSERT OR UPDATE OR DELETE
  ON agreements_freezelift FOR EACH ROW EXECUTE FUNCTION pa_freezelift_guard();
"""

LIFT_UNINSTALL = [
    "DROP TRIGGER IF EXISTS agreements_freezelift_guard ON agreements_freezelift;",
    "DROP FUNCTION IF EXISTS pa_freezelift_guard();",
]

GENERIC_UNINSTALL = [
    "DROP FUNCTION IF EXISTS pa_freeze_content_guard();",
    "DROP FUNCTION IF EXISTS pa_freeze_document_guard();",
    "DROP FUNCTION IF EXISTS pa_is_lifted(text, bigint);",
]


@dataclass(frozen=True)
class FrozenDocument:
    """The SQL declaration of one signable document type (see the module doc).

    ``frozen_sql`` is a boolean SQL expression over ``$1`` (the document's primary key);
    ``content`` maps each content table to an SQL expression over ``rec`` (the row as jsonb)
    giving the ``bigint[]`` of the documents the row belongs to; ``check_sql``, if given, is
    the body of a function of ``old`` and ``new`` (jsonb) returning an error text or NULL;
    ``lift_sql``, if given, a boolean SQL expression over ``$1`` (the document's primary key)
    and ``$2`` (a signing round's id): may this round authorise a change of the frozen document
    (mirrors ``FrozenModel.freeze_lift_rounds``)? Without it the document is never lifted.
    """

    label: str
    table: str
    frozen_sql: str
    lifecycle: tuple[str, ...] = ()
    final_column: str = ""
    final_values: tuple[str, ...] = ()
    content: dict[str, str] = field(default_factory=dict)
    check_sql: str = ""
    lift_sql: str = ""

    @property
    def lift_function(self) -> str:
        return "pa_lift_" + self.label.lower().replace(".", "_")

    @property
    def frozen_function(self) -> str:
        return f"pa_frozen_{self.table}"

    @property
    def check_function(self) -> str:
        return f"pa_check_{self.table}" if self.check_sql else ""


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def install_sql(document: FrozenDocument) -> list[str]:
    """The functions and triggers of one document type (after GENERIC_FUNCTIONS)."""
    statements = [
        f"CREATE OR REPLACE FUNCTION {document.frozen_function}(doc bigint) RETURNS boolean "
        f"AS $$ SELECT $1 IS NOT NULL AND ({document.frozen_sql}) $$ LANGUAGE sql STABLE;"
    ]
    if document.check_sql:
        statements.append(
            f"CREATE OR REPLACE FUNCTION {document.check_function}(old jsonb, new jsonb) "
            f"RETURNS text AS $$ {document.check_sql} $$ LANGUAGE sql STABLE;"
        )
    if document.lift_sql:
        statements.append(
            f"CREATE OR REPLACE FUNCTION {document.lift_function}(doc bigint, request bigint) "
            f"RETURNS boolean AS $$ SELECT {document.lift_sql} $$ LANGUAGE sql STABLE;"
        )
    arguments = ", ".join(
        _literal(value)
        for value in (
            document.label,
            document.frozen_function,
            ",".join(document.lifecycle),
            document.final_column,
            ",".join(document.final_values),
            document.check_function,
        )
    )
    statements.append(
        f"CREATE TRIGGER {document.table}_freeze BEFORE UPDATE OR DELETE ON {document.table} "
        f"FOR EACH ROW EXECUTE FUNCTION pa_freeze_document_guard({arguments});"
    )
    for table, ids_sql in document.content.items():
        statements += install_content_sql(document, table, ids_sql)
    return statements


def install_content_sql(document: FrozenDocument, table: str, ids_sql: str) -> list[str]:
    """The guard of one content table of a document type whose functions are installed (a
    migration that adds a content table to a document calls this for that table alone)."""
    ids_function = f"pa_documents_of_{table}"
    content_arguments = ", ".join(
        _literal(value) for value in (document.label, document.frozen_function, ids_function)
    )
    return [
        f"CREATE OR REPLACE FUNCTION {ids_function}(rec jsonb) RETURNS bigint[] "
        f"AS $$ SELECT {ids_sql} $$ LANGUAGE sql STABLE;",
        f"CREATE TRIGGER {table}_freeze BEFORE INSERT OR UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION pa_freeze_content_guard({content_arguments});",
    ]


def uninstall_sql(document: FrozenDocument) -> list[str]:
    statements = [f"DROP TRIGGER IF EXISTS {document.table}_freeze ON {document.table};"]
    for table in document.content:
        statements += [
            f"DROP TRIGGER IF EXISTS {table}_freeze ON {table};",
            f"DROP FUNCTION IF EXISTS pa_documents_of_{table}(jsonb);",
        ]
    if document.check_sql:
        statements.append(f"DROP FUNCTION IF EXISTS {document.check_function}(jsonb, jsonb);")
    if document.lift_sql:
        statements.append(f"DROP FUNCTION IF EXISTS {document.lift_function}(bigint, bigint);")
    statements.append(f"DROP FUNCTION IF EXISTS {document.frozen_function}(bigint);")
    return statements


_BY_AGREEMENT = (
    "ARRAY[(SELECT t.framework_id FROM agreements_theme t JOIN agreements_agreement a "
    "ON a.theme_id = t.id WHERE a.id = (rec->>'agreement_id')::bigint)]"
)


FRAMEWORK = FrozenDocument(
    label="agreements.Framework",
    table="agreements_framework",
    frozen_sql="EXISTS (SELECT 1 FROM agreements_framework f WHERE f.id = $1 "
    "AND f.signing_state <> '')",
    lifecycle=("status", "updated_at", "signing_state"),
    final_column="signing_state",
    final_values=("ondertekend",),
    content={
        "agreements_theme": "ARRAY[(rec->>'framework_id')::bigint]",
        "agreements_framework_parties": "ARRAY[(rec->>'framework_id')::bigint]",
        "agreements_agreement": (
            "ARRAY[(SELECT framework_id FROM agreements_theme "
            "WHERE id = (rec->>'theme_id')::bigint)]"
        ),
        "agreements_agreement_responsible_parties": _BY_AGREEMENT,
        "agreements_target": _BY_AGREEMENT,
        "agreements_target_parties": (
            "ARRAY[(SELECT t.framework_id FROM agreements_theme t "
            "JOIN agreements_agreement a ON a.theme_id = t.id "
            "JOIN agreements_target g ON g.agreement_id = a.id "
            "WHERE g.id = (rec->>'target_id')::bigint)]"
        ),
        # The calendar and the printed signatories are shown on the framework's page and PDF.
        "agreements_processstep": "ARRAY[(rec->>'framework_id')::bigint]",
        "agreements_frameworksignatory": "ARRAY[(rec->>'framework_id')::bigint]",
    },
    # Changed only by an accepted addendum of this framework (agreements.addenda.services).
    lift_sql=(
        "EXISTS (SELECT 1 FROM agreements_signingrequest r JOIN agreements_addendum a "
        "ON a.id = r.object_id WHERE r.id = $2 AND r.document_type = 'addendum' "
        "AND a.framework_id = $1)"
    ),
)

# Content tables the framework gained after agreements 0007, each installed by its own
# migration (0006 and 0007 install FRAMEWORK.content, and run before these tables exist).
FRAMEWORK_ADDED_CONTENT = {
    # Its policy basis (agreements 0011).
    "agreements_policybasis": "ARRAY[(rec->>'framework_id')::bigint]",
}

ADDENDUM = FrozenDocument(
    label="agreements.Addendum",
    table="agreements_addendum",
    frozen_sql="EXISTS (SELECT 1 FROM agreements_addendum a WHERE a.id = $1 "
    "AND a.status <> 'concept')",
    lifecycle=("status", "decided_at"),
    final_column="status",
    final_values=("aangenomen", "verworpen"),
    content={"agreements_addendumchange": "ARRAY[(rec->>'addendum_id')::bigint]"},
)
