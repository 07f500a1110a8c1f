"""OpenAPI schema generation: the standard error responses (problem+json) documented on every operation."""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

from kansenagenda.problems import PROBLEM_CONTENT_TYPE


class ErrorSerializer(serializers.Serializer):
    """The one error body of this API: application/problem+json (kansenagenda.problems)."""

    type = serializers.CharField(help_text="Het soort probleem (urn:kansenagenda:probleem:<code>).")
    title = serializers.CharField(help_text="Korte omschrijving van het soort probleem.")
    status = serializers.IntegerField(help_text="De HTTP-statuscode.")
    detail = serializers.CharField(help_text="Wat er mis is, in het Nederlands, zodat iemand ermee verder kan.")
    instance = serializers.CharField(help_text="Het pad van het verzoek.")
    code = serializers.CharField(help_text="invalid, conflict, refused, not_found, permission_denied, …")
    message = serializers.CharField(help_text="Gelijk aan detail (verouderd, blijft voor bestaande clients).")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()), help_text="Fouten per veld."
    )
    reasons = serializers.ListField(child=serializers.CharField(), required=False)
    changes = serializers.DictField(required=False, help_text="Bij 409: wat er intussen is gewijzigd.")
    current_lock_version = serializers.IntegerField(
        required=False, allow_null=True, help_text="Bij 409: de lock_version van nu."
    )
    correct_url = serializers.CharField(required=False, help_text="Bij 404 door een slash aan het eind.")


class AutoSchema(SpectacularAutoSchema):
    """Documents the standard error responses on every operation, all as application/problem+json."""

    ERROR_CODES = {
        "400": "Ongeldige invoer",
        "401": "Niet ingelogd",
        "403": "Geen toestemming",
        "404": "Niet gevonden of niet zichtbaar voor u",
        "405": "Methode niet toegestaan",
        "409": "Conflict: gewijzigd door een ander, of actie nu niet toegestaan",
        "415": "Mediatype niet ondersteund",
        "429": "Te veel verzoeken",
        "503": "Tijdelijk niet beschikbaar",
    }

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code, description in self.ERROR_CODES.items():
            if code not in responses:
                response = self._get_response_for_code(ErrorSerializer, code, direction=direction)
                response["description"] = description
                responses[code] = response
        return responses

    def _get_response_for_code(self, serializer, status_code, media_types=None, direction="response"):
        if str(status_code) >= "400":
            if isinstance(serializer, OpenApiResponse) and serializer.response is None:
                serializer = OpenApiResponse(ErrorSerializer, serializer.description, serializer.examples)
            elif serializer is None:
                serializer = ErrorSerializer
            media_types = [PROBLEM_CONTENT_TYPE]
        return super()._get_response_for_code(serializer, status_code, media_types, direction)


from drf_spectacular.authentication import SessionScheme  # noqa: E402


class SecondFactorSessionScheme(SessionScheme):
    """The session authentication with the second-factor door check is still cookie authentication."""

    target_class = "accounts.authentication.SessionAuthentication"
    priority = 0
