"""Kept only because migration 0001 names `agendas.models.drafting.attachment_path` (upload_to); import from
agendas.drafting.models everywhere else."""

from agendas.drafting.models import attachment_path  # noqa: F401
