from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.text import slugify

from agreements import selectors
from agreements.access import get_framework_for_user, visible_frameworks
from agreements.drafting import services as drafting
from agreements.drafting.states import is_editable
from agreements.forms import TargetFilterForm
from agreements.nextframework import selectors as nextframework_selectors
from agreements.signing.framework import FrameworkSignable
from agreements.signing.snapshot import current_snapshot, snapshot_pdf
from core.pdf import render_pdf
from core.responses import PDF_TYPE, file_response


@login_required
def framework_list(request: HttpRequest) -> HttpResponse:
    frameworks = list(visible_frameworks(request.user).order_by("-period_start"))
    in_preparation, frameworks = nextframework_selectors.split_frameworks(frameworks)
    context = {
        "frameworks": frameworks,
        "in_preparation": in_preparation,
        "may_start": nextframework_selectors.startable_municipalities(request.user).exists(),
    }
    return render(request, "agreements/framework_list.html", context)


@login_required
def framework_detail(request: HttpRequest, slug: str) -> HttpResponse:
    framework = get_framework_for_user(request.user, slug)
    # Up for signing or signed: the document part as put up, never live data.
    snapshot = current_snapshot(FrameworkSignable(framework))
    context = {
        "framework": framework,
        "snapshot": snapshot,
        # The concept is drafted by the working group and read (with comments) by every party.
        "can_draft": drafting.can_edit(request.user, framework),
        "can_read_draft": is_editable(framework) and drafting.can_comment(request.user, framework),
    }
    context.update(nextframework_selectors.drafting_panel(framework, request.user))
    if snapshot is None or not snapshot.shown:
        context.update(FrameworkSignable(framework).pdf_context())
    return render(request, "agreements/framework_detail.html", context)


@login_required
def agreement_detail(request: HttpRequest, slug: str, theme: int, number: int) -> HttpResponse:
    framework = get_framework_for_user(request.user, slug)
    agreement = selectors.framework_agreement(framework, theme_number=theme, number=number)
    previous, following = selectors.agreement_neighbours(agreement)
    context = {
        "framework": framework,
        "agreement": agreement,
        "previous": previous,
        "following": following,
    }
    return render(request, "agreements/agreement_detail.html", context)


@login_required
def target_list(request: HttpRequest, slug: str) -> HttpResponse:
    framework = get_framework_for_user(request.user, slug)
    form = TargetFilterForm(request.GET or None, framework=framework)
    theme = party = None
    if form.is_valid():
        theme = form.cleaned_data["theme"]
        party = form.cleaned_data["party"]
    targets = selectors.framework_targets(framework, theme=theme, party=party)
    template = "agreements/target_list.html"
    # A history restore (Back after a filter) needs the whole page, not the fragment.
    if request.htmx and not request.htmx.history_restore_request:
        template += "#target-table"
    context = {"framework": framework, "form": form, "targets": targets}
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
def framework_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    framework = get_framework_for_user(request.user, slug)
    signable = FrameworkSignable(framework)
    snapshot = current_snapshot(signable)
    if snapshot is not None and snapshot.shown:
        # The version put up for signing: the signed PDF, or while open the stored document.
        pdf = snapshot_pdf(snapshot.request)
    else:
        pdf = render_pdf(signable.pdf_template(), signable.pdf_context())
    filename = f"{slugify(framework.title)}.pdf"
    return file_response(pdf, filename=filename, content_type=PDF_TYPE)
