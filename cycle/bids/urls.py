"""URLs of the bids, included in cycle.urls (namespace "cycle")."""

from django.urls import path

from cycle.bids import views

urlpatterns = [
    path("<int:pk>/bod/", views.my_bid, name="my-bid"),
    path("<int:pk>/bod/nieuw/", views.bid_start, name="bid-start"),
    path("<int:pk>/bod/sjabloon.xlsx", views.bid_template, name="bid-template"),
    path("<int:pk>/bod/upload/", views.bid_upload, name="bid-upload"),
    path("upload/<int:pk>/", views.upload_status, name="upload-status"),
    path("upload/<int:pk>/opnieuw/", views.upload_retry, name="upload-retry"),
    path("bod/<int:pk>/", views.bid_detail, name="bid-detail"),
    path("bod/<int:pk>/bewerken/", views.bid_edit, name="bid-edit"),
    path("bod/<int:pk>/indienen/", views.bid_submit, name="bid-submit"),
    path("bod/<int:pk>/pdf/", views.bid_pdf, name="bid-pdf"),
    path("bod/<int:pk>/vergelijk/", views.bid_compare, name="bid-compare"),
    path("kader/<slug:slug>/sommen/", views.sums, name="sums"),
]
