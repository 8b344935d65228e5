"""Pages of two-step verification: manage (reset), set up, and the login's code step."""

from __future__ import annotations

from urllib.parse import urlencode

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from agreements.twofactor import services
from agreements.twofactor.forms import CodeForm, LoginCodeForm, ResetForm
from agreements.twofactor.qr import qr_data_uri, secret_base32


def _next(request: HttpRequest) -> str:
    """Where to go afterwards: a local ?next= address, else the start page."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@login_required
def manage(request: HttpRequest) -> HttpResponse:
    form = ResetForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.device_reset(user=request.user, password=form.cleaned_data["password"])
            except services.TwoFactorError as error:
                form.add_error(error.field, str(error))
            else:
                messages.success(
                    request,
                    _("Tweestapsverificatie is verwijderd. Stel haar opnieuw in met uw app."),
                )
                return redirect("twofactor:setup")
        status = 400
    device = services.device_for_user(request.user)
    context = {
        "device": device,
        "recovery_left": services.recovery_codes_left(request.user) if device else 0,
        "form": form,
    }
    return render(request, "twofactor/manage.html", context, status=status)


@never_cache  # the secret and the recovery codes must not stay in a cache
@login_required
def setup(request: HttpRequest) -> HttpResponse:
    next_url = _next(request)
    if services.has_device(request.user):
        messages.info(request, _("Tweestapsverificatie is al ingesteld."))
        return redirect(next_url)
    device = services.device_setup_start(user=request.user)
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                codes = services.device_confirm(user=request.user, code=form.cleaned_data["code"])
            except services.TwoFactorError as error:
                form.add_error(error.field, str(error))
            else:
                device.refresh_from_db()
                # The user just proved they hold the app: this session counts as verified.
                django_otp.login(request, device)
                # Shown this once, in the answer to the POST: only digests are stored.
                return render(
                    request,
                    "twofactor/recovery_codes.html",
                    {"codes": codes, "next": next_url},
                )
        status = 400
    context = {
        "form": form,
        "secret": secret_base32(device),
        "qr": qr_data_uri(device),
        "next": next_url,
    }
    return render(request, "twofactor/setup.html", context, status=status)


@login_required
def login_verify(request: HttpRequest) -> HttpResponse:
    next_url = _next(request)
    if request.user.is_verified():
        return redirect(next_url)
    if not services.has_device(request.user):
        return redirect(f"{reverse('twofactor:setup')}?{urlencode({'next': next_url})}")
    form = LoginCodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                device = services.login_verify(user=request.user, code=form.cleaned_data["code"])
            except services.TwoFactorError as error:
                form.add_error(error.field, str(error))
            else:
                django_otp.login(request, device)
                return redirect(next_url)
        status = 400
    return render(
        request, "twofactor/login_verify.html", {"form": form, "next": next_url}, status=status
    )
