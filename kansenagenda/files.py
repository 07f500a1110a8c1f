"""The one way files leave the system (a permission-checked view calls ``protected_file_response``, never a
public media URL or a public bucket; streamed from storage and checked against the stored SHA-256; every
download is written to the access log here, ``accounts.accesslog.services.record_access``) and the one way
they are stored on disk (``AtomicFileSystemStorage``: complete or not at all; in a bucket see
``kansenagenda.storage.AtomicS3Storage``)."""

import contextlib
import hashlib
import logging
import os
import tempfile

from django.core.files.storage import FileSystemStorage
from django.http import Http404, StreamingHttpResponse
from django.utils.http import content_disposition_header

logger = logging.getLogger(__name__)


class ChecksumMismatch(OSError):
    """The stored bytes are not the bytes that were stored: the download is cut off before its last chunk."""


def verified_chunks(chunks, *, expected_sha256: str, name: str):
    """Yield ``chunks`` while hashing them, holding back the last one until the SHA-256 matches
    ``expected_sha256``. On a mismatch the last chunk is never sent and ``ChecksumMismatch`` is raised, so
    the client receives fewer bytes than Content-Length announced: a damaged file is never delivered whole."""
    digest = hashlib.sha256()
    held = None
    for chunk in chunks:
        if held is not None:
            yield held
        digest.update(chunk)
        held = chunk
    if expected_sha256 and digest.hexdigest() != expected_sha256:
        logger.error(
            "Checksum mismatch on download of %s: stored %s, read %s", name, expected_sha256, digest.hexdigest()
        )
        raise ChecksumMismatch(f"checksum mismatch: {name}")
    if held is not None:
        yield held


def protected_file_response(
    file,
    *,
    filename: str,
    content_type: str,
    sha256: str,
    request,
    obj,
    purpose: str,
    agenda_id: int | None = None,
) -> StreamingHttpResponse:
    """Download the stored ``file`` (a ``FieldFile``) as an attachment, streamed from storage (disk or
    bucket, ``kansenagenda.storage.open_stream``) and checked against the stored checksum on the way out
    (``verified_chunks``). A safe file name (RFC 6266), the checksum header, no sniffing and no caching by
    shared caches; a missing file is a 404. Logged as a download of ``obj`` by the request's user (who,
    what, when, why, which door). Bytes generated on the fly (not stored) go out through
    ``protected_bytes_response``, with the same headers and logging."""
    from kansenagenda.storage import open_stream

    try:
        chunks, size = open_stream(file.storage, file.name)
    except FileNotFoundError:
        raise Http404 from None
    response = StreamingHttpResponse(
        verified_chunks(chunks, expected_sha256=sha256, name=file.name), content_type=content_type
    )
    return _attachment(
        response,
        size=size,
        filename=filename,
        sha256=sha256,
        request=request,
        obj=obj,
        purpose=purpose,
        agenda_id=agenda_id,
    )


def protected_bytes_response(
    data: bytes,
    *,
    filename: str,
    content_type: str,
    request,
    obj,
    purpose: str,
    agenda_id: int | None = None,
) -> StreamingHttpResponse:
    """Download bytes generated for this request (an export, a pre-filled spreadsheet) as an attachment:
    the same headers as ``protected_file_response`` (checksum computed here), logged the same way."""
    if hasattr(data, "getvalue"):
        data = data.getvalue()
    response = StreamingHttpResponse(iter([data]), content_type=content_type)
    return _attachment(
        response,
        size=len(data),
        filename=filename,
        sha256=hashlib.sha256(data).hexdigest(),
        request=request,
        obj=obj,
        purpose=purpose,
        agenda_id=agenda_id,
    )


def _attachment(response, *, size, filename, sha256, request, obj, purpose, agenda_id):
    from accounts.accesslog.services import Event, record_access

    response["Content-Length"] = str(size)
    response["Content-Disposition"] = content_disposition_header(True, filename)
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
