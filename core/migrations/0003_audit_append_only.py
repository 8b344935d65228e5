"""PostgreSQL: the audit trail is append-only for plain SQL too (core.models.AuditEvent).

An entry is never changed or deleted. The one UPDATE allowed is Django's own when a user is
deleted (``actor`` ON DELETE SET NULL): only ``actor_id`` moves, and only to empty; the
``actor_name`` of the time stays. TRUNCATE is not guarded (Django's test flush uses it): the
portal's database role should not own the table in production (README, security).

On SQLite this migration does nothing: the model and queryset layers guard.
"""

from django.db import migrations

INSTALL = r"""
CREATE OR REPLACE FUNCTION core_auditevent_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.actor_id IS NOT NULL AND NEW.actor_id IS NULL
     AND (to_jsonb(NEW) - 'actor_id') = (to_jsonb(OLD) - 'actor_id') THEN
    RETURN NEW;  -- the user was deleted; the entry keeps the actor's name
  END IF;
  RAISE EXCEPTION 'audit trail: % rows are never changed or deleted', TG_TABLE_NAME;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER core_auditevent_append_only BEFORE UPDATE OR DELETE ON core_auditevent
  FOR EACH ROW EXECUTE FUNCTION core_auditevent_append_only();
"""

UNINSTALL = r"""
DROP TRIGGER IF EXISTS core_auditevent_append_only ON core_auditevent;
DROP FUNCTION IF EXISTS core_auditevent_append_only();
"""


def install(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(INSTALL, params=None)


def uninstall(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(UNINSTALL, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_copy_old_audit_tables"),
    ]

    operations = [
        migrations.RunPython(install, uninstall, elidable=False),
    ]
