"""Permission policies: the one place that answers "may this user do X to this object" and
"which objects may this user see". Views and API only ask a policy.

Guardian's object permissions sit behind the policies (direct-foreign-key tables); nothing else
calls ``has_perm`` for objects.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from guardian.shortcuts import get_objects_for_user

from accounts import roles
from accounts.models import Alliance, Organisation, Region, StateRepresentativeAssignment, User


def is_ministry(user: User) -> bool:
    return user.is_authenticated and user.has_role(roles.MINISTRY_OFFICER, roles.MINISTRY_SIGNATORY)


def is_admin(user: User) -> bool:
    return user.is_authenticated and (user.is_superuser or user.has_role(roles.ADMINISTRATOR))


def _current(memberships, on=None):
    on = on or timezone.localdate()
    return memberships.filter(start_date__lte=on).filter(Q(end_date__isnull=True) | Q(end_date__gte=on))


def current_organisation_ids(user: User, on=None) -> set[int]:
    return set(_current(user.memberships, on).values_list("organisation_id", flat=True))


def current_organisations_query(user: User, on=None):
    """The same organisations as a subquery (no query of its own)."""
    return _current(user.memberships, on).values("organisation_id")


def current_memberships_of(users, on=None):
    """Current memberships of any of ``users`` (a queryset), as a queryset (e.g. for a subquery)."""
    from accounts.models import Membership

    return _current(Membership.objects.filter(user__in=users), on)


def represented_region_ids(user: User, on=None) -> set[int]:
    if not user.is_authenticated or not user.has_role(roles.STATE_REPRESENTATIVE):
        return set()
    on = on or timezone.localdate()
    return set(
        StateRepresentativeAssignment.objects.filter(user=user, start_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .values_list("region_id", flat=True)
    )


def supported_region_ids(user: User, on=None) -> set[int]:
    """The regions a supporter (role ``supporter``) supports today: read and comment on their agendas."""
    if not user.is_authenticated or not user.has_role(roles.SUPPORTER):
        return set()
    from accounts.models import RegionSupport

    on = on or timezone.localdate()
    return set(
        RegionSupport.objects.filter(supporters=user, start_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .values_list("region_id", flat=True)
    )


class AlliancePolicy:
    """Coordinators see and edit their own alliance; partners (members of a participating organisation)
    and the state representative of the region see it; the ministry and administrators see all."""

    VIEW = "view"
    CHANGE = "change"

    def coordinated(self, user: User) -> QuerySet[Alliance]:
        if not user.is_authenticated or not user.has_role(roles.COORDINATOR):
            return Alliance.objects.none()
        return get_objects_for_user(user, "accounts.change_alliance", Alliance, accept_global_perms=False)

    def partner_of(self, user: User) -> QuerySet[Alliance]:
        if not user.is_authenticated or not user.has_role(roles.PARTNER, roles.COORDINATOR):
            return Alliance.objects.none()
        return Alliance.objects.filter(organisations__in=current_organisations_query(user)).distinct()

    def visible(self, user: User) -> QuerySet[Alliance]:
        if not user.is_authenticated:
            return Alliance.objects.none()
        if is_ministry(user) or is_admin(user):
            return Alliance.objects.all()
        ids = set(self.coordinated(user).values_list("pk", flat=True))
        ids |= set(self.partner_of(user).values_list("pk", flat=True))
        regions = represented_region_ids(user)
        return Alliance.objects.filter(Q(pk__in=ids) | Q(region_id__in=regions))

    def can(self, user: User, action: str, alliance: Alliance) -> bool:
        if not user.is_authenticated:
            return False
        if action == self.VIEW:
            return self.visible(user).filter(pk=alliance.pk).exists()
        if action == self.CHANGE:
            if is_admin(user):
                return True
            return self.coordinated(user).filter(pk=alliance.pk).exists()
        return False

    def get_for(self, user: User, pk, action: str = VIEW) -> Alliance:
        """Fetch and authorise in one call; 404 for anything the user may not see."""
        alliance = self.visible(user).filter(pk=pk).first()
        if alliance is None or not self.can(user, action, alliance):
            raise Http404
        return alliance


alliance_policy = AlliancePolicy()


def user_regions(user: User) -> QuerySet[Region]:
    """Regions a user is connected to (as state representative or through an alliance)."""
    if not user.is_authenticated:
        return Region.objects.none()
    alliance_ids = alliance_policy.coordinated(user).values_list("pk", flat=True)
    partner_ids = alliance_policy.partner_of(user).values_list("pk", flat=True)
    return Region.objects.filter(
        Q(pk__in=represented_region_ids(user)) | Q(alliances__in=alliance_ids) | Q(alliances__in=partner_ids)
    ).distinct()


def user_organisations(user: User) -> QuerySet[Organisation]:
    return Organisation.objects.filter(pk__in=current_organisation_ids(user))


class AccountAdminPolicy:
    """The bounds of an administrator managing accounts (the admin and the role services ask this).

    - Superuser and staff status can only be granted by someone who has it (``grantable_flags``).
    - Nobody changes their own roles or flags.
    - A privileged role (roles.FOUR_EYES_GRANT_ROLES) is only added after a second administrator confirms
      (``can_confirm_grant``: not the requester, not the person receiving it).
    - Only a superuser changes a superuser's account; the password of an account whose role needs a second
      factor is never set by an administrator (the person uses the reset link).
    """

    def grantable_flags(self, actor: User, target: User | None) -> set[str]:
        if target is not None and target.pk == actor.pk:
            return set()
        flags = {"is_active"}
        if actor.is_staff:
            flags.add("is_staff")
        if actor.is_superuser:
            flags.add("is_superuser")
        return flags

    def can_change_account(self, actor: User, target: User) -> bool:
        return is_admin(actor) and (actor.is_superuser or not target.is_superuser)

    def can_change_roles(self, actor: User, target: User) -> bool:
        return is_admin(actor) and target.pk != actor.pk and self.can_change_account(actor, target)

    can_request_grant = can_change_roles

    def roles_refusal(self, actor: User, target: User) -> str:
        from django.utils.translation import gettext as _

        if target.pk == actor.pk:
            return _("U kunt uw eigen rollen niet wijzigen; vraag een andere beheerder.")
        return _("Alleen een functioneel beheerder kan rollen van deze gebruiker wijzigen.")

    def can_confirm_grant(self, actor: User, grant) -> bool:
        return is_admin(actor) and actor.pk not in (grant.requested_by_id, grant.user_id)

    def confirm_refusal(self, actor: User, grant) -> str:
        from django.utils.translation import gettext as _

        if actor.pk == grant.user_id:
            return _("U kunt een rol voor uzelf niet bevestigen.")
        if actor.pk == grant.requested_by_id:
            return _("Een tweede beheerder moet deze roltoekenning bevestigen, niet degene die haar aanvroeg.")
        return _("Alleen een functioneel beheerder kan een roltoekenning bevestigen.")

    def can_set_password(self, actor: User, target: User) -> bool:
        from accounts.selectors import requires_two_factor

        if target.pk == actor.pk:
            return True
        return self.can_change_account(actor, target) and (actor.is_superuser or not requires_two_factor(target))

    def can_reset_second_factor(self, actor: User, target: User) -> bool:
        return is_admin(actor) and target.pk != actor.pk and self.can_change_account(actor, target)

    def reset_refusal(self, actor: User, target: User) -> str:
        from django.utils.translation import gettext as _

        if target.pk == actor.pk:
            return _("U kunt uw eigen tweestapsverificatie niet resetten; vraag een andere beheerder.")
        return _("U mag de tweestapsverificatie van deze gebruiker niet resetten.")


account_admin_policy = AccountAdminPolicy()
