"""drafting pages."""

urlpatterns: list = []
