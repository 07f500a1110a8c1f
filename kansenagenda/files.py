"""The one way files leave the system: a permission-checked view calls this (never a public media URL).
Every download is written to the access log here (``accounts.accesslog.services.record_access``)."""

from django.http import FileResponse


def protected_file_response(
    handle,
    *,
    filename: str,
    content_type: str,
    sha256: str,
    request,
    obj,
    purpose: str,
    agenda_id: int | None = None,
) -> FileResponse:
    """Download as an attachment with a safe file name (FileResponse encodes it per RFC 6266), the stored
    checksum, no sniffing and no caching by shared caches; logged as a download of ``obj`` by the
    request's user (who, what, when, why, which door)."""
    from accounts.accesslog.services import Event, record_access

    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Checksum-SHA256"] = sha256
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    record_access(request=request, event=Event.DOWNLOAD, obj=obj, purpose=purpose, agenda_id=agenda_id)
    return response
