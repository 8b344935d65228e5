"""URLs of the end-evaluation, included in cycle.urls (namespace "cycle")."""

from django.urls import path

from cycle.endevaluation import views

urlpatterns = [
    path("kader/<slug:slug>/eindevaluatie/", views.detail, name="end-evaluation"),
    path("kader/<slug:slug>/eindevaluatie/opstellen/", views.start, name="end-evaluation-start"),
    path(
        "kader/<slug:slug>/eindevaluatie/conclusie/<int:theme>/",
        views.conclusion,
        name="end-evaluation-conclusion",
    ),
    path("kader/<slug:slug>/eindevaluatie.pdf", views.pdf, name="end-evaluation-pdf"),
    path(
        "kader/<slug:slug>/eindevaluatie/pdf-status/",
        views.pdf_status,
        name="end-evaluation-pdf-status",
    ),
    path(
        "kader/<slug:slug>/eindevaluatie/pdf-opnieuw/",
        views.pdf_retry,
        name="end-evaluation-pdf-retry",
    ),
]
