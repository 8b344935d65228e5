"""The end-evaluation's declaration for the database layer of the freeze (agreements.signing.db).

Frozen while a signing round of it is open or signed. Nothing of it changes then, except its
being marked signed by the last signature, inside ``lifting`` authorised by its own round
(``lift_sql``; cycle.endevaluation.signing), and the file name of its rendered PDF while it is
up for signing (never once signed). Its conclusions per theme are part of it.
"""

from agreements.signing.db import FrozenDocument

END_EVALUATION = FrozenDocument(
    label="cycle.EndEvaluation",
    table="cycle_endevaluation",
    frozen_sql="EXISTS (SELECT 1 FROM agreements_signingrequest r "
    "WHERE r.document_type = 'eindevaluatie' AND r.object_id = $1 "
    "AND r.status IN ('open', 'ondertekend'))",
    lifecycle=("pdf",),
    final_column="state",
    final_values=("ondertekend",),
    check_sql=(
        "SELECT CASE WHEN $1->>'pdf' IS DISTINCT FROM $2->>'pdf' AND EXISTS ("
        "SELECT 1 FROM agreements_signingrequest r WHERE r.document_type = 'eindevaluatie' "
        "AND r.object_id = ($1->>'id')::bigint AND r.status = 'ondertekend') "
        "THEN 'keeps the PDF it was signed with' END"
    ),
    lift_sql=(
        "EXISTS (SELECT 1 FROM agreements_signingrequest r WHERE r.id = $2 "
        "AND r.document_type = 'eindevaluatie' AND r.object_id = $1)"
    ),
    content={
        "cycle_endevaluationconclusion": "ARRAY[(rec->>'end_evaluation_id')::bigint]",
    },
)
