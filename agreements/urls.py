from django.urls import path

from agreements import views
from agreements.addenda import views as addenda_views
from agreements.signing.urls import urlpatterns as signing_urlpatterns

app_name = "agreements"

# The signing patterns come first: "ondertekening/" would otherwise be read as a framework slug.
urlpatterns = [
    *signing_urlpatterns,
    path("", views.framework_list, name="framework-list"),
    path("<slug:slug>/", views.framework_detail, name="framework-detail"),
    path("<slug:slug>/doelen/", views.target_list, name="target-list"),
    path("<slug:slug>/pdf/", views.framework_pdf, name="framework-pdf"),
    path(
        "<slug:slug>/afspraken/<int:theme>.<int:number>/",
        views.agreement_detail,
        name="agreement-detail",
    ),
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
