from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Organisation, Region
from accounts.permissions import user_organisations, user_regions


class OrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name", "type", "identifier"]


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["id", "name", "code"]


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    name = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())
    role_labels = serializers.ListField(child=serializers.CharField())
    organisations = OrganisationSerializer(many=True)
    regions = RegionSerializer(many=True)


class MeView(APIView):
    @extend_schema(responses=MeSerializer, summary="De ingelogde gebruiker, rollen, organisaties en regio's")
    def get(self, request):
        user = request.user
        data = {
            "id": user.pk,
            "email": user.email,
            "name": user.get_full_name(),
            "roles": sorted(user.role_codes),
            "role_labels": user.role_labels,
            "organisations": user_organisations(user),
            "regions": user_regions(user),
        }
        return Response(MeSerializer(data).data)
