import io

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.permissions import alliance_policy, is_admin, user_organisations, user_regions
from accounts.selectors import second_factor_missing


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=gettext_lazy("E-mailadres"), widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )


class LoginView(auth_views.LoginView):
    form_class = EmailAuthenticationForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


@login_required
def home(request):
    user = request.user
    context = {
        "roles": user.role_labels,
        "regions": user_regions(user),
        "alliances": alliance_policy.visible(user).select_related("region")[:50],
        "organisations": user_organisations(user),
        "needs_two_factor": second_factor_missing(user),
        "is_admin": is_admin(user),
        "has_second_factor": bool(getattr(user, "is_verified", lambda: False)()),
    }
    return render(request, "accounts/home.html", context)


class TokenForm(forms.Form):
    token = forms.RegexField(
        label=gettext_lazy("Code uit uw authenticator-app"),
        regex=r"^\s*(\d{6}|[A-Za-z0-9]{8})\s*$",
        help_text=gettext_lazy("Telefoon kwijt? Vul dan een van uw reservecodes (acht tekens) in."),
        error_messages={
            "invalid": gettext_lazy("Vul de zes cijfers in die uw authenticator-app nu toont, of een reservecode.")
        },
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
    )


def _qr_svg(url: str) -> str:
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


@never_cache
@login_required
def two_factor(request):
    """Set up (first time) or verify the second factor for this session."""
    user = request.user
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    setup = device is None
    if setup:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first() or TOTPDevice.objects.create(
            user=user, name="authenticator", confirmed=False
        )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        from accounts.services import second_factor_verify

        code = form.cleaned_data["token"].strip()
        verified_device = device if setup and device.verify_token(code) else None
        if not setup:
            verified_device = second_factor_verify(user=user, code=code)
        if verified_device is not None:
            if setup:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            otp_login(request, verified_device)
            messages.success(request, _("Tweestapsverificatie is gelukt."))
            target = request.GET.get("next") or settings.LOGIN_REDIRECT_URL
            if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
                target = settings.LOGIN_REDIRECT_URL
            return redirect(target)
        form.add_error("token", _("Deze code klopt niet of is verlopen. Probeer de code die uw app nu toont."))
    context = {"form": form, "setup": setup}
    if setup:
        context["qr_svg"] = _qr_svg(device.config_url)
        context["secret"] = device.bin_key.hex()
    return render(request, "accounts/two_factor.html", context)


@never_cache
@login_required
def backup_codes(request):
    """Make (new) backup codes for a lost phone; they are shown once, on this response only."""
    from django.core.exceptions import PermissionDenied

    from accounts.services import backup_codes_create

    codes = None
    if request.method == "POST":
        try:
            codes = backup_codes_create(user=request.user)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
            return redirect("two_factor")
    from django_otp.plugins.otp_static.models import StaticToken

    remaining = StaticToken.objects.filter(device__user=request.user).count()
    return render(request, "accounts/backup_codes.html", {"codes": codes, "remaining": remaining})


class PasswordChangeView(auth_views.PasswordChangeView):
    """Changing the password revokes the person's API tokens."""

    def form_valid(self, form):
        from accounts.services import api_tokens_revoke

        response = super().form_valid(form)
        api_tokens_revoke(user=form.user, actor=form.user, reason="password changed")
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Setting a new password through the reset link revokes the person's API tokens."""

    def form_valid(self, form):
        from accounts.services import api_tokens_revoke

        response = super().form_valid(form)
        api_tokens_revoke(user=form.user, actor=form.user, reason="password reset")
        return response


@never_cache
@login_required
def api_token(request):
    """The user creates or revokes their own API token; the key is shown only once."""
    from django.core.exceptions import PermissionDenied
    from rest_framework.authtoken.models import Token

    from accounts.services import api_token_create, api_token_revoke

    new_key = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            api_token_revoke(user=request.user)
            messages.success(request, _("Uw API-sleutel is ingetrokken."))
            return redirect("api_token")
        try:
            new_key = api_token_create(user=request.user)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
            from django.urls import reverse

            return redirect(f"{reverse('two_factor')}?next={reverse('api_token')}")
        messages.success(request, _("Nieuwe API-sleutel gemaakt. Kopieer hem nu: hij wordt niet nog eens getoond."))
    existing = Token.objects.filter(user=request.user).first()
    return render(
        request,
        "accounts/api_token.html",
        {"new_key": new_key, "existing_suffix": existing.key[-4:] if existing and not new_key else None},
    )


@never_cache
@login_required
def audit_log(request):
    """Administrators read (and export) the audit trail; nobody can change or delete it."""

    from django.core.exceptions import PermissionDenied
    from django.utils.dateparse import parse_date

    from accounts.audit import audit_entries, history_models
    from accounts.permissions import is_admin
    from kansenagenda.spreadsheet import csv_response

    if not is_admin(request.user):
        raise PermissionDenied(_("Alleen functioneel beheerders kunnen het auditlogboek inzien."))
    model_label = request.GET.get("model", "")
    since = parse_date(request.GET.get("van", "") or "")
    until = parse_date(request.GET.get("tot", "") or "")
    entries = audit_entries(model_label=model_label, since=since, until=until, limit=200)
    if request.GET.get("export") == "csv":
        from accounts.accesslog.services import Event, Purpose, record_access

        record_access(
            request=request,
            event=Event.EXPORT,
            obj=("accounts.auditlog", model_label, f"{len(entries)} regels"),
            purpose=Purpose.ADMINISTRATION,
        )
        rows = [
            (e.when.isoformat(), e.model, e.object_repr, e.action, e.user, field, old, new)
            for e in entries
            for field, old, new in (e.changes or [("", "", "")])
        ]
        response = csv_response(
            ["tijdstip", "onderdeel", "object", "actie", "door", "veld", "oud", "nieuw"],
            rows,
            filename="auditlog.csv",
            semicolon=True,
        )
        return response
    models = sorted(
        (
            f"{m.instance_type._meta.app_label}.{m.instance_type._meta.model_name}",
            str(m.instance_type._meta.verbose_name),
        )
        for m in history_models()
    )
    return render(
        request,
        "accounts/audit_log.html",
        {"entries": entries, "models": models, "model_label": model_label, "since": since, "until": until},
    )
