"""The evaluation's declaration for the database layer of the freeze (agreements.signing.db).

Frozen while a signing round of it is open or signed. Nothing of it changes then, except its
adoption by the last signature, inside ``lifting`` authorised by its own round (``lift_sql``;
cycle.evaluation.signing), and the file name of its rendered PDF while it is up for signing
(never once signed). The year figures of its municipality and year are part of it.
"""

from agreements.signing.db import FrozenDocument

EVALUATION = FrozenDocument(
    label="cycle.Evaluation",
    table="cycle_evaluation",
    frozen_sql="EXISTS (SELECT 1 FROM agreements_signingrequest r "
    "WHERE r.document_type = 'evaluatie' AND r.object_id = $1 "
    "AND r.status IN ('open', 'ondertekend'))",
    # Its rendered PDF (a file name) may be stored while it is up for signing, never once signed.
    lifecycle=("pdf",),
    check_sql=(
        "SELECT CASE WHEN $1->>'pdf' IS DISTINCT FROM $2->>'pdf' AND EXISTS ("
        "SELECT 1 FROM agreements_signingrequest r WHERE r.document_type = 'evaluatie' "
        "AND r.object_id = ($1->>'id')::bigint AND r.status = 'ondertekend') "
        "THEN 'keeps the PDF it was signed with' END"
    ),
    lift_sql=(
        "EXISTS (SELECT 1 FROM agreements_signingrequest r WHERE r.id = $2 "
        "AND r.document_type = 'evaluatie' AND r.object_id = $1)"
    ),
    content={
        "cycle_contributionrealisation": "ARRAY[(rec->>'evaluation_id')::bigint]",
        "cycle_yearfigures": (
            "ARRAY(SELECT e.id FROM cycle_evaluation e "
            "JOIN cycle_cycleyear c ON c.id = e.cycle_year_id "
            "JOIN cycle_jaarschijf j ON j.id = e.jaarschijf_id "
            "WHERE c.municipality_id = (rec->>'municipality_id')::bigint "
            "AND j.plan_year = (rec->>'year')::int)"
        ),
    },
)
