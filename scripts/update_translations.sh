#!/bin/sh
# Refresh the English translation of the portal's UI.
#
# The UI is written in Dutch: every msgid is Dutch, and locale/en/LC_MESSAGES/django.po holds the
# English. This script
#   1. collects every marked string from the Python code and templates into that .po file
#      (makemessages keeps existing translations; strings that were dropped from the code are
#      removed, new ones arrive with an empty msgstr or marked "#, fuzzy" when a similar one existed),
#   2. compiles it into django.mo with `msgfmt --check` (fuzzy entries are left out of the .mo),
#   3. lists what still needs a translator: untranslated and fuzzy entries.
#
# Commit both django.po and django.mo: neither `make run` nor the Docker image has gettext.
# Needs the virtualenv (make run or make test creates it) and GNU gettext (msgfmt, msgattrib).
#
# Usage: scripts/update_translations.sh           refresh and compile
#        scripts/update_translations.sh --strict  also exit 1 if anything is untranslated or fuzzy
set -eu

ROOT=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
PY="${PY:-$ROOT/.venv/bin/python}"
PO="$ROOT/locale/en/LC_MESSAGES/django.po"
MO="$ROOT/locale/en/LC_MESSAGES/django.mo"
STRICT=0
[ "${1:-}" = "--strict" ] && STRICT=1

for tool in msgfmt msgattrib; do
    command -v "$tool" >/dev/null 2>&1 || {
        echo "$tool not found: install GNU gettext (Debian/Ubuntu: sudo apt-get install gettext)" >&2
        exit 1
    }
done

cd "$ROOT"
mkdir -p "$ROOT/locale"

# manage.py refuses to start without DEBUG (or a production SECRET_KEY): DEBUG=true is enough here.
echo "==> makemessages -l en"
DEBUG=true "$PY" manage.py makemessages -l en \
    --ignore=.venv --ignore=node_modules --ignore=staticfiles --ignore=static/vendor \
    --ignore=tests --ignore=bench --no-obsolete

# msgfmt rather than compilemessages: compilemessages would also walk into .venv's locale dirs.
echo "==> msgfmt --check $PO"
msgfmt --check --statistics -o "$MO" "$PO"

untranslated=$(msgattrib --untranslated --no-obsolete "$PO" | grep -c '^msgid ' || true)
fuzzy=$(msgattrib --only-fuzzy --no-obsolete "$PO" | grep -c '^msgid ' || true)
# msgattrib prints the header entry (msgid "") too when it has output.
[ "$untranslated" -gt 0 ] && untranslated=$((untranslated - 1))
[ "$fuzzy" -gt 0 ] && fuzzy=$((fuzzy - 1))

if [ "$untranslated" -gt 0 ] || [ "$fuzzy" -gt 0 ]; then
    echo
    echo "==> $untranslated untranslated and $fuzzy fuzzy entries need a translator:"
    msgattrib --untranslated --no-obsolete --no-wrap "$PO" | grep -A1 '^#:' | grep '^msgid' | sed 's/^/    untranslated: /' || true
    msgattrib --only-fuzzy --no-obsolete --no-wrap "$PO" | grep '^msgid ' | grep -v '^msgid ""$' | sed 's/^/    fuzzy: /' || true
    echo "    Translate them in $PO (remove the '#, fuzzy' line once checked), then run this script again."
    [ "$STRICT" -eq 1 ] && exit 1
else
    echo "==> every entry is translated"
fi
echo "==> wrote $MO"
