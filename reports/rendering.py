"""How a document's data becomes a PDF: the template per kind, rendered in Dutch, WeasyPrint to tagged PDF/UA-1.

WeasyPrint is imported lazily (only workers need it) and never touches the network: the URL fetcher serves
/static/ files from disk and refuses everything else.
"""

from __future__ import annotations

import mimetypes
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from django.utils import translation

from reports.models import GeneratedDocument

Kind = GeneratedDocument.Kind

BASE_URL = "https://kansenagenda.invalid/"
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1", "pdf_tags": True}

TEMPLATES = {
    Kind.DOSSIER: "reports/pdf/dossier.html",
    Kind.PUBLIC_DOSSIER: "reports/pdf/dossier.html",
    Kind.DECISION_NOTE: "reports/pdf/decision_note.html",
    Kind.DECISION_LETTER: "reports/pdf/decision_letter.html",
    Kind.PROGRESS_REPORT: "reports/pdf/progress_report.html",
    Kind.ACCOUNTABILITY: "reports/pdf/accountability.html",
}


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    page_count: int
    seconds: float  # wall-clock
    cpu_seconds: float  # this process's CPU time: stable when other work shares the machine


def _static_path(relative: str) -> Path | None:
    if ".." in Path(relative).parts or relative.startswith("/"):
        return None
    try:
        found = finders.find(relative)
    except SuspiciousFileOperation:
        return None
    if found:
        return Path(found)
    if settings.STATIC_ROOT:
        candidate = (Path(settings.STATIC_ROOT) / relative).resolve()
        if candidate.is_file() and Path(settings.STATIC_ROOT).resolve() in candidate.parents:
            return candidate
    return None


def make_url_fetcher():
    """A WeasyPrint URL fetcher that serves /static/ from disk and refuses every other URL (no network)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalStaticFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            if parts.scheme == "data":
                return super().fetch(url, headers)
            path = unquote(parts.path)
            if parts.scheme in ("http", "https", "") and path.startswith(settings.STATIC_URL):
                found = _static_path(path[len(settings.STATIC_URL) :])
                if found is not None:
                    content_type = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
                    return URLFetcherResponse(url, body=found.read_bytes(), headers={"Content-Type": content_type})
            raise ValueError(f"Resource not available to the PDF renderer: {url}")

    return LocalStaticFetcher(allowed_protocols=("http", "https", "data"))


def render_html(kind: str, data: dict) -> str:
    with translation.override("nl"):
        return render_to_string(
            TEMPLATES[kind], {"data": data, "kind": kind, "kind_label": Kind(kind).label, "lang": "nl"}
        )


def render_pdf(kind: str, data: dict) -> RenderedPdf:
    """HTML → tagged PDF (PDF/UA-1, language nl). Raises on any rendering problem; never returns half a file."""
    from weasyprint import HTML

    started, cpu_started = time.perf_counter(), time.process_time()
    html = render_html(kind, data)
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=make_url_fetcher()).render(**PDF_OPTIONS)
    content = document.write_pdf(**PDF_OPTIONS)
    if not content or not content.startswith(b"%PDF-") or b"%%EOF" not in content[-1024:]:
        raise RuntimeError("WeasyPrint returned an incomplete PDF")
    return RenderedPdf(
        content=content,
        page_count=len(document.pages),
        seconds=time.perf_counter() - started,
        cpu_seconds=time.process_time() - cpu_started,
    )
