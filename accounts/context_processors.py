from django.conf import settings


def navigation(request):
    context = {"LANGUAGES_AVAILABLE": settings.LANGUAGES, "oidc_enabled": settings.OIDC_ENABLED}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        from accounts.selectors import second_factor_missing
        from reports.permissions import dashboard_policy, need_policy

        # Until the second factor is verified every page but the verification page is closed: offer no menu.
        context["second_factor_pending"] = second_factor_missing(user)

        context["nav_dashboard"] = dashboard_policy.can_view(user)
        context["nav_need"] = need_policy.can_view(user)
    return context
