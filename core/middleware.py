"""Response headers the portal sets on every response (one middleware, README "Security").

- ``Permissions-Policy`` (settings.PERMISSIONS_POLICY) on every response, static files
  included: the portal uses no camera, microphone, location, payment, USB or the like, so a
  page (or anything injected into one) may not ask for them either.
- ``Cache-Control: no-store`` on every response to a logged-in user: pages, htmx partials and
  downloads (PDF, .xlsx) hold party data that must not stay in a shared or browser cache after
  logout. Anonymous responses (the login page, public static files, the token calendar feed)
  keep their own caching. A view's own Cache-Control for a logged-in user is replaced: nothing
  behind the login is meant to be cached.

It sits above WhiteNoise so static files get the Permissions-Policy too; WhiteNoise answers
before the authentication middleware runs, so a static file never has ``request.user`` and
keeps its long cache.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def permissions_policy_header(policy: dict[str, list[str]]) -> str:
    """{"camera": [], "fullscreen": ["self"]} -> 'camera=(), fullscreen=(self)'."""
    return ", ".join(f"{feature}=({' '.join(allow)})" for feature, allow in policy.items())


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.permissions_policy = permissions_policy_header(settings.PERMISSIONS_POLICY)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers["Permissions-Policy"] = self.permissions_policy
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response.headers["Cache-Control"] = "no-store"
            response.headers.pop("Expires", None)
        return response
