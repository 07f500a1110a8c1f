from django.conf import settings

from accounts.models import User


def requires_two_factor(user: User) -> bool:
    return user.is_superuser or user.has_role(*settings.TWO_FACTOR_REQUIRED_ROLES)
