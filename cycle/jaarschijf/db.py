"""The jaarschijf's declaration for the database layer of the freeze (agreements.signing.db).

Frozen ter ondertekening and ondertekend. While frozen only its state moves, with its
bookkeeping (version, state_changed_at, signing_round): a signed jaarschijf stays signed and is
signed in its own round; taken back to concept it starts a new signing round.
"""

from agreements.signing.db import FrozenDocument

JAARSCHIJF = FrozenDocument(
    label="cycle.Jaarschijf",
    table="cycle_jaarschijf",
    frozen_sql="EXISTS (SELECT 1 FROM cycle_jaarschijf j WHERE j.id = $1 "
    "AND j.state IN ('ter_ondertekening', 'ondertekend'))",
    lifecycle=("state", "version", "state_changed_at", "signing_round"),
    final_column="state",
    final_values=("ondertekend",),
    check_sql=(
        "SELECT CASE "
        "WHEN $1->>'state' = $2->>'state' THEN 'cannot be changed' "
        "WHEN $2->>'state' = 'ondertekend' AND $2->>'signing_round' <> $1->>'signing_round' "
        "THEN 'is signed in its own round' "
        "WHEN $2->>'state' NOT IN ('ter_ondertekening', 'ondertekend') "
        "AND ($2->>'signing_round')::int <= ($1->>'signing_round')::int "
        "THEN 'reopens in a new signing round' END"
    ),
    content={
        "cycle_contribution": "ARRAY[(rec->>'jaarschijf_id')::bigint]",
        "cycle_jaarschijftext": "ARRAY[(rec->>'jaarschijf_id')::bigint]",
    },
)
