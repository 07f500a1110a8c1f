from django.urls import include, path
from rest_framework.routers import DefaultRouter

from agendas import search_api
from agendas.decision import api as workflow
from agendas.decision import review_api
from agendas.drafting import api as drafting
from agendas.drafting import commitment_api
from agendas.monitoring import api as monitoring
from agendas.monitoring.spreadsheet_views import api_urlpatterns as spreadsheet_api
from agendas.rijk import api as rijk_api
from reports import saved_filter_api


class Router(DefaultRouter):
    include_format_suffixes = False  # one URL per resource: fewer routes to secure and probe
    include_root_view = False  # the API's root is /api/v1 (kansenagenda.openapi.ApiRootView)

    def get_lookup_regex(self, viewset, lookup_prefix=""):
        # Ids are integers: anything else is a 404 at the URL level, never a 500 in a query.
        if not getattr(viewset, "lookup_value_regex", None):
            viewset.lookup_value_regex = "[0-9]+"
        return super().get_lookup_regex(viewset, lookup_prefix)


router = Router(trailing_slash=False)  # NL API Design Rules: no trailing slash (docs/api.md)
drafting.register(router)
workflow.register(router)
monitoring.register(router)

urlpatterns = [
    path("", include(router.urls)),
    path("", include(drafting)),
    path("", include(commitment_api)),
    path("", include(workflow)),
    path("", include(review_api)),
    path("", include(monitoring)),
    path("", include(spreadsheet_api)),
    path("", include(search_api)),
    path("", include(saved_filter_api)),
    path("", include(rijk_api)),
]
