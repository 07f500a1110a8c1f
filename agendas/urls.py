from django.urls import include, path

app_name = "agendas"

urlpatterns = [
    path("", include("agendas.drafting.views")),
    path("", include("agendas.drafting.attachment_views")),
    path("", include("agendas.drafting.budget_views")),
    path("", include("agendas.search_views")),
    path("", include("agendas.drafting.print_views")),
    path("", include("agendas.drafting.commitment_views")),
    path("", include("agendas.decision.views")),
    path("", include("agendas.decision.check_views")),
    path("", include("agendas.decision.bulk_views")),
    path("", include("agendas.decision.review_comparison")),
    path("", include("agendas.decision.review_views")),
    path("", include("agendas.monitoring.views")),
    path("", include("agendas.monitoring.change_request_views")),
    path("", include("agendas.monitoring.check_views")),
    path("", include("agendas.archive.views")),
    path("", include("agendas.monitoring.theory_views")),
    path("", include("agendas.welfare.views")),
    path("", include("agendas.monitoring.spreadsheet_views")),
    path("", include("agendas.rijk.views")),
    path("", include("agendas.support.views")),
]
