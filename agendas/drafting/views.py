"""Drafting pages: list, create, detail, edit forms, budget grid (with live totals), attachments, comments,
history and checklist. Thin: the policy decides who may, the services do every write."""

from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import alliance_policy
from agendas.drafting import comments as comment_services
from agendas.drafting import milestones as milestone_services
from agendas.drafting import selectors, services
from agendas.drafting.checklist import completeness_checklist
from agendas.drafting.detail import DETAIL_HISTORY_ENTRIES, detail_context
from agendas.drafting.filters import AgendaFilter
from agendas.drafting.forms import (
    AgendaCreateForm,
    AgendaForm,
    CommentForm,
    ConfirmDeleteForm,
    MilestoneForm,
    PartnerForm,
    PriorityForm,
)
from agendas.models import Agenda, AgendaPartner, Comment, Milestone, Priority
from agendas.permissions import agenda_policy
from kansenagenda.errors import ConflictError


def refusals_as_page(view):
    """A refused action shows the policy's reason on a page (status 403), never a bare error."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as exc:
            return render(request, "agendas/forbidden.html", {"reason": str(exc)}, status=403)

    return wrapper


def drafting_view(view):
    return login_required(refusals_as_page(view))


def _agenda(request, pk, action=agenda_policy.VIEW) -> Agenda:
    return agenda_policy.get_for(request.user, pk, action)


def _with_current_lock(form, lock_version: int):
    """After a conflict: keep the user's input, but base the next save on the current version."""
    data = form.data.copy()
    data["lock_version"] = str(lock_version)
    form.data = data
    return form


def _save_form(request, form, write, *, conflict_object=None):
    """Run a service for a valid form; map ValidationError onto the form and ConflictError onto the page.

    Returns (result, conflict). ``result`` is None when the write did not happen.
    """
    if not form.is_valid():
        return None, None
    try:
        return write(form.cleaned_data), None
    except ValidationError as exc:
        form.add_service_errors(exc)
    except ConflictError as exc:
        if conflict_object is not None:
            conflict_object.refresh_from_db()
            _with_current_lock(form, conflict_object.lock_version)
        return None, exc
    return None, None


# --- list and create ---------------------------------------------------------------------------


@drafting_view
def agenda_list(request):
    visible = agenda_policy.visible(request.user)
    filterset = AgendaFilter(request.GET or None, queryset=visible)
    agendas = selectors.agendas_for_list(filterset.qs if filterset.is_bound and filterset.is_valid() else visible)
    can_create = alliance_policy.coordinated(request.user).exists()
    return render(
        request,
        "agendas/agenda_list.html",
        {"agendas": agendas.order_by("-updated_at")[:200], "filter": filterset, "can_create": can_create},
    )


@drafting_view
def agenda_create(request):
    alliances = alliance_policy.coordinated(request.user)
    if not alliances.exists():
        raise PermissionDenied(_("Alleen een regiocoördinator kan een kansenagenda maken voor de eigen alliantie."))
    form = AgendaCreateForm(request.POST or None, alliances=alliances)
    if request.method == "POST":
        agenda, _conflict = _save_form(
            request,
            form,
            lambda data: services.agenda_create(alliance=data["alliance"], actor=request.user, data=data),
        )
        if agenda is not None:
            messages.success(request, _("De kansenagenda is aangemaakt. Voeg nu prioriteiten en partners toe."))
            return redirect("agendas:agenda_detail", pk=agenda.pk)
    return render(request, "agendas/agenda_form.html", {"form": form, "creating": True})


# --- detail, history, checklist ----------------------------------------------------------------


@drafting_view
def agenda_detail(request, pk):
    agenda = _agenda(request, pk)
    return render(request, "agendas/agenda_detail.html", detail_context(request.user, agenda))


@drafting_view
def agenda_history(request, pk):
    """The whole history; ``?recent=1``: the latest changes without the budget, the fragment the detail page
    loads after it has been shown (so that page itself stays light)."""
    agenda = _agenda(request, pk)
    if request.GET.get("recent"):
        entries = selectors.agenda_history(agenda, limit=DETAIL_HISTORY_ENTRIES, include_budget=False)
        return render(request, "agendas/_history_table.html", {"agenda": agenda, "entries": entries})
    return render(request, "agendas/history.html", {"agenda": agenda, "entries": selectors.agenda_history(agenda)})


@drafting_view
def agenda_checklist(request, pk):
    agenda = _agenda(request, pk)
    items = completeness_checklist(agenda)
    return render(
        request,
        "agendas/checklist.html",
        {"agenda": agenda, "checklist": items, "complete": all(i.ok for i in items)},
    )


# --- agenda edit, share, delete ----------------------------------------------------------------


@drafting_view
def agenda_edit(request, pk):
    agenda = _agenda(request, pk, agenda_policy.EDIT)
    form = AgendaForm(request.POST or None, instance=agenda)
    conflict = None
    if request.method == "POST":
        saved, conflict = _save_form(
            request,
            form,
            lambda data: services.agenda_update(
                agenda=agenda, actor=request.user, data=data, lock_version=data.get("lock_version")
            ),
            conflict_object=agenda,
        )
        if saved is not None:
            messages.success(request, _("De agenda is opgeslagen."))
            return redirect("agendas:agenda_detail", pk=agenda.pk)
    return render(request, "agendas/agenda_form.html", {"form": form, "agenda": agenda, "conflict": conflict})


@drafting_view
@require_POST
def agenda_share(request, pk):
    agenda = _agenda(request, pk, agenda_policy.SHARE)
    shared = request.POST.get("shared") == "1"
    services.agenda_set_shared(agenda=agenda, actor=request.user, shared=shared)
    messages.success(
        request,
        _("Het concept is gedeeld met het ministerie.") if shared else _("Het concept wordt niet meer gedeeld."),
    )
    return redirect("agendas:agenda_detail", pk=agenda.pk)


@drafting_view
def agenda_delete(request, pk):
    agenda = _agenda(request, pk, agenda_policy.DELETE)
    form = ConfirmDeleteForm(request.POST or None, initial={"lock_version": agenda.lock_version})
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.agenda_delete(agenda=agenda, actor=request.user, lock_version=form.cleaned_data["lock_version"])
            messages.success(request, _("De agenda is verwijderd."))
            return redirect("agendas:agenda_list")
        except ConflictError as exc:
            conflict = exc
            agenda.refresh_from_db()
            _with_current_lock(form, agenda.lock_version)
    return render(
        request,
        "agendas/confirm_delete.html",
        {"agenda": agenda, "form": form, "conflict": conflict, "object_label": agenda.title},
    )


# --- priorities --------------------------------------------------------------------------------


def _priority(agenda: Agenda, priority_pk) -> Priority:
    return get_object_or_404(Priority.objects.select_related("agenda__alliance"), pk=priority_pk, agenda=agenda)


@drafting_view
def priority_create(request, pk):
    agenda = _agenda(request, pk, agenda_policy.EDIT)
    form = PriorityForm(request.POST or None, agenda=agenda)
    if request.method == "POST":
        priority, _conflict = _save_form(
            request, form, lambda data: services.priority_create(agenda=agenda, actor=request.user, data=data)
        )
        if priority is not None:
            messages.success(request, _("Prioriteit ‘%(title)s’ is toegevoegd.") % {"title": priority.title})
            return redirect(reverse("agendas:agenda_detail", args=[agenda.pk]) + f"#priority-{priority.pk}")
    return render(request, "agendas/priority_form.html", {"form": form, "agenda": agenda})


@drafting_view
def priority_edit(request, pk, priority_pk):
    agenda = _agenda(request, pk, agenda_policy.EDIT)
    priority = _priority(agenda, priority_pk)
    form = PriorityForm(request.POST or None, instance=priority, agenda=agenda)
    conflict = None
    if request.method == "POST":
        saved, conflict = _save_form(
            request,
            form,
            lambda data: services.priority_update(
                priority=priority, actor=request.user, data=data, lock_version=data.get("lock_version")
            ),
            conflict_object=priority,
        )
        if saved is not None:
            messages.success(request, _("Prioriteit ‘%(title)s’ is opgeslagen.") % {"title": saved.title})
            return redirect(reverse("agendas:agenda_detail", args=[agenda.pk]) + f"#priority-{priority.pk}")
    return render(
        request,
        "agendas/priority_form.html",
        {"form": form, "agenda": agenda, "priority": priority, "conflict": conflict},
    )


def _delete_view(request, agenda, obj, *, label, delete, back_url):
    form = ConfirmDeleteForm(request.POST or None, initial={"lock_version": obj.lock_version})
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            delete(form.cleaned_data["lock_version"])
            messages.success(request, _("‘%(label)s’ is verwijderd.") % {"label": label})
            return redirect(back_url)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        except ConflictError as exc:
            conflict = exc
            obj.refresh_from_db()
            _with_current_lock(form, obj.lock_version)
    return render(
        request,
        "agendas/confirm_delete.html",
        {"agenda": agenda, "form": form, "conflict": conflict, "object_label": label, "back_url": back_url},
    )


@drafting_view
def priority_delete(request, pk, priority_pk):
    agenda = _agenda(request, pk, agenda_policy.EDIT)
    priority = _priority(agenda, priority_pk)
    return _delete_view(
        request,
        agenda,
        priority,
        label=priority.title,
        delete=lambda lock: services.priority_delete(priority=priority, actor=request.user, lock_version=lock),
        back_url=reverse("agendas:agenda_detail", args=[agenda.pk]),
    )


# --- milestones --------------------------------------------------------------------------------


@drafting_view
def milestone_create(request, pk, priority_pk):
    agenda = _agenda(request, pk, agenda_policy.EDIT)
    priority = _priority(agenda, priority_pk)
    form = MilestoneForm(request.POST or None)
    if request.method == "POST":
        milestone, _conflict = _save_form(
            request,
            form,
            lambda data: milestone_services.milestone_create(priority=priority, actor=request.user, data=data),
        )
        if milestone is not None:
            messages.success(request, _("Mijlpaal ‘%(title)s’ is toegevoegd.") % {"title": milestone.title})
            return redirect(reverse("agendas:agenda_detail", args=[agenda.pk]) + f"#priority-{priority.pk}")
    return render(request, "agendas/milestone_form.html", {"form": form, "agenda": agenda, "priority": priority})


def _milestone(agenda, milestone_pk) -> Milestone:
    return get_object_or_404(
        Milestone.objects.select_related("priority__agenda"), pk=milestone_pk, priority__agenda=agenda
    )


@drafting_view
def milestone_edit(request, pk, milestone_pk):
    agenda = _agenda(request, pk, agenda_policy.EDIT)
    milestone = _milestone(agenda, milestone_pk)
    form = MilestoneForm(request.POST or None, instance=milestone)
    conflict = None
    if request.method == "POST":
        saved, conflict = _save_form(
            request,
            form,
            lambda data: milestone_services.milestone_update(
                milestone=milestone, actor=request.user, data=data, lock_version=data.get("lock_version")
            ),
            conflict_object=milestone,
        )
        if saved is not None:
            messages.success(request, _("Mijlpaal ‘%(title)s’ is opgeslagen.") % {"title": saved.title})
            return redirect(reverse("agendas:agenda_detail", args=[agenda.pk]) + f"#priority-{milestone.priority_id}")
    return render(
        request,
        "agendas/milestone_form.html",
        {"form": form, "agenda": agenda, "priority": milestone.priority, "milestone": milestone, "conflict": conflict},
    )


@drafting_view
def milestone_delete(request, pk, milestone_pk):
    agenda = _agenda(request, pk, agenda_policy.EDIT)
    milestone = _milestone(agenda, milestone_pk)
    return _delete_view(
        request,
        agenda,
        milestone,
        label=milestone.title,
        delete=lambda lock: milestone_services.milestone_delete(
            milestone=milestone, actor=request.user, lock_version=lock
        ),
        back_url=reverse("agendas:agenda_detail", args=[agenda.pk]) + f"#priority-{milestone.priority_id}",
    )


# --- partners ----------------------------------------------------------------------------------


@drafting_view
def partner_create(request, pk):
    agenda = _agenda(request, pk, agenda_policy.EDIT)
    form = PartnerForm(request.POST or None, agenda=agenda)
    if request.method == "POST":
        partner, _conflict = _save_form(
            request, form, lambda data: services.partner_create(agenda=agenda, actor=request.user, data=data)
        )
        if partner is not None:
            messages.success(request, _("Partner ‘%(name)s’ is toegevoegd.") % {"name": partner.organisation})
            return redirect(reverse("agendas:agenda_detail", args=[agenda.pk]) + "#partners")
    return render(request, "agendas/partner_form.html", {"form": form, "agenda": agenda})


def _partner(agenda, partner_pk) -> AgendaPartner:
    return get_object_or_404(AgendaPartner.objects.select_related("organisation"), pk=partner_pk, agenda=agenda)


@drafting_view
def partner_edit(request, pk, partner_pk):
    agenda = _agenda(request, pk, agenda_policy.EDIT)
    partner = _partner(agenda, partner_pk)
    form = PartnerForm(request.POST or None, instance=partner, agenda=agenda)
    conflict = None
    if request.method == "POST":
        saved, conflict = _save_form(
            request,
            form,
            lambda data: services.partner_update(
                partner=partner, actor=request.user, data=data, lock_version=data.get("lock_version")
            ),
            conflict_object=partner,
        )
        if saved is not None:
            messages.success(request, _("Partner ‘%(name)s’ is opgeslagen.") % {"name": saved.organisation})
            return redirect(reverse("agendas:agenda_detail", args=[agenda.pk]) + "#partners")
    return render(
        request, "agendas/partner_form.html", {"form": form, "agenda": agenda, "partner": partner, "conflict": conflict}
    )


@drafting_view
def partner_delete(request, pk, partner_pk):
    agenda = _agenda(request, pk, agenda_policy.EDIT)
    partner = _partner(agenda, partner_pk)
    return _delete_view(
        request,
        agenda,
        partner,
        label=str(partner.organisation),
        delete=lambda lock: services.partner_delete(partner=partner, actor=request.user, lock_version=lock),
        back_url=reverse("agendas:agenda_detail", args=[agenda.pk]) + "#partners",
    )


# --- budget grid -------------------------------------------------------------------------------


# --- comments ----------------------------------------------------------------------------------


@drafting_view
@require_POST
def comment_add(request, pk):
    agenda = _agenda(request, pk, agenda_policy.COMMENT)
    form = CommentForm(request.POST)
    anchor = "#comments-general"
    if form.is_valid():
        data = form.cleaned_data
        priority = (
            Priority.objects.filter(agenda=agenda, pk=data.get("priority")).first() if data.get("priority") else None
        )
        parent = Comment.objects.filter(agenda=agenda, pk=data.get("parent")).first() if data.get("parent") else None
        try:
            comment = comment_services.comment_add(
                agenda=agenda,
                actor=request.user,
                section=data["section"],
                priority=priority,
                parent=parent,
                body=data["body"],
            )
            messages.success(request, _("Uw reactie is geplaatst."))
            anchor = f"#comment-{comment.pk}"
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, _("Reactie niet geplaatst: %(reason)s") % {"reason": message})
    return redirect(reverse("agendas:agenda_detail", args=[agenda.pk]) + anchor)


@drafting_view
@require_POST
def comment_delete(request, pk, comment_pk):
    agenda = _agenda(request, pk)
    comment = get_object_or_404(Comment, pk=comment_pk, agenda=agenda)
    comment_services.comment_delete(comment=comment, actor=request.user)
    messages.success(request, _("Uw reactie is verwijderd."))
    return redirect(reverse("agendas:agenda_detail", args=[agenda.pk]) + "#comments-general")


# --- attachments -------------------------------------------------------------------------------


urlpatterns = [
    path("", agenda_list, name="agenda_list"),
    path("nieuw/", agenda_create, name="agenda_create"),
    path("<int:pk>/", agenda_detail, name="agenda_detail"),
    path("<int:pk>/bewerken/", agenda_edit, name="agenda_edit"),
    path("<int:pk>/delen/", agenda_share, name="agenda_share"),
    path("<int:pk>/verwijderen/", agenda_delete, name="agenda_delete"),
    path("<int:pk>/geschiedenis/", agenda_history, name="agenda_history"),
    path("<int:pk>/controlelijst/", agenda_checklist, name="agenda_checklist"),
    path("<int:pk>/prioriteiten/nieuw/", priority_create, name="priority_create"),
    path("<int:pk>/prioriteiten/<int:priority_pk>/bewerken/", priority_edit, name="priority_edit"),
    path("<int:pk>/prioriteiten/<int:priority_pk>/verwijderen/", priority_delete, name="priority_delete"),
    path("<int:pk>/prioriteiten/<int:priority_pk>/mijlpalen/nieuw/", milestone_create, name="milestone_create"),
    path("<int:pk>/mijlpalen/<int:milestone_pk>/bewerken/", milestone_edit, name="milestone_edit"),
    path("<int:pk>/mijlpalen/<int:milestone_pk>/verwijderen/", milestone_delete, name="milestone_delete"),
    path("<int:pk>/partners/nieuw/", partner_create, name="partner_create"),
    path("<int:pk>/partners/<int:partner_pk>/bewerken/", partner_edit, name="partner_edit"),
    path("<int:pk>/partners/<int:partner_pk>/verwijderen/", partner_delete, name="partner_delete"),
    path("<int:pk>/reacties/", comment_add, name="comment_add"),
    path("<int:pk>/reacties/<int:comment_pk>/verwijderen/", comment_delete, name="comment_delete"),
]
