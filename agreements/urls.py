from django.urls import path

from . import views

app_name = "agreements"

urlpatterns = [
    path("", views.framework_list, name="framework-list"),
    path("<slug:slug>/", views.framework_detail, name="framework-detail"),
    path("<slug:slug>/doelen/", views.target_list, name="target-list"),
    path("<slug:slug>/pdf/", views.framework_pdf, name="framework-pdf"),
    path(
        "<slug:slug>/afspraken/<int:theme>.<int:number>/",
        views.agreement_detail,
        name="agreement-detail",
    ),
]

# Signing, verification (agreements.signing_urls) and addenda. The signing patterns come first:
# "ondertekening/" would otherwise be read as the slug of a framework.
from . import addenda_views  # noqa: E402
from .signing_urls import urlpatterns as signing_urlpatterns  # noqa: E402

urlpatterns = signing_urlpatterns + urlpatterns
urlpatterns += [
    path("<slug:slug>/addenda/", addenda_views.addendum_list, name="addendum-list"),
    path("<slug:slug>/addenda/nieuw/", addenda_views.addendum_propose, name="addendum-propose"),
    path(
        "<slug:slug>/addenda/<int:number>/",
        addenda_views.addendum_detail,
        name="addendum-detail",
    ),
    path(
        "<slug:slug>/versies/<int:version>/",
        addenda_views.framework_version,
        name="framework-version",
    ),
]
