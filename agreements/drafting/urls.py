"""URLs of a framework in concept, included in agreements.urls (namespace "agreements")."""

from django.urls import path

from agreements.drafting import views

_piece = "<slug:slug>/concept/<str:kind>/<int:piece_id>/"
urlpatterns = [
    path("concept/reactie/<int:pk>/afhandelen/", views.comment_resolve, name="concept-resolve"),
    path("<slug:slug>/concept/", views.concept, name="concept"),
    path("<slug:slug>/concept/geschiedenis/", views.history, name="concept-history"),
    path("<slug:slug>/concept/<str:kind>/nieuw/", views.piece_add, name="concept-add"),
    path(_piece, views.piece, name="concept-piece"),
    path(_piece + "bewerken/", views.piece_edit, name="concept-piece-edit"),
    path(_piece + "aanwezig/", views.presence, name="concept-presence"),
    path(_piece + "reacties/", views.comment_add, name="concept-comment"),
    path(_piece + "geschiedenis/", views.piece_history, name="concept-piece-history"),
    path(_piece + "verwijderen/", views.piece_remove, name="concept-remove"),
]
