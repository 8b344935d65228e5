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
