"""Where attachments and generated documents live: a directory (``STORAGE_BACKEND=filesystem``, the default)
or an S3-compatible bucket (``STORAGE_BACKEND=s3``, django-storages). Every caller goes through Django's
storages API (``FieldFile.save``/``delete``, ``default_storage``), so the code is the same for both.

- ``AtomicS3Storage``: a put to S3 is all or nothing by nature (the object exists only once the upload is
  complete); never overwrites (a taken name gets a free one, like the file-system storage) and reports a
  storage failure as ``StorageUnavailable`` (an ``OSError``), as a full disk is reported.
- ``open_stream(storage, name)``: ``(chunks, size)`` for a download, streamed from the bucket or the disk
  without loading the file into memory or onto local disk.
- ``ping()``: for /health/ready: the bucket answers (HEAD bucket) or the media directory is writable.
- ``list_names()``: every stored name (orphan report), for both backends.

Buckets are private: files leave only through the permission-checked views (``kansenagenda.files``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator

CHUNK_SIZE = 64 * 1024


class StorageUnavailable(OSError):
    """The object store refused or could not be reached; handled like a full disk."""


def _s3_errors() -> tuple[type[BaseException], ...]:
    from botocore.exceptions import BotoCoreError, ClientError

    return (BotoCoreError, ClientError)


def _is_s3(storage) -> bool:
    try:
        from storages.backends.s3 import S3Storage
    except ImportError:  # django-storages not installed: only the file system is possible
        return False
    return isinstance(storage, S3Storage)


try:
    from storages.backends.s3 import S3Storage as _S3Base
except ImportError:  # pragma: no cover – requirements.txt pins django-storages
    _S3Base = object


class AtomicS3Storage(_S3Base):
    file_overwrite = False  # a taken name gets a free one (never replace someone's file)
    default_acl = None  # the bucket's policy applies: private
    querystring_auth = True  # any URL it would make is signed, never public

    def save(self, name, content, max_length=None):
        try:  # finding a free name asks the store too, so the whole save is covered
            return super().save(name, content, max_length=max_length)
        except _s3_errors() as exc:
            raise StorageUnavailable(f"object storage: {exc}") from exc

    def _key(self, name: str) -> str:
        from storages.utils import clean_name

        return self._normalize_name(clean_name(name))

    def stream(self, name: str) -> tuple[Iterator[bytes], int]:
        from botocore.exceptions import ClientError

        try:
            obj = self.connection.meta.client.get_object(Bucket=self.bucket_name, Key=self._key(name))
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in {"NoSuchKey", "404", "NotFound"}:
                raise FileNotFoundError(name) from exc
            raise StorageUnavailable(f"object storage: {exc}") from exc
        body = obj["Body"]

        def chunks():
            try:
                yield from body.iter_chunks(CHUNK_SIZE)
            finally:
                body.close()

        return chunks(), int(obj["ContentLength"])


def open_stream(storage, name: str) -> tuple[Iterator[bytes], int]:
    """The stored file ``name`` as ``(chunks, size)``; ``FileNotFoundError`` when it is not there."""
    if isinstance(storage, AtomicS3Storage):
        return storage.stream(name)
    handle = storage.open(name, "rb")
    size = handle.size

    def chunks():
        try:
            yield from handle.chunks(CHUNK_SIZE)
        finally:
            handle.close()

    return chunks(), size


def ping(storage=None) -> None:
    """Raise when the file storage cannot be used right now."""
    from django.core.files.storage import storages

    storage = storage or storages["default"]
    if _is_s3(storage):
        storage.connection.meta.client.head_bucket(Bucket=storage.bucket_name)
        return
    root = storage.location
    os.makedirs(root, exist_ok=True)
    if not os.access(root, os.W_OK):
        raise PermissionError(f"{root} is not writable")


def list_names(storage=None) -> list[str]:
    """Every stored name below the storage's root, as the ``FileField`` values name them."""
    from django.core.files.storage import storages

    storage = storage or storages["default"]
    if _is_s3(storage):
        prefix = storage._normalize_name("")
        names = []
        paginator = storage.connection.meta.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=storage.bucket_name, Prefix=prefix.lstrip("/") if prefix else ""):
            for item in page.get("Contents", []):
                key = item["Key"]
                names.append(key[len(prefix) :].lstrip("/") if prefix else key)
        return sorted(names)
    root = str(storage.location)
    if not os.path.isdir(root):
        return []
    names = []
    for directory, _dirs, files in os.walk(root):
        for filename in files:
            names.append(os.path.relpath(os.path.join(directory, filename), root).replace(os.sep, "/"))
    return sorted(names)
