"""The administrator's upload page for the Monitor Brede Welvaart and its progress endpoint (polled by htmx).
Thin: the policy decides, ``agendas.welfare.services`` imports, Celery runs it after the commit."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import path

from accounts.services import enqueue_task
from agendas.welfare import services
from agendas.welfare.forms import MonitorUploadForm
from agendas.welfare.models import MonitorImport
from agendas.welfare.permissions import monitor_policy
from agendas.welfare.tasks import run_monitor_import


@login_required
def monitor_import(request):
    monitor_policy.check_import(request.user)
    form = MonitorUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        record = services.monitor_import_create(data=upload.read(), filename=upload.name, actor=request.user)
        transaction.on_commit(lambda: enqueue_task(run_monitor_import, record.pk))
        return redirect("agendas:monitor-import-detail", pk=record.pk)
    recent = MonitorImport.objects.select_related("uploaded_by")[:10]
    return render(request, "agendas/welfare/import.html", {"form": form, "recent": recent})


@login_required
def monitor_import_detail(request, pk: int):
    record = monitor_policy.get_import_for(request.user, pk)
    template = "agendas/welfare/_import_status.html" if request.htmx else "agendas/welfare/import_detail.html"
    return render(request, template, {"record": record})


urlpatterns = [
    path("monitor-brede-welvaart/import/", monitor_import, name="monitor-import"),
    path("monitor-brede-welvaart/import/<int:pk>/", monitor_import_detail, name="monitor-import-detail"),
]
