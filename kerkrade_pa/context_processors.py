from django.conf import settings

from agreements.access import user_party, user_role


def portal(request):
    return {
        "portal_name": settings.PORTAL_NAME,
        "theme_class": settings.PORTAL_THEME_CLASS,
        "theme_stylesheet": settings.PORTAL_THEME_STYLESHEET,
        "current_party": user_party(request.user) if hasattr(request, "user") else None,
        "current_role": user_role(request.user) if hasattr(request, "user") else None,
    }
