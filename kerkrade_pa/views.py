from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from agreements.access import visible_frameworks
from agreements.drafting.states import is_drafting
from agreements.selectors import framework_process_steps
from cycle.calendar import current_step
from cycle.selectors import dashboard as cycle_dashboard


@login_required
def home(request: HttpRequest) -> HttpResponse:
    frameworks = list(visible_frameworks(request.user).order_by("-period_start")[:5])
    # The start page is about the framework that runs, not one still being drafted.
    framework = next((f for f in frameworks if not is_drafting(f)), None) or (
        frameworks[0] if frameworks else None
    )
    today = timezone.localdate()
    steps = framework_process_steps(framework) if framework else []
    context = {
        "framework": framework,
        "frameworks": frameworks,
        "today": today,
        "process_steps": steps,
        "current_step": current_step(steps, today),
        "cycle_dashboard": cycle_dashboard(request.user, today),
    }
    return render(request, "core/home.html", context)
