"""Security events from every door, caught where Django, django-axes and django-otp announce them (so the
login page, the admin login, an API login or a management command are all covered). Infrastructure only:
each receiver calls ``record_security_event`` and nothing else."""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_init, post_save

from accounts.accesslog.services import Event, record_security_event


def _current_request():
    """The request being handled (django-simple-history keeps it per thread), for admin and signals."""
    from simple_history.models import HistoricalRecords

    return getattr(HistoricalRecords.context, "request", None)


def _logged_in(sender, request, user, **kwargs):
    record_security_event(event=Event.LOGIN, request=request, actor=user, obj=user)


def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        record_security_event(event=Event.LOGOUT, request=request, actor=user, obj=user)


def _login_failed(sender, credentials, request=None, **kwargs):
    from accounts.models import User

    # Django has already replaced the password in ``credentials``; only the name tried is kept.
    attempted = str(credentials.get("username") or credentials.get("email") or "")[:150]
    user = User.objects.filter(email__iexact=attempted).first() if attempted else None
    record_security_event(
        event=Event.LOGIN_FAILED, request=request, actor=user, obj=user, detail=f"gebruikersnaam: {attempted}"
    )


def _locked_out(sender, request, username, ip_address, **kwargs):
    from accounts.models import User

    user = User.objects.filter(email__iexact=username or "").first() if username else None
    record_security_event(
        event=Event.LOCKOUT, request=request, actor=user, obj=user, detail=f"gebruikersnaam: {(username or '')[:150]}"
    )


# --- second factor: a device confirmed (set up) or a failed verification (django-otp's throttling counter)
def _device_loaded(sender, instance, **kwargs):
    instance._ka_seen = (getattr(instance, "confirmed", None), getattr(instance, "throttling_failure_count", None))


def _device_saved(sender, instance, created, **kwargs):
    confirmed_before, failures_before = getattr(instance, "_ka_seen", (None, None))
    request = _current_request()
    user = instance.user
    if getattr(instance, "confirmed", False) and (created or confirmed_before is False):
        record_security_event(
            event=Event.SECOND_FACTOR_SETUP,
            request=request,
            actor=user,
            obj=user,
            detail=f"{sender._meta.verbose_name}",
        )
    failures = getattr(instance, "throttling_failure_count", None)
    if failures and failures_before is not None and failures > failures_before:
        record_security_event(
            event=Event.SECOND_FACTOR_FAILED,
            request=request,
            actor=user,
            obj=user,
            detail=f"{sender._meta.verbose_name}: {failures} mislukte poging(en) achter elkaar",
        )
    _device_loaded(sender, instance)


# --- role changes (user.groups), from the admin, a service, a command or the shell
def _roles_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    from django.contrib.auth.models import Group

    from accounts.models import User

    sign = "+" if action == "post_add" else "-"
    if reverse:  # group.user_set.add(...)
        pairs = [(user, [instance.name]) for user in User.objects.filter(pk__in=pk_set or [])]
    elif action == "pre_clear":
        pairs = [(instance, list(instance.groups.values_list("name", flat=True)))]
    else:
        pairs = [(instance, list(Group.objects.filter(pk__in=pk_set or []).values_list("name", flat=True)))]
    request = _current_request()
    for user, names in pairs:
        if not names:
            continue
        user.__dict__.pop("role_codes", None)  # roles changed: the cached set is stale
        record_security_event(
            event=Event.ROLE_CHANGE,
            request=request,
            actor=None,  # request.user when there is a request; the system otherwise
            obj=user,
            detail=" ".join(f"{sign}{name}" for name in sorted(names)),
        )


def connect() -> None:
    from axes.signals import user_locked_out
    from django_otp.models import Device

    from accounts.models import User

    user_logged_in.connect(_logged_in, dispatch_uid="accesslog_login")
    user_logged_out.connect(_logged_out, dispatch_uid="accesslog_logout")
    user_login_failed.connect(_login_failed, dispatch_uid="accesslog_login_failed")
    user_locked_out.connect(_locked_out, dispatch_uid="accesslog_lockout")
    m2m_changed.connect(_roles_changed, sender=User.groups.through, dispatch_uid="accesslog_roles")
    for model in apps.get_models():
        if issubclass(model, Device):
            post_init.connect(_device_loaded, sender=model, dispatch_uid=f"accesslog_device_init_{model._meta.label}")
            post_save.connect(_device_saved, sender=model, dispatch_uid=f"accesslog_device_save_{model._meta.label}")
