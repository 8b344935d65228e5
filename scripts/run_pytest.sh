#!/usr/bin/env bash
# The pytest step of `make test`: scripts/run_pytest.sh PYTHON [PYTEST_ARGS...]
#
# Without arguments the suite runs as two pytest processes side by side, one per core: the
# browser journeys (-m e2e, which mostly wait on Chromium and the live server) and everything
# else. On PostgreSQL the journeys get their own test database (PA_TEST_DB_SUFFIX=e2e, see
# settings_test). Both outputs are shown, the journeys' after the rest; the exit code is the
# first non-zero one (5, "no tests collected", included). TEST_JOBS=1 runs one process, as do
# explicit arguments (make test PYTEST_ARGS="tests/cycle -x").
set -uo pipefail

python=$1
shift
if [ "$#" -gt 0 ] || [ "${TEST_JOBS:-2}" = 1 ]; then
    exec "$python" -m pytest "$@"
fi

e2e_log=$(mktemp)
trap 'rm -f "$e2e_log"' EXIT
PA_TEST_DB_SUFFIX=e2e "$python" -m pytest -m e2e >"$e2e_log" 2>&1 &
e2e_pid=$!
echo "==> browser journeys (tests/e2e) run alongside in a second process; their output follows"
"$python" -m pytest -m "not e2e"
rest_rc=$?
wait "$e2e_pid"
e2e_rc=$?
echo
echo "==> browser journeys (pytest -m e2e):"
cat "$e2e_log"
echo "==> pytest -m 'not e2e' exited $rest_rc; pytest -m e2e exited $e2e_rc"
if [ "$rest_rc" -ne 0 ]; then exit "$rest_rc"; fi
exit "$e2e_rc"
