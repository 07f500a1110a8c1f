from django.urls import include, path
from rest_framework.routers import DefaultRouter

from agendas.api import drafting, monitoring, workflow

router = DefaultRouter()
drafting.register(router)
workflow.register(router)
monitoring.register(router)

urlpatterns = [
    path("", include(router.urls)),
    path("", include(drafting)),
    path("", include(workflow)),
    path("", include(monitoring)),
]
