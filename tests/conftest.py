import pytest

from tests.factories import AllianceFactory, OrganisationFactory, make_coordinator, make_partner


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _dutch_first():
    """Every test starts in the default language (Dutch). A request through the test client activates the
    language it asks for (LocaleMiddleware) and leaves it active in the thread; without this reset an English
    request leaks into whichever test the worker runs next (seen in CI: 25 Dutch-text tests got English)."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def alliance(db):
    return AllianceFactory(organisations=[OrganisationFactory()])


@pytest.fixture
def other_alliance(db):
    return AllianceFactory(organisations=[OrganisationFactory()])


@pytest.fixture
def coordinator(alliance):
    return make_coordinator(alliance)


@pytest.fixture
def partner(alliance):
    return make_partner(alliance)


def ensure_reference_data() -> None:
    """Transactional tests flush the database, data migrations included: put the reference data back."""
    import importlib

    from django.apps import apps

    for module in (
        "accounts.migrations.0002_roles_and_provinces",
        "agendas.migrations.0002_reference_data",
        "agendas.migrations.0010_woo_archive",
        "agendas.migrations.0010_bw16_welfare_reference",
        "accounts.migrations.0014_rijk_supporter_role",
        "agendas.migrations.0016_rijk_ministries",
    ):
        importlib.import_module(module).forwards(apps, None)
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes

    for config in apps.get_app_configs():
        create_contenttypes(config, verbosity=0)
        create_permissions(config, verbosity=0)


@pytest.fixture(autouse=True)
def _reference_data_for_transactional_tests(request):
    marker = request.node.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction"):
        request.getfixturevalue("transactional_db")
        ensure_reference_data()


@pytest.fixture(scope="session")
def moto_s3():
    """moto's S3 server on a free port of the test range, for the whole session (skipped without moto)."""
    pytest.importorskip("moto.server")
    from tests.servers import MotoS3

    server = MotoS3()
    yield server
    server.stop()


@pytest.fixture
def s3_bucket(moto_s3, settings):
    """A fresh private bucket, and Django's default storage pointed at it for this test."""
    bucket = moto_s3.new_bucket()
    settings.STORAGES = {**settings.STORAGES, "default": moto_s3.storage_setting(bucket)}
    return bucket
