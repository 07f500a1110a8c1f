"""API of saved filters (``/api/v1/saved-filters``): a person lists, reads, creates and deletes only their
own (someone else's answers 404). The same service as the page (``reports.saved_filters``): only valid,
non-empty filters are stored; saving under an existing name replaces that filter's query."""

from __future__ import annotations

from django.http import Http404
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from reports.models import SavedFilter
from reports.permissions import dashboard_policy
from reports.saved_filters import saved_filter_delete, saved_filter_save, saved_filters_for

TAG = ["bewaarde filters"]


class SavedFilterSerializer(serializers.ModelSerializer):
    query = serializers.CharField(
        max_length=500,
        allow_blank=True,
        help_text="De filters als querystring van het dashboard, bijvoorbeeld `region=3&theme=2`.",
    )

    class Meta:
        model = SavedFilter
        fields = ["id", "name", "query", "created_at"]
        read_only_fields = ["id", "created_at"]
        extra_kwargs = {"name": {"allow_blank": True, "validators": []}}


class SavedFilterListView(ListAPIView):
    serializer_class = SavedFilterSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the OpenAPI document
            return SavedFilter.objects.none()
        dashboard_policy.check(self.request.user)  # 403 for who may not see the dashboard
        return saved_filters_for(self.request.user).order_by("name", "pk")

    @extend_schema(tags=TAG, summary="Uw bewaarde filters")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=TAG,
        summary="Filter bewaren",
        description="Bewaart een geldig, niet-leeg filter onder een naam (uniek per persoon: dezelfde naam "
        "vervangt de filters). 400 bij een lege naam of een leeg of ongeldig filter; 403 zonder dashboard.",
        request=SavedFilterSerializer,
        responses={201: SavedFilterSerializer},
    )
    def post(self, request):
        data = SavedFilterSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        saved = saved_filter_save(user=request.user, **data.validated_data)
        return Response(SavedFilterSerializer(saved).data, status=status.HTTP_201_CREATED)


class SavedFilterDetailView(APIView):
    @extend_schema(tags=TAG, summary="Eén bewaard filter", responses=SavedFilterSerializer)
    def get(self, request, pk):
        dashboard_policy.check(request.user)
        try:
            saved = saved_filters_for(request.user).get(pk=pk)
        except SavedFilter.DoesNotExist:
            raise Http404 from None
        return Response(SavedFilterSerializer(saved).data)

    @extend_schema(tags=TAG, summary="Bewaard filter verwijderen", responses={204: None})
    def delete(self, request, pk):
        dashboard_policy.check(request.user)
        try:
            saved_filter_delete(user=request.user, pk=pk)
        except SavedFilter.DoesNotExist:
            raise Http404 from None
        return Response(status=status.HTTP_204_NO_CONTENT)


urlpatterns = [
    path("saved-filters", SavedFilterListView.as_view(), name="api-saved-filters"),
    path("saved-filters/<int:pk>", SavedFilterDetailView.as_view(), name="api-saved-filter"),
]
