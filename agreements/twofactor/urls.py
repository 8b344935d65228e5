from django.urls import path

from agreements.twofactor import views

app_name = "twofactor"

urlpatterns = [
    path("", views.manage, name="manage"),
    path("instellen/", views.setup, name="setup"),
    path("code/", views.login_verify, name="login-verify"),
]
