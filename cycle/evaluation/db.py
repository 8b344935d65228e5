"""The evaluation's declaration for the database layer of the freeze (agreements.signing.db).

Frozen while a signing round of it is open or signed. Nothing of it changes then, except its
adoption by the last signature, inside ``lifting`` (cycle.evaluation.signing). The year figures
of its municipality and year are part of it.
"""

from agreements.signing.db import FrozenDocument

EVALUATION = FrozenDocument(
    label="cycle.Evaluation",
    table="cycle_evaluation",
    frozen_sql="EXISTS (SELECT 1 FROM agreements_signingrequest r "
    "WHERE r.document_type = 'evaluatie' AND r.object_id = $1 "
    "AND r.status IN ('open', 'ondertekend'))",
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
