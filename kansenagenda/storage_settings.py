"""The ``STORAGES["default"]`` entry for an S3-compatible bucket, built in one place for the settings
(``STORAGE_BACKEND=s3``) and for the tests that point a test at a local S3 server. No Django imports: the
settings module imports it while Django is not set up yet."""

from __future__ import annotations


def s3_storage(
    *,
    bucket: str,
    endpoint_url: str = "",
    region: str = "eu-west-1",
    access_key: str = "",
    secret_key: str = "",
    addressing_style: str = "path",
    location: str = "",
) -> dict:
    from botocore.config import Config

    return {
        "BACKEND": "kansenagenda.storage.AtomicS3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint_url or None,
            "region_name": region,
            "access_key": access_key or None,  # None: the instance's role / boto3's own credential chain
            "secret_key": secret_key or None,
            "location": location,
            # Fail fast: a probe or a download must not hang for a minute on an unreachable store.
            "client_config": Config(
                s3={"addressing_style": addressing_style},
                signature_version="s3v4",
                connect_timeout=3,
                read_timeout=30,
                retries={"max_attempts": 3, "mode": "standard"},
            ),
        },
    }
