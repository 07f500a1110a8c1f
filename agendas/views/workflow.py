"""workflow pages."""

urlpatterns: list = []
