from django.urls import include, path
from rest_framework.routers import DefaultRouter

from agendas.api import drafting, workflow


class Router(DefaultRouter):
    include_format_suffixes = False  # one URL per resource: fewer routes to secure and probe


router = Router()
drafting.register(router)
workflow.register(router)

urlpatterns = [
    path("", include(router.urls)),
    path("", include(drafting)),
    path("", include(workflow)),
]
