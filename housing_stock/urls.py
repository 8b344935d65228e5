from django.urls import path

from housing_stock import views

app_name = "housing_stock"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("totaal/", views.party_detail, name="total-detail"),
    path("partij/<slug:slug>/", views.party_detail, name="party-detail"),
    path("momentopname/<int:pk>/", views.snapshot_detail, name="snapshot-detail"),
    path("momentopname/<int:pk>/export.xlsx", views.snapshot_export, name="snapshot-export"),
    path("vergelijking/", views.comparison, name="comparison"),
    path("vergelijking/export.xlsx", views.comparison_export, name="comparison-export"),
    path("import/", views.import_page, name="import"),
    path("import/geschiedenis/", views.import_history, name="import-history"),
    path("import/<int:pk>/", views.import_detail, name="import-detail"),
    path("import/<int:pk>/bevestigen/", views.import_confirm, name="import-confirm"),
    path("import/<int:pk>/annuleren/", views.import_cancel, name="import-cancel"),
    path("import/<int:pk>/opnieuw/", views.import_retry, name="import-retry"),
    path("sjabloon/<str:kind>.xlsx", views.template_download, name="template"),
]
