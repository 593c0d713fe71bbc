"""Accounts' write API: creating people, giving them roles, setting up TOTP.

Called by seed_demo, the admin, and other apps' services and tests. Nothing here
knows about the apps above accounts.

This is also accounts' one door: other apps import accounts from here (and the
models from accounts.models) only, so the shared helpers they use (roles, times
in a person's zone, the Refusal base, templated email, refusing untrusted input,
CSV, calendar mail, leaving, the staff screens' permission check) are re-exported
below.
"""

from collections.abc import Iterable
from datetime import datetime

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.models import Group, Permission
from django.db import IntegrityError, transaction

from accounts.admin_columns import LocalTimeColumn
from accounts.calendar_mail import calendar_attachment
from accounts.client_ip import client_ip
from accounts.csv_export import csv_text, write_csv
from accounts.emails import render_email, send_email
from accounts.key_files import key_file_once
from accounts.landing import landing_url
from accounts.leaving import ClosedDoor, LeavingSteps, OpenWork, person_deactivated
from accounts.local_time import (
    DATE_FORMAT,
    format_time,
    format_time_pair,
    in_zone,
    zone_of,
)
from accounts.models import DirectoryGroupRole, UsedSingleSignOnAssertion, User
from accounts.permissions import VIEW_ONLY, ActionsPermissionPolicy, require_permission
from accounts.refusals import Refusal, refusal_json
from accounts.roles import ROLE_PERMISSIONS, STAFF_ROLES, Role
from accounts.stream_blocks import StreamBlock
from accounts.untrusted_input import BodyRefused, parse_csv, parse_json, request_json
from accounts.validators import validate_time_zone

__all__ = [
    # Write API
    "activate_totp",
    "apply_directory_groups",
    "assign_roles",
    "create_user",
    "has_totp",
    "sync_role_groups",
    "use_single_sign_on_assertion",
    # Shared helpers, re-exported for other apps
    "DATE_FORMAT",
    "ROLE_PERMISSIONS",
    "LocalTimeColumn",
    "VIEW_ONLY",
    "ActionsPermissionPolicy",
    "STAFF_ROLES",
    "BodyRefused",
    "ClosedDoor",
    "LeavingSteps",
    "OpenWork",
    "Refusal",
    "Role",
    "StreamBlock",
    "calendar_attachment",
    "client_ip",
    "csv_text",
    "format_time",
    "format_time_pair",
    "in_zone",
    "key_file_once",
    "landing_url",
    "parse_csv",
    "parse_json",
    "person_deactivated",
    "refusal_json",
    "render_email",
    "request_json",
    "require_permission",
    "send_email",
    "validate_time_zone",
    "write_csv",
    "zone_of",
]


def sync_role_groups(*, using: str = "default") -> None:
    """Create one group per role and give it exactly its listed permissions."""
    for role, dotted_names in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.using(using).get_or_create(name=role.value)
        wanted = []
        for dotted in dotted_names:
            app_label, codename = dotted.split(".", 1)
            wanted.extend(
                Permission.objects.using(using).filter(
                    content_type__app_label=app_label, codename=codename
                )
            )
        group.permissions.set(wanted)


@transaction.atomic
def create_user(
    *,
    username: str,
    email: str,
    password: str | None,
    full_name: str,
    roles: list[Role] = (),
    email_verified: bool = False,
    **profile,
) -> User:
    """Create a person with their roles; an unusable password when none is given."""
    user = User(username=username, email=email, full_name=full_name, **profile)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean()
    user.save()
    assign_roles(user=user, roles=roles)
    EmailAddress.objects.create(
        user=user, email=email, primary=True, verified=email_verified
    )
    return user


def assign_roles(*, user: User, roles: list[Role]) -> User:
    """Add the user to each role's group; post_migrate has made the groups."""
    names = {role.value for role in roles}
    groups = list(Group.objects.filter(name__in=names))
    if len(groups) < len(names):
        # A database that never ran post_migrate (or had its groups deleted).
        sync_role_groups()
        groups = list(Group.objects.filter(name__in=names))
    user.groups.add(*groups)
    user.__dict__.pop("role_names", None)
    return user


def has_totp(user: User) -> bool:
    return Authenticator.objects.filter(
        user=user, type=Authenticator.Type.TOTP
    ).exists()


@transaction.atomic
def activate_totp(*, user: User, secret: str) -> Authenticator:
    """Set up TOTP with a known secret (the demo personas); replaces an old one."""
    Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).delete()
    return TOTP.activate(user, secret).instance


def _directory_key(group: str) -> str:
    return group.strip().casefold()


@transaction.atomic
def apply_directory_groups(
    *, user: User, group_names: Iterable[str]
) -> tuple[set[Role], set[Role]]:
    """Give `user` exactly the directory-governed roles their groups map to.

    Called at every single sign-on and on every SCIM change. Roles that no row of
    DirectoryGroupRole names are left alone. Returns (added, removed) for the
    caller's audit entry.
    """
    keys = {_directory_key(name) for name in group_names if name}
    governed, granted = set(), set()
    for mapping in DirectoryGroupRole.objects.all():
        governed.add(Role(mapping.role))
        if _directory_key(mapping.group) in keys:
            granted.add(Role(mapping.role))
    held = {role for role in governed if user.has_role(role)}
    added, removed = granted - held, held - granted
    if added:
        assign_roles(user=user, roles=list(added))
    if removed:
        user.groups.remove(*Group.objects.filter(name__in={r.value for r in removed}))
        user.__dict__.pop("role_names", None)
    return added, removed


def use_single_sign_on_assertion(
    *, provider: str, assertion_id: str, expires_at: datetime
) -> bool:
    """Record a SAML assertion as used; False when it was used before (a replay).

    Called by accounts.sso for every signed, in-time assertion. The unique
    constraint decides, so two workers given the same assertion cannot both win.
    """
    if not assertion_id:
        return False
    try:
        with transaction.atomic():
            UsedSingleSignOnAssertion.objects.create(
                provider=provider, assertion_id=assertion_id, expires_at=expires_at
            )
    except IntegrityError:
        return False
    return True
