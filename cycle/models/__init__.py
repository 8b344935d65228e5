"""The models of the yearly cycle, one module per sub-domain; import them from here."""

from cycle.models.bids import (
    DEMO_MARK,
    FIGURE_UNITS,
    SUM_FIGURES,
    Bid,
    BidLine,
    BidReading,
    BidThemeNote,
    BidUpload,
    Figure,
)
from cycle.models.cycle_year import CycleYear, Milestone
from cycle.models.end_evaluation import EndEvaluation, EndEvaluationConclusion
from cycle.models.evaluation import (
    ContributionRealisation,
    Evaluation,
    EvaluationComment,
    YearFigures,
)
from cycle.models.jaarschijf import (
    Contribution,
    Jaarschijf,
    JaarschijfText,
    PieceType,
)
from cycle.models.preferences import (
    CyclePreference,
    ReminderSent,
    hash_feed_token,
    new_feed_token,
)

__all__ = [
    "DEMO_MARK",
    "FIGURE_UNITS",
    "SUM_FIGURES",
    "Bid",
    "BidLine",
    "BidReading",
    "BidThemeNote",
    "BidUpload",
    "Contribution",
    "ContributionRealisation",
    "CyclePreference",
    "CycleYear",
    "EndEvaluation",
    "EndEvaluationConclusion",
    "Evaluation",
    "EvaluationComment",
    "Figure",
    "Jaarschijf",
    "JaarschijfText",
    "Milestone",
    "PieceType",
    "ReminderSent",
    "YearFigures",
    "hash_feed_token",
    "new_feed_token",
]
