from django.urls import include, path

app_name = "agendas"

urlpatterns = [
    path("", include("agendas.drafting.views")),
    path("", include("agendas.drafting.attachment_views")),
    path("", include("agendas.drafting.budget_views")),
    path("", include("agendas.drafting.commitment_views")),
    path("", include("agendas.decision.views")),
    path("", include("agendas.monitoring.views")),
    path("", include("agendas.monitoring.spreadsheet_views")),
]
