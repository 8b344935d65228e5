from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agreements.models import Party
from core.already import AlreadyDone
from core.responses import XLSX_TYPE, file_response
from housing_stock import access, charts, selectors, services, workbooks
from housing_stock.forms import ComparisonForm, StockImportForm
from housing_stock.importing.parsing import describe_error


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    return file_response(content, filename=filename, content_type=XLSX_TYPE)


def _corporations(municipality: Party):
    return (
        Party.objects.filter(municipality=municipality)
        .exclude(kind__in=[Party.Kind.MUNICIPALITY, Party.Kind.TENANT_ORGANISATION])
        .order_by("name")
    )


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    municipality = access.get_municipality_for_user(request.user, request.GET.get("gemeente"))
    groups = selectors.stock_overview(municipality)
    total = next((g for g in groups if g.party is None), None)
    municipal = selectors.latest_of(total.summaries) if total else {}
    context = {
        "municipality": municipality,
        "groups": groups,
        "total_group": total,
        "charts": charts.stock_charts(
            municipal, nultreden_target=selectors.nultreden_target(municipality)
        ),
        "may_import": access.may_import(request.user, municipality),
    }
    return render(request, "housing_stock/overview.html", context)


@login_required
def party_detail(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    municipality = access.get_municipality_for_user(request.user, request.GET.get("gemeente"))
    party = None
    if slug is not None:
        party = _corporations(municipality).filter(slug=slug).first()
        if party is None:
            raise Http404("Corporatie niet gevonden")
    summaries = selectors.party_snapshots(municipality, party)
    current = [s for s in summaries if s.snapshot.is_current]
    context = {
        "municipality": municipality,
        "party": party,
        "summaries": summaries,
        "charts": charts.stock_charts(
            selectors.latest_of(current),
            nultreden_target=selectors.nultreden_target(municipality) if party is None else None,
        ),
    }
    return render(request, "housing_stock/party_detail.html", context)


@login_required
def snapshot_detail(request: HttpRequest, pk: int) -> HttpResponse:
    snapshot = access.get_snapshot_for_user(request.user, pk)
    tables = selectors.snapshot_tables(snapshot)
    by_key = {t.table: t for t in tables}
    siblings = selectors.sibling_sources(snapshot)
    context = {
        "snapshot": snapshot,
        "tables": tables,
        "siblings": siblings,
        "own_totals": [(t.title, t.total) for t in tables if t.table in selectors.TOTALLING_TABLES],
        "charts": charts.stock_charts(
            by_key,
            nultreden_target=(
                selectors.nultreden_target(snapshot.municipality)
                if "nultreden" in by_key and snapshot.party_id is None
                else None
            ),
        ),
    }
    return render(request, "housing_stock/snapshot_detail.html", context)


@login_required
def snapshot_export(request: HttpRequest, pk: int) -> HttpResponse:
    snapshot = access.get_snapshot_for_user(request.user, pk)
    content = workbooks.snapshot_export(snapshot, selectors.snapshot_tables(snapshot))
    return _xlsx(content, f"voorraad-{slugify(snapshot.title)}-{snapshot.peildatum:%Y-%m-%d}.xlsx")


def _comparison_scope(request: HttpRequest) -> tuple[Party, Party | None, ComparisonForm]:
    municipality = access.get_municipality_for_user(request.user, request.GET.get("gemeente"))
    corporations = list(_corporations(municipality))
    form = ComparisonForm(request.GET or None, parties=corporations)
    party = None
    if form.is_valid() and form.cleaned_data["partij"]:
        party = next(p for p in corporations if p.slug == form.cleaned_data["partij"])
    return municipality, party, form


@login_required
def comparison(request: HttpRequest) -> HttpResponse:
    municipality, party, form = _comparison_scope(request)
    context = {
        "municipality": municipality,
        "party": party,
        "form": form,
        "tables": selectors.comparison(municipality, party),
    }
    template = "housing_stock/comparison.html"
    if request.htmx:
        template += "#comparison-tables"
    return render(request, template, context)


@login_required
def comparison_export(request: HttpRequest) -> HttpResponse:
    municipality, party, _form = _comparison_scope(request)
    scope = party.name if party else _("alle corporaties samen")
    title = _("Woningvoorraad %(scope)s, %(municipality)s: vergelijking per peildatum") % {
        "scope": scope,
        "municipality": municipality.name,
    }
    content = workbooks.comparison_export(title, selectors.comparison(municipality, party))
    return _xlsx(content, f"voorraad-vergelijking-{slugify(scope)}.xlsx")


@login_required
def import_page(request: HttpRequest) -> HttpResponse:
    municipality = access.get_municipality_for_user(request.user, request.GET.get("gemeente"))
    parties = access.importable_parties(request.user, municipality)
    if not parties.exists():
        raise Http404("Geen importrechten")
    form = StockImportForm(request.POST or None, request.FILES or None, parties=parties)
    if request.method == "POST" and form.is_valid():
        try:
            stock_import = services.stock_import_create(
                user=request.user,
                party=form.cleaned_data["party"],
                peildatum=form.cleaned_data["peildatum"],
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            return redirect("housing_stock:import-detail", stock_import.pk)
    return render(
        request, "housing_stock/import.html", {"form": form, "municipality": municipality}
    )


@login_required
def import_history(request: HttpRequest) -> HttpResponse:
    imports = selectors.import_history(access.visible_imports(request.user))
    page = Paginator(imports, 20).get_page(request.GET.get("pagina"))
    return render(request, "housing_stock/import_history.html", {"page": page})


@login_required
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    stock_import = access.get_import_for_user(request.user, pk)
    context = {
        "stock_import": stock_import,
        "errors": [describe_error(e) for e in stock_import.error_report],
        "may_decide": access.can_import_for(request.user, stock_import.party),
        "snapshot": getattr(stock_import, "snapshot", None),
    }
    template = "housing_stock/import_detail.html"
    if request.htmx:
        template += "#import-status"
    return render(request, template, context)


@login_required
@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    stock_import = access.get_import_for_user(request.user, pk)
    try:
        services.stock_import_confirm(user=request.user, stock_import=stock_import)
    except AlreadyDone as done:  # a second click or a colleague was first: not an error
        messages.info(request, " ".join(done.messages))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("De nieuwe cijfers vervangen de eerdere; die blijven in de geschiedenis.")
        )
    return redirect("housing_stock:import-detail", pk)


@login_required
@require_POST
def import_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    stock_import = access.get_import_for_user(request.user, pk)
    try:
        services.stock_import_cancel(user=request.user, stock_import=stock_import)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.info(request, _("De import is geannuleerd; de eerdere cijfers blijven staan."))
    return redirect("housing_stock:import-detail", pk)


@login_required
@require_POST
def import_retry(request: HttpRequest, pk: int) -> HttpResponse:
    """'Probeer opnieuw' of an import whose job failed by itself (time limit, lost worker)."""
    stock_import = access.get_import_for_user(request.user, pk)
    try:
        services.stock_import_retry(user=request.user, stock_import=stock_import)
    except AlreadyDone as done:
        messages.info(request, " ".join(done.messages))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("housing_stock:import-detail", pk)


@login_required
def template_download(request: HttpRequest, kind: str) -> HttpResponse:
    if kind == "totaaltabellen":
        return _xlsx(workbooks.aggregate_template(), "sjabloon-woningvoorraad-totaaltabellen.xlsx")
    if kind == "woningen":
        return _xlsx(workbooks.units_template(), "sjabloon-woningvoorraad-per-woning.xlsx")
    raise Http404("Onbekend sjabloon")
