"""API for comments on an agenda (/api/v1/comments/)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.response import Response

from agendas.drafting import comments as comment_services
from agendas.drafting import serializers as s
from agendas.drafting.api_base import ERROR_400, ERROR_403, agenda_for, visible_agenda_ids
from agendas.models import (
    Comment,
)


@extend_schema_view(
    list=extend_schema(tags=["reacties"]),
    retrieve=extend_schema(tags=["reacties"]),
    create=extend_schema(
        tags=["reacties"],
        responses={201: s.CommentSerializer, 400: ERROR_400, 403: ERROR_403},
        examples=[
            OpenApiExample(
                "Reactie op een prioriteit",
                request_only=True,
                value={
                    "agenda": 1,
                    "section": "priority",
                    "priority": 12,
                    "body": "Kunnen we ook de huisartsen betrekken?",
                },
            ),
            OpenApiExample(
                "Antwoord",
                request_only=True,
                value={"agenda": 1, "section": "priority", "parent": 40, "body": "Goed idee."},
            ),
        ],
    ),
    update=extend_schema(tags=["reacties"], request=s.CommentUpdateSerializer),
    partial_update=extend_schema(tags=["reacties"], request=s.CommentUpdateSerializer),
    destroy=extend_schema(tags=["reacties"]),
)
class CommentViewSet(viewsets.ModelViewSet):
    """Threaded comments by alliance members. Only the author edits or removes a comment."""

    serializer_class = s.CommentSerializer
    filterset_fields = ["agenda", "section", "priority", "parent"]

    def get_queryset(self):
        return (
            Comment.objects.filter(agenda__in=visible_agenda_ids(self.request.user))
            .select_related("author")
            .order_by("created_at", "pk")
        )

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        agenda = agenda_for(request.user, data["agenda"].pk)
        comment = comment_services.comment_add(
            agenda=agenda,
            actor=request.user,
            section=data["section"],
            body=data["body"],
            priority=data.get("priority"),
            parent=data.get("parent"),
        )
        return Response(self.get_serializer(comment).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        comment = self.get_object()
        serializer = s.CommentUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        comment = comment_services.comment_update(
            comment=comment, actor=request.user, body=serializer.validated_data["body"]
        )
        return Response(self.get_serializer(comment).data)

    def destroy(self, request, *args, **kwargs):
        comment_services.comment_delete(comment=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
