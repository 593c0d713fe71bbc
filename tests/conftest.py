"""Shared fixtures: named personas (healthchecks' Alice and Bob, for a hospital)."""

import os
import shutil

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connections

from accounts.roles import Role
from accounts.services import activate_totp, create_user
from tests import migrated_database

# Playwright's sync API keeps an event loop running in the test thread; Django would
# otherwise refuse ORM calls from it. Only the test process sets this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
PASSWORD = "correct-horse-battery-staple"


def _restore_migration_data_after(item) -> None:
    """Transactional tests truncate every table, including the rows our migrations
    create (Wagtail's root page and collection, the home page, the heartbeat
    schedule). Serialized rollback puts them back, so test order never matters."""
    marker = item.get_closest_marker("django_db")
    if (
        marker
        and marker.kwargs.get("transaction")
        and not marker.kwargs.get("serialized_rollback")
    ):
        item.add_marker(
            pytest.mark.django_db(
                *marker.args, **marker.kwargs, serialized_rollback=True
            ),
            append=False,
        )


def _keep_module_fixtures_on_one_worker(item) -> None:
    """A module-scoped fixture that starts something slow (the identity providers'
    processes, a whole portal in a subprocess) runs once per worker that gets any
    of the module's tests, and again each time a worker comes back to the module.
    Under `make test` (--dist loadgroup) these modules go whole to one worker."""
    for definitions in item._fixtureinfo.name2fixturedefs.values():
        if definitions and definitions[-1].scope == "module":
            item.add_marker(pytest.mark.xdist_group(item.module.__name__))
            return


# First, so that pytest-xdist's own hook sees the groups added here.
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    chromium_found = shutil.which(CHROMIUM) is not None
    for item in items:
        _restore_migration_data_after(item)
        _keep_module_fixtures_on_one_worker(item)
        if "page" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
        if item.get_closest_marker("browser") and not chromium_found:
            if os.environ.get("CI"):
                raise pytest.UsageError(
                    f"CI must run the browser tests but {CHROMIUM} is missing."
                )
            item.add_marker(
                pytest.mark.skip(
                    reason=f"{CHROMIUM} not installed (apt-get install chromium)"
                )
            )
        if item.get_closest_marker("postgres") and not settings.USING_POSTGRES:
            item.add_marker(
                pytest.mark.skip(
                    reason="concurrency proofs need PostgreSQL; set DATABASE_URL"
                )
            )
    # The groups start slow servers (a whole migrate and seed_demo for the portal on
    # its own port); left where they fall, the last of them ends the run alone on
    # one worker while the other waits. They go first; the order stays the same.
    items.sort(key=lambda item: item.get_closest_marker("xdist_group") is None)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, request):
    """pytest-django creates the test databases right after this fixture: their
    migrate loads the database saved by an earlier run when it still matches."""
    if hasattr(request.config, "cache"):
        migrated_database.start(request.config.cache.mkdir("migrated-test-database"))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """Let every connection object restore the post-migrate snapshot.

    Django keeps the serialized snapshot on the connection object that created the
    test database. Playwright's sync API runs tests inside a greenlet, where Django's
    context-local connection handler hands out a fresh connection object without it,
    and serialized rollback then silently restores nothing. Putting the snapshot on
    the backend class makes every connection object see it.
    """
    migrated_database.stop()  # the databases exist: call_command is Django's again
    connection = connections["default"]
    snapshot = getattr(connection, "_test_serialized_contents", None)
    if snapshot is not None:
        type(connection)._test_serialized_contents = snapshot


@pytest.fixture(autouse=True)
def _empty_caches():
    """The local-memory cache outlives a test; a page cached by one test (for example
    a 404 while the tree was empty) must not be served to the next."""
    for alias in settings.CACHES:
        caches[alias].clear()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
        ],
    }


def make_person(username: str, roles: list[Role], *, totp: bool = False, **profile):
    user = create_user(
        username=username,
        email=f"{username}@example.org",
        password=PASSWORD,
        full_name=profile.pop("full_name", username.replace("_", " ").title()),
        roles=roles,
        email_verified=True,
        **profile,
    )
    if totp:
        activate_totp(user=user, secret=settings.DEMO_TOTP_SECRET)
    return user


@pytest.fixture
def patient(db):
    return make_person("patient", [Role.PATIENT], time_zone="America/Chicago")


@pytest.fixture
def other_patient(db):
    return make_person("other_patient", [Role.PATIENT], time_zone="America/Los_Angeles")


@pytest.fixture
def clinician(db):
    return make_person(
        "clinician",
        [Role.CLINICIAN],
        totp=True,
        full_name="Dana Clinician, MD",
        profession="physician",
        npi="1234567893",
    )


@pytest.fixture
def specialist(db):
    return make_person(
        "specialist",
        [Role.SPECIALIST, Role.CLINICIAN],
        totp=True,
        time_zone="Europe/London",
    )


@pytest.fixture
def editor(db):
    return make_person("editor", [Role.EDITOR], totp=True)


@pytest.fixture
def reviewer(db):
    return make_person("reviewer", [Role.CLINICAL_REVIEWER, Role.CLINICIAN], totp=True)


@pytest.fixture
def coordinator(db):
    return make_person("coordinator", [Role.CME_COORDINATOR], totp=True)


@pytest.fixture
def meeting_admin(db):
    return make_person("meetingadmin", [Role.MEETING_ADMINISTRATOR], totp=True)


@pytest.fixture
def auditor(db):
    return make_person("auditor", [Role.AUDITOR], totp=True)


@pytest.fixture
def site_admin(db):
    return make_person(
        "admin", [Role.SITE_ADMINISTRATOR], totp=True, is_staff=True, is_superuser=True
    )
