from django.urls import include, path

app_name = "agendas"

urlpatterns = [
    path("", include("agendas.views.drafting")),
    path("", include("agendas.views.workflow")),
    path("", include("agendas.views.monitoring")),
]
