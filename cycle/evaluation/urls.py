"""URLs of the evaluation, included in cycle.urls (namespace "cycle")."""

from django.urls import path

from cycle.evaluation import views

urlpatterns = [
    path("<int:pk>/evaluatie/", views.for_year, name="evaluation-year"),
    path("<int:pk>/evaluatie/starten/", views.start, name="evaluation-start"),
    path("evaluatie/<int:pk>/", views.detail, name="evaluation-detail"),
    path("evaluatie/<int:pk>/realisatie/", views.realisations, name="evaluation-realisations"),
    path("evaluatie/<int:pk>/jaarcijfers/", views.figures, name="evaluation-figures"),
    path("evaluatie/<int:pk>/over-de-jaren/", views.years, name="evaluation-years"),
    path("evaluatie/<int:pk>/conclusies/", views.conclusion, name="evaluation-conclusion"),
    path("evaluatie/<int:pk>/reacties/", views.comment, name="evaluation-comment"),
    path("evaluatie/<int:pk>/status/", views.state, name="evaluation-state"),
    path("evaluatie/<int:pk>/evaluatie.pdf", views.pdf, name="evaluation-pdf"),
    path("evaluatie/<int:pk>/pdf-status/", views.pdf_status, name="evaluation-pdf-status"),
    path("evaluatie/<int:pk>/pdf-opnieuw/", views.pdf_retry, name="evaluation-pdf-retry"),
]
