"""The login backend: Django's ModelBackend, but the user of a request comes with their role codes in the same
query (the page middleware, the logs and every policy ask ``user.role_codes`` on each request)."""

from __future__ import annotations

from django.contrib.auth import backends
from django.contrib.auth.models import Group
from django.db.models import Aggregate, CharField, OuterRef, Subquery

SEPARATOR = ","  # role codes are identifiers (accounts.roles): never contain a comma


class _JoinedNames(Aggregate):
    """The names joined by SEPARATOR: STRING_AGG on PostgreSQL, GROUP_CONCAT on SQLite."""

    function = "STRING_AGG"
    template = "%(function)s(%(expressions)s, '" + SEPARATOR + "')"
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, function="GROUP_CONCAT", **extra)


def with_role_codes(queryset):
    names = Group.objects.filter(user=OuterRef("pk")).values("user").annotate(joined=_JoinedNames("name"))
    return queryset.annotate(_joined_role_codes=Subquery(names.values("joined")[:1]))


class ModelBackend(backends.ModelBackend):
    def get_user(self, user_id):
        from accounts.models import User

        user = with_role_codes(User._default_manager.filter(pk=user_id)).first()
        if user is None or not self.user_can_authenticate(user):
            return None
        joined = user.__dict__.pop("_joined_role_codes", None) or ""
        user.__dict__["role_codes"] = frozenset(code for code in joined.split(SEPARATOR) if code)  # cached_property
        return user
