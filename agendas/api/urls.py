from django.urls import include, path
from rest_framework.routers import DefaultRouter

from agendas.api import drafting, workflow

router = DefaultRouter()
drafting.register(router)
workflow.register(router)

urlpatterns = [
    path("", include(router.urls)),
    path("", include(drafting)),
    path("", include(workflow)),
]
