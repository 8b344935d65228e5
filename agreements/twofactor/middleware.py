"""REQUIRE_2FA_LOGIN: signatories and administrators pass the code step before anything else.

Runs after django-otp's OTPMiddleware (request.user.is_verified()). Until the session is
verified, every page — the portal and the Django admin alike — redirects to the code step (or to
setting up the app, for someone who has none yet); only those pages, logging out, switching the
language and static files stay reachable.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from agreements.twofactor.policy import login_needs_second_factor
from agreements.twofactor.services import has_device


class LoginSecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.REQUIRE_2FA_LOGIN and self._must_verify(request):
            name = "twofactor:login-verify" if has_device(request.user) else "twofactor:setup"
            url = f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}"
            if request.headers.get("HX-Request"):
                return HttpResponse(status=204, headers={"HX-Redirect": url})
            return redirect(url)
        return self.get_response(request)

    @staticmethod
    def _must_verify(request: HttpRequest) -> bool:
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return False
        open_paths = (
            reverse("twofactor:login-verify"),
            reverse("twofactor:setup"),
            reverse("logout"),
            reverse("set_language"),
            settings.STATIC_URL,
        )
        if not login_needs_second_factor(user):
            return False
        # The code step's own pages: base.html shows no menu that would only lead back here.
        request.two_factor_pending = True
        return not request.path.startswith(open_paths)
