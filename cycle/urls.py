from django.urls import path

from . import views

app_name = "cycle"

urlpatterns = [
    path("", views.year_list, name="year-list"),
    path("nieuw/", views.year_create, name="year-create"),
    path("<int:pk>/", views.year_detail, name="year-detail"),
    path("<int:pk>/mijlpaal/nieuw/", views.milestone_add, name="milestone-add"),
    path("mijlpaal/<int:pk>/", views.milestone_edit, name="milestone-edit"),
    path("mijlpaal/<int:pk>/gereed/", views.milestone_done, name="milestone-done"),
    path("<int:pk>/bod/", views.my_bid, name="my-bid"),
    path("<int:pk>/bod/nieuw/", views.bid_start, name="bid-start"),
    path("<int:pk>/bod/sjabloon.xlsx", views.bid_template, name="bid-template"),
    path("<int:pk>/bod/upload/", views.bid_upload, name="bid-upload"),
    path("upload/<int:pk>/", views.upload_status, name="upload-status"),
    path("bod/<int:pk>/", views.bid_detail, name="bid-detail"),
    path("bod/<int:pk>/bewerken/", views.bid_edit, name="bid-edit"),
    path("bod/<int:pk>/indienen/", views.bid_submit, name="bid-submit"),
    path("bod/<int:pk>/pdf/", views.bid_pdf, name="bid-pdf"),
    path("bod/<int:pk>/vergelijk/", views.bid_compare, name="bid-compare"),
    path("kader/<slug:slug>/sommen/", views.sums, name="sums"),
    path("instellingen/", views.preferences, name="preferences"),
    path("agenda/<str:token>.ics", views.feed, name="feed"),
]

# --- jaarschijf (issue 5) ---------------------------------------------------------------------
from . import jaarschijf_views as jv  # noqa: E402

_piece = "jaarschijf/<int:pk>/<str:kind>/<int:piece_id>/"
urlpatterns += [
    path("<int:pk>/jaarschijf/", jv.for_year, name="jaarschijf-year"),
    path("jaarschijf/<int:pk>/", jv.detail, name="jaarschijf-detail"),
    path("jaarschijf/<int:pk>/geschiedenis/", jv.history, name="jaarschijf-history"),
    path("jaarschijf/<int:pk>/status/", jv.transition, name="jaarschijf-state"),
    path("jaarschijf/<int:pk>/bijdrage/nieuw/", jv.contribution_add, name="jaarschijf-add"),
    path("jaarschijf/<int:pk>/jaarschijf.pdf", jv.pdf, name="jaarschijf-pdf"),
    path("jaarschijf/<int:pk>/jaarschijf.xlsx", jv.xlsx, name="jaarschijf-xlsx"),
    path("jaarschijf/reactie/<int:pk>/afhandelen/", jv.comment_resolve, name="jaarschijf-resolve"),
    path(_piece, jv.piece, name="jaarschijf-piece"),
    path(_piece + "bewerken/", jv.piece_edit, name="jaarschijf-piece-edit"),
    path(_piece + "aanwezig/", jv.presence, name="jaarschijf-presence"),
    path(_piece + "reacties/", jv.comment_add, name="jaarschijf-comment"),
    path(_piece + "geschiedenis/", jv.piece_history, name="jaarschijf-piece-history"),
]

# --- evaluation (issue 6, part 6) -------------------------------------------------------------
from . import evaluation_views as ev  # noqa: E402

urlpatterns += [
    path("<int:pk>/evaluatie/", ev.for_year, name="evaluation-year"),
    path("<int:pk>/evaluatie/starten/", ev.start, name="evaluation-start"),
    path("evaluatie/<int:pk>/", ev.detail, name="evaluation-detail"),
    path("evaluatie/<int:pk>/realisatie/", ev.realisations, name="evaluation-realisations"),
    path("evaluatie/<int:pk>/jaarcijfers/", ev.figures, name="evaluation-figures"),
    path("evaluatie/<int:pk>/over-de-jaren/", ev.years, name="evaluation-years"),
    path("evaluatie/<int:pk>/conclusies/", ev.conclusion, name="evaluation-conclusion"),
    path("evaluatie/<int:pk>/reacties/", ev.comment, name="evaluation-comment"),
    path("evaluatie/<int:pk>/status/", ev.state, name="evaluation-state"),
    path("evaluatie/<int:pk>/evaluatie.pdf", ev.pdf, name="evaluation-pdf"),
    path("evaluatie/<int:pk>/pdf-status/", ev.pdf_status, name="evaluation-pdf-status"),
]
