"""The API's public face (NL API Design Rules, docs/api.md): its base path ``/api/v1`` and the OpenAPI document
at ``/api/v1/openapi.json``, both readable without login; the document is open to every origin (CORS ``*``,
ADR /core/publish-openapi) – only the document, no other API URL.
"""

from django.urls import reverse
from drf_spectacular.renderers import OpenApiJsonRenderer, OpenApiJsonRenderer2
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from kansenagenda.version import API_VERSION


class OpenApiDocumentView(SpectacularAPIView):
    """The whole OpenAPI document, the same for everyone: no authentication is even read (a stale token or a
    session still waiting for its second factor does not turn the document into a 401/403)."""

    renderer_classes = [OpenApiJsonRenderer2, OpenApiJsonRenderer]  # application/json first
    authentication_classes: list = []
    permission_classes = [AllowAny]
    serve_public = True

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        return response


class ApiRootView(APIView):
    """``/api/v1``: where the API's document and its human-readable documentation are."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(exclude=True)
    def get(self, request):
        return Response(
            {
                "version": API_VERSION,
                "openapi": request.build_absolute_uri(reverse("api-schema")),
                "documentation": request.build_absolute_uri(reverse("api-docs")),
            }
        )
