"""Archive pages (ministry and administrators): classification per dossier, destruction lists (drawn up by
an administrator, approved by a second person) and transfer packages. Thin: agendas/archive/services.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agendas.archive import services
from agendas.archive.models import DestructionList, DestructionRecord, DossierClassification, SelectionCategory
from agendas.archive.transfer import transfer_package
from agendas.models import Agenda
from agendas.workflow.destruction_list import DESTRUCTION_LIST
from kansenagenda.errors import ConflictError, TransitionRefused


def _require(request) -> None:
    if not services.can_classify(request.user):
        raise PermissionDenied(_("Alleen het ministerie en functioneel beheerders zien het archief."))


def _error(request, exc) -> None:
    if isinstance(exc, TransitionRefused):
        messages.error(request, " ".join([str(exc.message), *[str(r) for r in exc.reasons]]))
    elif isinstance(exc, ValidationError):
        messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, str(exc))


def _verified(request) -> bool:
    return bool(getattr(request.user, "is_verified", lambda: False)())


@login_required
def overview(request):
    _require(request)
    classifications = DossierClassification.objects.select_related("agenda__alliance__region", "category").order_by(
        "action_date", "agenda__title", "pk"
    )
    page = Paginator(classifications, 50).get_page(request.GET.get("pagina"))
    context = {
        "page": page,
        "categories": SelectionCategory.objects.filter(active=True),
        "lists": DestructionList.objects.select_related("drawn_up_by", "approved_by")[:20],
        "due_count": services.due_for_destruction().count(),
        "records": DestructionRecord.objects.select_related("approved_by", "drawn_up_by")[:50],
        "may_draw_up": DESTRUCTION_LIST.actions["draw_up"].who(request.user, None),
    }
    return render(request, "agendas/archive/overview.html", context)


@login_required
@require_POST
def classify(request, agenda_pk: int):
    _require(request)
    agenda = get_object_or_404(Agenda, pk=agenda_pk)
    category = get_object_or_404(SelectionCategory, pk=request.POST.get("category") or 0)
    try:
        services.classification_assign(agenda=agenda, category=category, actor=request.user)
        messages.success(request, _("Selectielijstcategorie toegewezen."))
    except (ValidationError, PermissionDenied) as exc:
        _error(request, exc)
    return redirect("agendas:archive-overview")


@login_required
@require_POST
def draw_up(request):
    _require(request)
    try:
        destruction_list = services.destruction_list_draw_up(
            actor=request.user, remarks=request.POST.get("remarks", "")
        )
    except (ValidationError, PermissionDenied) as exc:
        _error(request, exc)
        return redirect("agendas:archive-overview")
    messages.success(request, _("Vernietigingslijst opgesteld; een tweede persoon moet hem goedkeuren."))
    return redirect("agendas:archive-destruction-list", pk=destruction_list.pk)


@login_required
def destruction_list_detail(request, pk: int):
    _require(request)
    destruction_list = get_object_or_404(DestructionList.objects.select_related("drawn_up_by", "approved_by"), pk=pk)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "approve":
                services.destruction_list_approve(
                    destruction_list=destruction_list,
                    actor=request.user,
                    second_factor_verified=_verified(request),
                    lock_version=request.POST.get("lock_version"),
                )
                messages.success(request, _("Goedgekeurd: de dossiers zijn vernietigd; de verklaring blijft bewaard."))
            elif action == "reject":
                services.destruction_list_reject(
                    destruction_list=destruction_list,
                    actor=request.user,
                    comment=request.POST.get("comment", ""),
                    lock_version=request.POST.get("lock_version"),
                )
                messages.success(request, _("De vernietigingslijst is afgewezen."))
        except (TransitionRefused, ValidationError, PermissionDenied, ConflictError) as exc:
            _error(request, exc)
        return redirect("agendas:archive-destruction-list", pk=pk)
    items = destruction_list.items.select_related(
        "classification__agenda__alliance__region", "classification__category"
    )
    return render(
        request,
        "agendas/archive/destruction_list.html",
        {
            "list": destruction_list,
            "items": items,
            "actions": DESTRUCTION_LIST.available_actions(request.user, destruction_list),
            "records": destruction_list.records.all(),
        },
    )


@login_required
def transfer(request, agenda_pk: int):
    _require(request)
    classification = get_object_or_404(
        DossierClassification.objects.select_related("agenda", "category"), agenda_id=agenda_pk
    )
    try:
        body = transfer_package(classification)
    except ValidationError as exc:
        _error(request, exc)
        return redirect("agendas:archive-overview")
    response = HttpResponse(body, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="overbrenging-kansenagenda-{agenda_pk}.zip"'
    return response


urlpatterns = [
    path("archief/", overview, name="archive-overview"),
    path("archief/vernietigingslijsten/nieuw/", draw_up, name="archive-draw-up"),
    path("archief/vernietigingslijsten/<int:pk>/", destruction_list_detail, name="archive-destruction-list"),
    path("<int:agenda_pk>/archief/categorie/", classify, name="archive-classify"),
    path("<int:agenda_pk>/archief/overbrenging.zip", transfer, name="archive-transfer"),
]
