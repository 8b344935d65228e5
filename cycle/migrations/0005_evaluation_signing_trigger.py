"""PostgreSQL triggers: an evaluation up for signing or signed cannot change.

"Frozen" is the same as in cycle.evaluation.signing: a signing request of the evaluation
(document type 'evaluatie') is open or signed ('open', 'ondertekend').

- cycle_evaluation: a frozen row is never deleted and never changes, except once: when every
  party has signed, concept -> vastgesteld with its bookkeeping (state, adopted_at,
  adopted_by_id, version), and only inside the transaction that set the transaction-local
  setting pa.adopting_evaluation to its id (cycle.evaluation.signing._adopting).
- cycle_contributionrealisation: no row of a frozen evaluation is inserted, changed or deleted.
- cycle_yearfigures: the figures of a municipality and year that a frozen evaluation evaluates
  (its cycle year's municipality, its jaarschijf's plan year) are not inserted, changed or
  deleted.

The SQL lives here rather than in a module so that this migration keeps doing what it did.
On SQLite it does nothing: the model layer (cycle.evaluation.signing) refuses the changes.
"""

from django.db import migrations

FUNCTIONS = """
CREATE OR REPLACE FUNCTION cycle_evaluation_is_frozen(e bigint) RETURNS boolean AS $$
  SELECT e IS NOT NULL
     AND EXISTS (SELECT 1 FROM agreements_signingrequest
                 WHERE document_type = 'evaluatie' AND object_id = e
                   AND status IN ('open', 'ondertekend'))
$$ LANGUAGE sql STABLE;

CREATE OR REPLACE FUNCTION cycle_evaluation_frozen_guard() RETURNS trigger AS $$
DECLARE
  lifecycle text[] := ARRAY['state', 'adopted_at', 'adopted_by_id', 'version'];
BEGIN
  IF NOT cycle_evaluation_is_frozen(OLD.id) THEN
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
  END IF;
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'signed document: evaluation % cannot be deleted', OLD.id;
  END IF;
  IF to_jsonb(NEW) IS NOT DISTINCT FROM to_jsonb(OLD) THEN
    RETURN NEW;
  END IF;
  IF OLD.state = 'concept' AND NEW.state = 'vastgesteld'
     AND coalesce(current_setting('pa.adopting_evaluation', true), '') = OLD.id::text
     AND (to_jsonb(NEW) - lifecycle) IS NOT DISTINCT FROM (to_jsonb(OLD) - lifecycle)
     AND EXISTS (SELECT 1 FROM agreements_signingrequest
                 WHERE document_type = 'evaluatie' AND object_id = OLD.id AND status = 'open')
  THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'signed document: evaluation % cannot be changed', OLD.id;
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION cycle_realisation_guard() RETURNS trigger AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND cycle_evaluation_is_frozen(OLD.evaluation_id) THEN
    IF TG_OP = 'DELETE' OR to_jsonb(NEW) IS DISTINCT FROM to_jsonb(OLD) THEN
      RAISE EXCEPTION 'signed document: % row % cannot be changed', TG_TABLE_NAME, OLD.id;
    END IF;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND cycle_evaluation_is_frozen(NEW.evaluation_id) THEN
    IF TG_OP = 'INSERT' OR to_jsonb(NEW) IS DISTINCT FROM to_jsonb(OLD) THEN
      RAISE EXCEPTION 'signed document: % cannot get rows', TG_TABLE_NAME;
    END IF;
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION cycle_year_figures_are_frozen(m bigint, y integer) RETURNS boolean AS $$
  SELECT EXISTS (SELECT 1 FROM cycle_evaluation e
                 JOIN cycle_cycleyear c ON c.id = e.cycle_year_id
                 JOIN cycle_jaarschijf j ON j.id = e.jaarschijf_id
                 WHERE c.municipality_id = m AND j.plan_year = y
                   AND cycle_evaluation_is_frozen(e.id))
$$ LANGUAGE sql STABLE;

CREATE OR REPLACE FUNCTION cycle_year_figures_guard() RETURNS trigger AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE')
     AND cycle_year_figures_are_frozen(OLD.municipality_id, OLD.year) THEN
    IF TG_OP = 'DELETE' OR to_jsonb(NEW) IS DISTINCT FROM to_jsonb(OLD) THEN
      RAISE EXCEPTION 'signed document: % row % cannot be changed', TG_TABLE_NAME, OLD.id;
    END IF;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE')
     AND cycle_year_figures_are_frozen(NEW.municipality_id, NEW.year) THEN
    IF TG_OP = 'INSERT' OR to_jsonb(NEW) IS DISTINCT FROM to_jsonb(OLD) THEN
      RAISE EXCEPTION 'signed document: % cannot get rows', TG_TABLE_NAME;
    END IF;
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
"""

INSTALL = [
    FUNCTIONS,
    "CREATE TRIGGER cycle_evaluation_frozen_guard BEFORE UPDATE OR DELETE ON cycle_evaluation "
    "FOR EACH ROW EXECUTE FUNCTION cycle_evaluation_frozen_guard();",
    "CREATE TRIGGER cycle_contributionrealisation_guard "
    "BEFORE INSERT OR UPDATE OR DELETE ON cycle_contributionrealisation "
    "FOR EACH ROW EXECUTE FUNCTION cycle_realisation_guard();",
    "CREATE TRIGGER cycle_yearfigures_guard BEFORE INSERT OR UPDATE OR DELETE ON cycle_yearfigures "
    "FOR EACH ROW EXECUTE FUNCTION cycle_year_figures_guard();",
]

UNINSTALL = [
    "DROP TRIGGER IF EXISTS cycle_evaluation_frozen_guard ON cycle_evaluation;",
    "DROP TRIGGER IF EXISTS cycle_contributionrealisation_guard ON cycle_contributionrealisation;",
    "DROP TRIGGER IF EXISTS cycle_yearfigures_guard ON cycle_yearfigures;",
    "DROP FUNCTION IF EXISTS cycle_evaluation_frozen_guard();",
    "DROP FUNCTION IF EXISTS cycle_realisation_guard();",
    "DROP FUNCTION IF EXISTS cycle_year_figures_guard();",
    "DROP FUNCTION IF EXISTS cycle_year_figures_are_frozen(bigint, integer);",
    "DROP FUNCTION IF EXISTS cycle_evaluation_is_frozen(bigint);",
]


def install(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite: the model layer guards
    for statement in INSTALL:
        schema_editor.execute(statement, params=None)


def uninstall(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in UNINSTALL:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0004_signing_triggers"),
        ("cycle", "0004_evaluation"),
    ]

    operations = [
        migrations.RunPython(install, uninstall, elidable=False),
    ]
