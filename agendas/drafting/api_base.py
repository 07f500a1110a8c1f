"""What the drafting API modules share: the OpenAPI parameters and error responses, the policy's visible agenda
ids, the agenda lookup (404 outside the policy), and the viewset that writes through the services."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.response import Response

from agendas.models import Agenda
from agendas.permissions import agenda_policy

LOCK_PARAM = OpenApiParameter(
    "lock_version",
    OpenApiTypes.INT,
    OpenApiParameter.QUERY,
    required=True,
    description="De versie die u wilt verwijderen.",
)

ERROR_400 = OpenApiResponse(
    description="Ongeldige invoer",
    examples=[
        OpenApiExample(
            "Jaar buiten de looptijd",
            value={
                "type": "urn:kansenagenda:probleem:invalid",
                "title": "Ongeldig verzoek",
                "status": 400,
                "detail": "De invoer is niet geldig.",
                "instance": "/api/v1/agendas/3",
                "message": "De invoer is niet geldig.",
                "code": "invalid",
                "errors": {
                    "end_year": [
                        "Het eindjaar (2025) ligt vóór het beginjaar (2027). Kies een eindjaar van 2027 of later."
                    ]
                },
            },
        )
    ],
)

ERROR_409 = OpenApiResponse(
    description="Verouderde lock_version: iemand anders heeft intussen gewijzigd",
    examples=[
        OpenApiExample(
            "Conflict",
            value={
                "type": "urn:kansenagenda:probleem:conflict",
                "title": "Conflict",
                "status": 409,
                "detail": "De agenda is gewijzigd door Anna de Vries (3 mei 2027 14:03) nadat u de pagina opende. "
                "Uw wijziging is niet opgeslagen. Bekijk wat er veranderd is en sla daarna opnieuw op.",
                "instance": "/api/v1/agendas/3",
                "message": "De agenda is gewijzigd door Anna de Vries (3 mei 2027 14:03) nadat u de pagina opende. "
                "Uw wijziging is niet opgeslagen. Bekijk wat er veranderd is en sla daarna opnieuw op.",
                "code": "conflict",
                "errors": {},
                "current_lock_version": 4,
                "changes": {
                    "title": {"label": "titel", "old": "Kansenagenda Oost", "new": "Kansenagenda Oost-Groningen"}
                },
            },
        )
    ],
)

ERROR_403 = OpenApiResponse(description="Geweigerd, met de reden (bijvoorbeeld: alleen de coördinator kan wijzigen)")


def lock_from_query(request):
    return request.query_params.get("lock_version")


def visible_agenda_ids(user):
    return agenda_policy.visible(user).values("pk")


def agenda_for(user, pk) -> Agenda:
    """Fetch a visible agenda (404 otherwise); the service decides whether the write is allowed."""
    return agenda_policy.get_for(user, pk, agenda_policy.VIEW)


def write_schema(name, serializer, *, tag, example=None):
    examples = [OpenApiExample(name, request_only=True, value=example)] if example else []
    return {
        "create": extend_schema(
            tags=[tag],
            request=serializer,
            responses={201: serializer, 400: ERROR_400, 403: ERROR_403},
            examples=examples,
        ),
        "update": extend_schema(
            tags=[tag], request=serializer, responses={200: serializer, 400: ERROR_400, 403: ERROR_403, 409: ERROR_409}
        ),
        "partial_update": extend_schema(
            tags=[tag], request=serializer, responses={200: serializer, 400: ERROR_400, 403: ERROR_403, 409: ERROR_409}
        ),
        "destroy": extend_schema(
            tags=[tag], parameters=[LOCK_PARAM], responses={204: None, 403: ERROR_403, 409: ERROR_409}
        ),
        "list": extend_schema(tags=[tag]),
        "retrieve": extend_schema(tags=[tag]),
    }


class ServiceModelViewSet(viewsets.ModelViewSet):
    """CRUD whose writes go through the services. Subclasses implement perform_* via the hooks below."""

    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        instance = self.service_create(request, dict(serializer.validated_data))
        return Response(self.get_serializer(self.reload(instance)).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        instance = self.get_object()
        serializer = self.get_serializer(instance, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        lock = data.pop("lock_version", None)
        instance = self.service_update(request, instance, data, lock)
        return Response(self.get_serializer(self.reload(instance)).data)

    def destroy(self, request, *args, **kwargs):
        instance = self.get_object()
        self.service_delete(request, instance, lock_from_query(request))
        return Response(status=status.HTTP_204_NO_CONTENT)

    def reload(self, instance):
        return self.get_queryset().get(pk=instance.pk)
