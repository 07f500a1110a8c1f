"""API for attachments (/api/v1/attachments/): upload (scanned), protected download, delete."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from agendas.drafting import attachments as attachment_services
from agendas.drafting import serializers as s
from agendas.drafting.api_base import ERROR_400, ERROR_403, agenda_for, visible_agenda_ids
from agendas.models import (
    Attachment,
)
from kansenagenda.api import LimitedJSONParser


@extend_schema_view(
    list=extend_schema(tags=["bijlagen"]),
    retrieve=extend_schema(tags=["bijlagen"]),
    destroy=extend_schema(tags=["bijlagen"], responses={204: None, 403: ERROR_403}),
)
class AttachmentViewSet(
    viewsets.GenericViewSet,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
):
    serializer_class = s.AttachmentSerializer
    filterset_fields = ["agenda", "content_type"]
    parser_classes = [MultiPartParser, FormParser, LimitedJSONParser]

    def get_queryset(self):
        return (
            Attachment.objects.filter(agenda__in=visible_agenda_ids(self.request.user))
            .select_related("uploaded_by")
            .order_by("-uploaded_at", "pk")
        )

    @extend_schema(
        tags=["bijlagen"],
        request={"multipart/form-data": s.AttachmentUploadSerializer},
        responses={201: s.AttachmentSerializer, 400: ERROR_400, 403: ERROR_403},
    )
    def create(self, request, *args, **kwargs):
        serializer = s.AttachmentUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        agenda = agenda_for(request.user, data["agenda"])
        attachment = attachment_services.attachment_add(
            agenda=agenda, actor=request.user, uploaded_file=data["file"], description=data.get("description", "")
        )
        return Response(self.get_serializer(attachment).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        attachment_services.attachment_delete(attachment=instance, actor=self.request.user)

    @extend_schema(
        tags=["bijlagen"],
        summary="Bestand downloaden (Content-Disposition: attachment)",
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        attachment = self.get_object()
        return attachment_services.attachment_download(request, attachment)
