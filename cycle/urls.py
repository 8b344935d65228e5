from django.urls import path

from cycle import views
from cycle.bids.urls import urlpatterns as bid_urls
from cycle.endevaluation.urls import urlpatterns as end_evaluation_urls
from cycle.evaluation.urls import urlpatterns as evaluation_urls
from cycle.jaarschijf.urls import urlpatterns as jaarschijf_urls

app_name = "cycle"

urlpatterns = [
    path("", views.year_list, name="year-list"),
    path("nieuw/", views.year_create, name="year-create"),
    path("<int:pk>/", views.year_detail, name="year-detail"),
    path("<int:pk>/kader/", views.year_attach, name="year-attach"),
    path("<int:pk>/mijlpaal/nieuw/", views.milestone_add, name="milestone-add"),
    path("mijlpaal/<int:pk>/", views.milestone_edit, name="milestone-edit"),
    path("mijlpaal/<int:pk>/gereed/", views.milestone_done, name="milestone-done"),
    path("instellingen/", views.preferences, name="preferences"),
    path("agenda/<str:token>.ics", views.feed, name="feed"),
    *bid_urls,
    *jaarschijf_urls,
    *evaluation_urls,
    *end_evaluation_urls,
]
