import re

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from accounts import roles
from accounts.models import (
    AccountEvent,
    Alliance,
    Membership,
    Municipality,
    Organisation,
    OutboxMessage,
    Province,
    Region,
    RoleGrant,
    StateRepresentativeAssignment,
    User,
)
from accounts.permissions import account_admin_policy
from accounts.selectors import second_factor_missing
from kansenagenda.admin_readonly import ReadOnlyAdminMixin

# The admin is one more door for the second factor: a session of a role that needs 2FA and has none is not
# let in (the page middleware already redirects it to the 2FA page; this holds even without the middleware).
_site_has_permission = admin.site.has_permission


def _has_permission_with_second_factor(request) -> bool:
    return _site_has_permission(request) and not second_factor_missing(request.user)


admin.site.has_permission = _has_permission_with_second_factor


class ResetSecondFactorForm(forms.Form):
    reason = forms.CharField(
        label=_("Reden"),
        min_length=10,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Bijvoorbeeld: telefoon kwijt, identiteit telefonisch gecontroleerd op (datum)."),
    )


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation"]


class StateRepresentativeInline(admin.TabularInline):
    model = StateRepresentativeAssignment
    extra = 0


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    list_filter = ["groups", "is_active"]
    inlines = [MembershipInline, StateRepresentativeInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Persoonlijke gegevens"), {"fields": ("first_name", "last_name")}),
        (_("Rollen en rechten"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("Belangrijke datums"), {"fields": ("last_login", "date_joined", "anonymised_at")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2", "groups")}),)
    readonly_fields = ["last_login", "date_joined", "anonymised_at"]
    actions = ["export_personal_data", "anonymise", "reset_second_factor"]

    # --- Administrators within bounds (accounts.permissions.AccountAdminPolicy) ---------------------

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is None:
            return fields
        allowed = account_admin_policy.grantable_flags(request.user, obj)
        fields += [flag for flag in ("is_active", "is_staff", "is_superuser") if flag not in allowed]
        if not account_admin_policy.can_change_roles(request.user, obj):
            fields.append("groups")
        return fields

    def has_change_permission(self, request, obj=None):
        if obj is not None and not account_admin_policy.can_change_account(request.user, obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and (
            obj.pk == request.user.pk or not account_admin_policy.can_change_account(request.user, obj)
        ):
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        from accounts.services import security_state

        request._security_before = security_state(obj) if change and obj.pk else None
        # Roles go through the role service (four eyes on privileged roles), not straight into the m2m.
        request._requested_roles = None
        if "groups" in form.cleaned_data:
            request._requested_roles = {group.name for group in form.cleaned_data.pop("groups")}
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        from accounts.services import api_tokens_revoke_if_security_changed, user_roles_change

        super().save_related(request, form, formsets, change)
        user = form.instance
        requested = getattr(request, "_requested_roles", None)
        if requested is not None:
            try:
                grants = user_roles_change(actor=request.user, user=user, requested=requested)
            except PermissionDenied as exc:
                self.message_user(request, str(exc), messages.ERROR)
                grants = []
            for grant in grants:
                self.message_user(
                    request,
                    _("De rol %(role)s voor %(user)s wacht op bevestiging door een tweede beheerder.")
                    % {"role": roles.role_label(grant.role), "user": user},
                    messages.WARNING,
                )
        before = getattr(request, "_security_before", None)
        if before is not None:
            api_tokens_revoke_if_security_changed(user=user, before=before, actor=request.user)

    def user_change_password(self, request, id, form_url=""):
        from accounts.services import api_tokens_revoke_if_security_changed, security_state

        user = self.get_object(request, id)
        if user is not None and not account_admin_policy.can_set_password(request.user, user):
            raise PermissionDenied(
                _(
                    "Het wachtwoord van een account met tweestapsverificatie stelt de gebruiker zelf in (wachtwoord vergeten)."
                )
            )
        before = security_state(user) if user is not None else None
        response = super().user_change_password(request, id, form_url)
        if before is not None:
            api_tokens_revoke_if_security_changed(user=user, before=before, actor=request.user)
        return response

    @admin.action(description=_("Tweestapsverificatie resetten (met reden)"))
    def reset_second_factor(self, request, queryset):
        from accounts.services import second_factor_reset

        form = ResetSecondFactorForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            done = 0
            for user in queryset:
                try:
                    second_factor_reset(user=user, actor=request.user, reason=form.cleaned_data["reason"])
                    done += 1
                except (PermissionDenied, ValidationError) as exc:
                    text = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
                    self.message_user(request, f"{user}: {text}", messages.ERROR)
            if done:
                self.message_user(
                    request,
                    _("Tweestapsverificatie gereset voor %(n)s gebruiker(s); zij zijn per e-mail ingelicht.")
                    % {"n": done},
                    messages.SUCCESS,
                )
            return None
        return render(
            request,
            "accounts/admin_reset_second_factor.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Tweestapsverificatie resetten"),
                "form": form,
                "users": queryset,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                "opts": self.model._meta,
            },
        )

    @admin.action(description=_("Persoonsgegevens exporteren (AVG, JSON)"))
    def export_personal_data(self, request, queryset):
        import json

        from django.http import HttpResponse

        from accounts.services import personal_data_export

        payload = [personal_data_export(user=user) for user in queryset]
        response = HttpResponse(json.dumps(payload, indent=2, ensure_ascii=False), content_type="application/json")
        response["Content-Disposition"] = 'attachment; filename="persoonsgegevens.json"'
        return response

    @admin.action(description=_("Geselecteerde vertrokken gebruikers anonimiseren (AVG)"))
    def anonymise(self, request, queryset):
        from django.contrib import messages
        from django.core.exceptions import ValidationError

        from accounts.services import user_anonymise

        done = 0
        for user in queryset:
            try:
                user_anonymise(user=user, actor=request.user)
                done += 1
            except ValidationError as exc:
                self.message_user(request, "; ".join(exc.messages), messages.ERROR)
        self.message_user(request, _("%(n)s gebruiker(s) geanonimiseerd.") % {"n": done}, messages.SUCCESS)


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "type", "identifier", "tooi_identifier"]
    list_filter = ["type"]
    search_fields = ["name", "identifier"]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "organisation", "start_date", "end_date"]
    list_select_related = ["user", "organisation"]
    autocomplete_fields = ["user", "organisation"]


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "province"]
    list_select_related = ["province"]
    list_filter = ["province"]
    search_fields = ["name"]


@admin.register(Region)
class RegionAdmin(SimpleHistoryAdmin):
    list_display = [
        "name",
        "code",
        "inhabitants",
        "border_region",
        "population_decline",
        "ageing",
        "far_from_economic_core",
    ]
    search_fields = ["name", "code"]
    filter_horizontal = ["provinces", "municipalities"]


@admin.register(Alliance)
class AllianceAdmin(SimpleHistoryAdmin):
    list_display = ["name", "region"]
    list_select_related = ["region"]
    search_fields = ["name"]
    filter_horizontal = ["organisations", "coordinators"]


@admin.register(StateRepresentativeAssignment)
class StateRepresentativeAssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["user", "region", "start_date", "end_date"]
    list_select_related = ["user", "region"]


_URL = re.compile(r"https?://\S+|/wachtwoord-herstellen/\S+")
_SECRET_LIKE = re.compile(r"\b[A-Za-z0-9_\-]{20,}\b")


def mask_secrets(text: str) -> str:
    """Links (a reset link carries its token in the path) and token-like strings are never shown."""
    text = _URL.sub("[link verborgen]", text or "")
    return _SECRET_LIKE.sub("[verborgen]", text)


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: administrators see what was (not) delivered, including permanent failures.
    Bodies are shown with links and tokens masked; a password-reset message's body is not shown at all."""

    list_display = ["created_at", "recipient", "subject", "delivered_at", "attempts", "failed_permanently"]
    fields = [
        "created_at",
        "recipient",
        "subject",
        "kind",
        "masked_body",
        "delivered_at",
        "attempts",
        "last_error",
        "failed_permanently",
    ]
    readonly_fields = fields

    @admin.display(description=_("inhoud (links en sleutels verborgen)"))
    def masked_body(self, obj):
        if obj.kind == "password_reset":
            return _("Niet getoond: dit bericht bevat een herstellink.")
        return mask_secrets(obj.body)

    list_filter = ["failed_permanently", "kind"]
    search_fields = ["recipient", "subject"]
    actions = ["retry_delivery"]

    @admin.action(description=_("Opnieuw versturen"), permissions=["view"])
    def retry_delivery(self, request, queryset):
        from accounts.services import outbox_retry

        count = outbox_retry(message_ids=queryset.values_list("pk", flat=True), actor=request.user)
        self.message_user(request, _("%(count)s bericht(en) opnieuw in de wachtrij gezet.") % {"count": count})


@admin.register(RoleGrant)
class RoleGrantAdmin(SimpleHistoryAdmin):
    """Four eyes on privileged roles: a grant requested in the user form waits here for a second administrator."""

    list_display = ["user", "role", "status", "requested_by", "requested_at", "decided_by", "decided_at"]
    list_filter = ["status", "role"]
    list_select_related = ["user", "requested_by", "decided_by"]
    readonly_fields = ["user", "role", "status", "requested_by", "requested_at", "decided_by", "decided_at"]
    actions = ["confirm", "refuse"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def _decide(self, request, queryset, service, done_message):
        done = 0
        for grant in queryset:
            try:
                service(grant_id=grant.pk, actor=request.user)
                done += 1
            except (PermissionDenied, ValidationError) as exc:
                text = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
                self.message_user(request, f"{grant}: {text}", messages.ERROR)
        if done:
            self.message_user(request, done_message % {"n": done}, messages.SUCCESS)

    @admin.action(description=_("Geselecteerde roltoekenningen bevestigen (tweede beheerder)"))
    def confirm(self, request, queryset):
        from accounts.services import role_grant_confirm

        self._decide(request, queryset, role_grant_confirm, _("%(n)s roltoekenning(en) bevestigd."))

    @admin.action(description=_("Geselecteerde roltoekenningen afwijzen"))
    def refuse(self, request, queryset):
        from accounts.services import role_grant_refuse

        self._decide(request, queryset, role_grant_refuse, _("%(n)s roltoekenning(en) afgewezen."))


@admin.register(AccountEvent)
class AccountEventAdmin(admin.ModelAdmin):
    """Read-only record of token, second-factor and backup-code events."""

    list_display = ["created_at", "kind", "user", "actor", "reason"]
    list_filter = ["kind"]
    list_select_related = ["user", "actor"]
    search_fields = ["user__email", "reason"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# Roles are groups: only a superuser changes what a role may do (a functional administrator could otherwise
# give their own role any permission).
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402

admin.site.unregister(Group)


@admin.register(Group)
class RoleGroupAdmin(BaseGroupAdmin):
    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


from accounts.accesslog import admin as _accesslog_admin  # noqa: E402,F401  (registers the access log)
