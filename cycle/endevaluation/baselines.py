"""The end-evaluation's end values as the baselines of the next framework: registered with
agreements.nextframework.baselines (in CycleConfig.ready), so that agreements' start page gets them
without importing cycle."""

from __future__ import annotations

from agreements.models import Framework
from agreements.nextframework.baselines import Baseline, register_source
from cycle.endevaluation.selectors import framework_end_values


def end_value_baselines(framework: Framework) -> dict[int, Baseline]:
    return {
        end.target.pk: Baseline(value=end.value, date=end.date)
        for end in framework_end_values(framework)
    }


register_source(end_value_baselines)
