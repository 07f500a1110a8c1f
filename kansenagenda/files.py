"""The one way files leave the system (a permission-checked view calls ``protected_file_response``, never a
public media URL; every download is written to the access log here, ``accounts.accesslog.services.record_access``)
and the one way they are stored (``AtomicFileSystemStorage``: complete or not at all)."""

import contextlib
import os
import tempfile

from django.core.files.storage import FileSystemStorage
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


# --- storing files: all or nothing ------------------------------------------------------------------
TEMP_PREFIX = ".partial-"


class AtomicFileSystemStorage(FileSystemStorage):
    """File-system storage whose ``save`` is all or nothing.

    Django's storage writes straight into the final name, so a full disk or a killed process leaves a
    truncated file that looks real. Here the content is written to a hidden temporary file in the same
    directory, flushed to disk, and only then linked into place under a free name (``os.link`` fails
    instead of overwriting). On any error the temporary file is removed and the error raised: callers
    (document rendering, uploads) never see or leave a partial file. A temporary file left by a killed
    process starts with ``TEMP_PREFIX`` and is reported by ``reports.services.find_orphaned_files``.
    """

    def _save(self, name, content):
        full_path = self.path(name)
        directory = os.path.dirname(full_path)
        os.makedirs(directory, exist_ok=True)
        fd, temp_path = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=directory)
        try:
            with os.fdopen(fd, "wb") as handle:
                for chunk in content.chunks():  # Storage.save always hands a django File
                    handle.write(chunk if isinstance(chunk, bytes) else chunk.encode())
                handle.flush()
                os.fsync(handle.fileno())
            if self.file_permissions_mode is not None:
                os.chmod(temp_path, self.file_permissions_mode)
            while True:
                try:
                    os.link(temp_path, full_path)
                except FileExistsError:
                    name = self.get_available_name(name)
                    full_path = self.path(name)
                else:
                    break
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp_path)
        return str(name).replace("\\", "/")
