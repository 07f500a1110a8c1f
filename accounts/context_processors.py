from django.conf import settings


def navigation(request):
    context = {"LANGUAGES_AVAILABLE": settings.LANGUAGES, "oidc_enabled": settings.OIDC_ENABLED}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        from reports.permissions import dashboard_policy, need_policy

        context["nav_dashboard"] = dashboard_policy.can_view(user)
        context["nav_need"] = need_policy.can_view(user)
    return context
