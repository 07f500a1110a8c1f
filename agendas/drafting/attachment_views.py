"""Attachment pages of an agenda: upload (scanned), protected download, delete."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from agendas.drafting import attachments as attachment_services
from agendas.drafting.forms import (
    AttachmentForm,
    ConfirmDeleteForm,
)
from agendas.drafting.views import _agenda, drafting_view
from agendas.models import Attachment
from agendas.permissions import agenda_policy


@drafting_view
def attachment_upload(request, pk):
    agenda = _agenda(request, pk, agenda_policy.ATTACH)
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            attachment = attachment_services.attachment_add(
                agenda=agenda,
                actor=request.user,
                uploaded_file=form.cleaned_data["file"],
                description=form.cleaned_data["description"],
            )
            messages.success(request, _("Bijlage ‘%(name)s’ is toegevoegd.") % {"name": attachment.original_name})
            return redirect(reverse("agendas:agenda_detail", args=[agenda.pk]) + "#attachments")
        except ValidationError as exc:
            for field, msgs in exc.message_dict.items():
                for message in msgs:
                    form.add_error(field if field in form.fields else None, message)
    return render(request, "agendas/attachment_form.html", {"form": form, "agenda": agenda})


@drafting_view
def attachment_download(request, pk, attachment_pk):
    agenda = _agenda(request, pk)
    attachment = get_object_or_404(Attachment, pk=attachment_pk, agenda=agenda)
    return attachment_services.attachment_download(request, attachment)


@drafting_view
def attachment_delete(request, pk, attachment_pk):
    agenda = _agenda(request, pk, agenda_policy.ATTACH)
    attachment = get_object_or_404(Attachment, pk=attachment_pk, agenda=agenda)
    if request.method == "POST":
        attachment_services.attachment_delete(attachment=attachment, actor=request.user)
        messages.success(request, _("Bijlage ‘%(name)s’ is verwijderd.") % {"name": attachment.original_name})
        return redirect(reverse("agendas:agenda_detail", args=[agenda.pk]) + "#attachments")
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET", "POST"])
    return render(
        request,
        "agendas/confirm_delete.html",
        {
            "agenda": agenda,
            "form": ConfirmDeleteForm(),
            "object_label": attachment.original_name,
            "back_url": reverse("agendas:agenda_detail", args=[agenda.pk]) + "#attachments",
        },
    )


urlpatterns = [
    path("<int:pk>/bijlagen/nieuw/", attachment_upload, name="attachment_upload"),
    path("<int:pk>/bijlagen/<int:attachment_pk>/", attachment_download, name="attachment_download"),
    path("<int:pk>/bijlagen/<int:attachment_pk>/verwijderen/", attachment_delete, name="attachment_delete"),
]
