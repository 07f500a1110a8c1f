"""drafting API (viewsets registered on the shared router)."""


def register(router) -> None:
    """Register this module's viewsets on the /api/v1/ router."""


urlpatterns: list = []
