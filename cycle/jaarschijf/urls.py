"""URLs of the jaarschijf, included in cycle.urls (namespace "cycle")."""

from django.urls import path

from cycle.jaarschijf import views

_piece = "jaarschijf/<int:pk>/<str:kind>/<int:piece_id>/"
urlpatterns = [
    path("<int:pk>/jaarschijf/", views.for_year, name="jaarschijf-year"),
    path("jaarschijf/<int:pk>/", views.detail, name="jaarschijf-detail"),
    path("jaarschijf/<int:pk>/geschiedenis/", views.history, name="jaarschijf-history"),
    path("jaarschijf/<int:pk>/status/", views.transition, name="jaarschijf-state"),
    path("jaarschijf/<int:pk>/bijdrage/nieuw/", views.contribution_add, name="jaarschijf-add"),
    path(
        "jaarschijf/<int:pk>/bijwerken-uit-bod/", views.bid_updates, name="jaarschijf-bid-updates"
    ),
    path("jaarschijf/<int:pk>/jaarschijf.pdf", views.pdf, name="jaarschijf-pdf"),
    path("jaarschijf/<int:pk>/jaarschijf.xlsx", views.xlsx, name="jaarschijf-xlsx"),
    path(
        "jaarschijf/reactie/<int:pk>/afhandelen/", views.comment_resolve, name="jaarschijf-resolve"
    ),
    path(_piece, views.piece, name="jaarschijf-piece"),
    path(_piece + "bewerken/", views.piece_edit, name="jaarschijf-piece-edit"),
    path(_piece + "aanwezig/", views.presence, name="jaarschijf-presence"),
    path(_piece + "reacties/", views.comment_add, name="jaarschijf-comment"),
    path(_piece + "geschiedenis/", views.piece_history, name="jaarschijf-piece-history"),
]
