"""URLs of signing and verification, prepended to agreements.urls (under /kaders/)."""

from django.urls import path

from agreements.signing import views

doc = "ondertekening/<str:document_type>/<int:pk>/"

urlpatterns = [
    path("ondertekening/", views.overview, name="signing-overview"),
    path("ondertekening/verifieer/", views.verify, name="signing-verify"),
    path(doc, views.document, name="signing-document"),
    path(doc + "aanbieden/", views.put_up, name="signing-put-up"),
    path(doc + "pdf/", views.document_pdf, name="signing-document-pdf"),
    path(doc + "ronde/<int:round>/tekenen/", views.sign, name="signing-sign"),
    path(doc + "ronde/<int:round>/weigeren/", views.decline, name="signing-decline"),
    path(doc + "ronde/<int:round>/ondertekend.pdf", views.signed_pdf, name="signing-signed-pdf"),
]
