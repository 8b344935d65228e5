from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from core.password_reset import ThrottledPasswordResetForm
from kerkrade_pa import views

urlpatterns = [
    path("", views.home, name="home"),
    path("kaders/", include("agreements.urls")),
    path("voorraad/", include("housing_stock.urls")),
    path("cyclus/", include("cycle.urls")),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path(
        "accounts/password_reset/",
        auth_views.PasswordResetView.as_view(
            form_class=ThrottledPasswordResetForm,
            extra_email_context={"portal_name": settings.PORTAL_NAME},
        ),
        name="password_reset",
    ),
    path("accounts/tweestapsverificatie/", include("agreements.twofactor.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
]
