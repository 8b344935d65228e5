from django.urls import path

from agreements import views
from agreements.addenda import views as addenda_views
from agreements.drafting.urls import urlpatterns as drafting_urlpatterns
from agreements.nextframework import views as nextframework_views
from agreements.signing.urls import urlpatterns as signing_urlpatterns

app_name = "agreements"

# The signing patterns come first: "ondertekening/" would otherwise be read as a framework slug.
urlpatterns = [
    *signing_urlpatterns,
    *drafting_urlpatterns,
    path("", views.framework_list, name="framework-list"),
    # Before "<slug:slug>/": "nieuw" is not a framework.
    path("nieuw/", nextframework_views.framework_new, name="framework-new"),
    path("<slug:slug>/", views.framework_detail, name="framework-detail"),
    path("<slug:slug>/status/", nextframework_views.framework_status, name="framework-status"),
    path(
        "<slug:slug>/beleidsbasis/nieuw/",
        nextframework_views.policy_basis_new,
        name="policy-basis-new",
    ),
    path(
        "<slug:slug>/beleidsbasis/<int:pk>/",
        nextframework_views.policy_basis_edit,
        name="policy-basis-edit",
    ),
    path(
        "<slug:slug>/beleidsbasis/<int:pk>/verwijderen/",
        nextframework_views.policy_basis_remove,
        name="policy-basis-remove",
    ),
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
