"""OpenAPI schema generation: the standard error responses documented on every operation."""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    """The one error body of this API."""

    message = serializers.CharField(help_text="Wat er mis is, in het Nederlands, zodat iemand ermee verder kan.")
    code = serializers.CharField(help_text="invalid, conflict, refused, not_found, permission_denied, …")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()), help_text="Fouten per veld."
    )
    reasons = serializers.ListField(child=serializers.CharField(), required=False)
    changes = serializers.DictField(required=False, help_text="Bij 409: wat er intussen is gewijzigd.")


class AutoSchema(SpectacularAutoSchema):
    """Documents the standard error responses on every operation."""

    ERROR_CODES = {
        "400": "Ongeldige invoer",
        "401": "Niet ingelogd",
        "403": "Geen toestemming",
        "404": "Niet gevonden of niet zichtbaar voor u",
        "409": "Conflict: gewijzigd door een ander, of actie nu niet toegestaan",
        "429": "Te veel verzoeken",
    }

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code, description in self.ERROR_CODES.items():
            if code not in responses:
                response = self._get_response_for_code(ErrorSerializer, code, direction=direction)
                response["description"] = description
                responses[code] = response
        return responses


from drf_spectacular.authentication import SessionScheme  # noqa: E402


class SecondFactorSessionScheme(SessionScheme):
    """The session authentication with the second-factor door check is still cookie authentication."""

    target_class = "accounts.authentication.SessionAuthentication"
    priority = 0
