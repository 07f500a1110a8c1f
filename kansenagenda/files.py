"""The one way files leave the system: a permission-checked view calls this (never a public media URL)."""

from django.http import FileResponse


def protected_file_response(handle, *, filename: str, content_type: str, sha256: str) -> FileResponse:
    """Download as an attachment with a safe file name (FileResponse encodes it per RFC 6266), the stored
    checksum, no sniffing and no caching by shared caches."""
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Checksum-SHA256"] = sha256
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
