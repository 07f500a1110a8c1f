"""The API as a user through either door: the session (as the website) or a token."""

from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


def api(user, door: str = "session") -> APIClient:
    client = APIClient()
    if door == "session":
        client.force_login(user)
    else:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client
