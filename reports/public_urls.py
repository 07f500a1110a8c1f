"""Public (Woo) pages under /openbaar/: no login, no personal data."""

from django.urls import path

from reports import views

app_name = "public"

urlpatterns = [
    path("", views.public_index, name="index"),
    path("agendas/<int:pk>/", views.public_agenda, name="agenda"),
    path("agendas/<int:pk>/pdf/", views.public_pdf, name="pdf"),
]
