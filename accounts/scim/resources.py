"""People and groups as SCIM documents, and the writes a directory makes.

Called by accounts.scim.views only. A person's SCIM document is kept as the
directory sent it (known attributes only) in DirectoryAccount and projected onto
User: userName -> username, the primary email -> email, name -> full name,
active -> is_active. Turning `active` off (or deleting) goes through
accounts.leaving.deactivate_person, so SCIM closes the same doors an
administrator does. Group membership becomes roles through apply_directory_groups.
"""

import uuid
from collections.abc import Iterable

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q

from accounts.leaving import deactivate_person, reactivate_person
from accounts.models import (
    AccountEvent,
    DirectoryAccount,
    DirectoryClient,
    DirectoryGroup,
    User,
)
from accounts.roles import Role
from accounts.scim import query
from accounts.scim.errors import ScimError, invalid_syntax, invalid_value
from accounts.scim.schemas import (
    GROUP_ATTRIBUTES,
    GROUP_SCHEMA,
    USER_ATTRIBUTES,
    USER_SCHEMA,
    canonical_names,
)
from accounts.services import apply_directory_groups, create_user

USER_NAMES = {**canonical_names(USER_ATTRIBUTES), "externalid": "externalId"}
GROUP_NAMES = {**canonical_names(GROUP_ATTRIBUTES), "externalid": "externalId"}
USER_MULTI = {"emails", "groups"}
GROUP_MULTI = {"members"}
# Where a person provisioned without any email address gets one that can never
# receive mail (RFC 2606 reserves .invalid); User.email must be unique.
NO_EMAIL_DOMAIN = "directory.invalid"


def _conflict(detail: str) -> ScimError:
    return ScimError(409, detail, "uniqueness")


def _text(value, name: str, *, limit: int = 255) -> str:
    if not isinstance(value, str):
        raise invalid_value(f"“{name}” must be text.")
    if len(value) > limit:
        raise invalid_value(f"“{name}” is longer than {limit} characters.")
    return value


def _boolean(value, name: str) -> bool:
    # Entra ID sends "True"/"False" as strings in PATCH.
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    if not isinstance(value, bool):
        raise invalid_value(f"“{name}” must be true or false.")
    return value


def _check_schemas(body: dict, schema: str) -> None:
    schemas = body.get("schemas")
    if schemas is not None and (not isinstance(schemas, list) or schema not in schemas):
        raise invalid_syntax(f"“schemas” must include {schema}.")


def clean_user(body) -> dict:
    """The known attributes of a User body, type-checked; anything else dropped."""
    if not isinstance(body, dict):
        raise invalid_syntax("The body must be a JSON object.")
    document = {}
    for key, value in body.items():
        name = USER_NAMES.get(query.strip_schema(key).lower())
        if name is None or name == "groups" or value is None:
            continue
        if name in ("userName", "displayName", "externalId"):
            document[name] = _text(value, name)
        elif name == "active":
            document[name] = _boolean(value, name)
        elif name == "name":
            if not isinstance(value, dict):
                raise invalid_value("“name” must be an object.")
            document[name] = {
                part: _text(value[part], f"name.{part}")
                for part in ("formatted", "familyName", "givenName")
                if value.get(part) is not None
            }
        elif name == "emails":
            document[name] = _emails(value)
    if not document.get("userName", "").strip():
        raise invalid_value("“userName” is required.")
    return document


def _emails(value) -> list[dict]:
    if not isinstance(value, list):
        raise invalid_value("“emails” must be a list.")
    emails = []
    for item in value[:20]:
        if not isinstance(item, dict) or not isinstance(item.get("value"), str):
            raise invalid_value("Each email needs a “value”.")
        email = {"value": _text(item["value"], "emails.value", limit=254)}
        if item.get("type") is not None:
            email["type"] = _text(item["type"], "emails.type", limit=64)
        if item.get("primary") is not None:
            email["primary"] = _boolean(item["primary"], "emails.primary")
        emails.append(email)
    return emails


def _chosen_email(document: dict, username: str) -> str:
    emails = document.get("emails") or []
    primary = [e["value"] for e in emails if e.get("primary")]
    if primary or emails:
        return (primary or [emails[0]["value"]])[0].strip()
    if "@" in username:
        return username
    return f"{uuid.uuid4().hex}@{NO_EMAIL_DOMAIN}"


def _full_name(document: dict) -> str:
    name = document.get("name") or {}
    joined = " ".join(
        part for part in (name.get("givenName"), name.get("familyName")) if part
    )
    return (name.get("formatted") or joined or document.get("displayName", ""))[:200]


def _project(user: User, document: dict) -> None:
    user.username = document["userName"].strip()
    wanted = _chosen_email(document, user.username)
    if user.email.lower() != wanted.lower():
        user.email = wanted
    user.full_name = _full_name(document)
    name = document.get("name") or {}
    user.first_name = (name.get("givenName") or "")[:150]
    user.last_name = (name.get("familyName") or "")[:150]
    try:
        user.full_clean(exclude=["password", "time_zone"])
    except ValidationError as exc:
        fields = exc.message_dict
        if any("already exists" in m for k in fields for m in fields[k]):
            raise _conflict("Another account has this userName or email.") from None
        first = next(iter(fields.items()))
        raise invalid_value(f"{first[0]}: {' '.join(first[1])}") from None


def _sync_email_address(user: User) -> None:
    # allauth keeps its own row; the directory vouches for the address.
    EmailAddress.objects.filter(user=user).exclude(email__iexact=user.email).delete()
    EmailAddress.objects.update_or_create(
        user=user,
        email=user.email,
        defaults={"primary": True, "verified": True},
    )


def _apply_active(account: DirectoryAccount, document: dict, client: str) -> None:
    # A replacement that leaves `active` out changes nothing: it must never
    # quietly bring back someone who has left.
    if "active" not in document:
        return
    wanted = document["active"]
    user = account.user
    if user.is_active and not wanted:
        deactivate_person(person=user, client=client)
    elif not user.is_active and wanted:
        reactivate_person(person=user, client=client)


def _existing_local_account(document: dict) -> User | None:
    username = document["userName"].strip()
    emails = [e["value"] for e in document.get("emails") or []]
    match = Q(username__iexact=username)
    for email in emails:
        match |= Q(email__iexact=email)
    return User.objects.filter(match).first()


@transaction.atomic
def create_directory_user(*, body, client: DirectoryClient) -> DirectoryAccount:
    _check_schemas(body, USER_SCHEMA)
    document = clean_user(body)
    user = _existing_local_account(document)
    if user is not None:
        # An account made by hand before the directory was connected is adopted;
        # patients keep their own local accounts and are never taken over.
        if DirectoryAccount.objects.filter(user=user).exists():
            raise _conflict("A person with this userName or email exists already.")
        if user.has_role(Role.PATIENT):
            raise _conflict("This email belongs to a patient's own account.")
    else:
        username = document["userName"].strip()
        if not username or len(username) > 150:
            raise invalid_value("“userName” must be 1 to 150 characters.")
        user = User(username=username, email="")
    _project(user, document)
    user.is_active = document.get("active", True)
    try:
        with transaction.atomic():
            if user.pk is None:
                user = create_user(
                    username=user.username,
                    email=user.email,
                    password=None,
                    full_name=user.full_name,
                    first_name=user.first_name,
                    last_name=user.last_name,
                    is_active=user.is_active,
                    email_verified=True,
                )
            else:
                user.save()
                _sync_email_address(user)
    except IntegrityError:
        raise _conflict("Another account has this userName or email.") from None
    account = DirectoryAccount.objects.create(
        user=user,
        client=client,
        external_id=document.get("externalId", ""),
        document=document,
    )
    AccountEvent.objects.create(
        actor_client=client.name, subject=user, action=AccountEvent.Action.PROVISIONED
    )
    return account


def _save_user(account: DirectoryAccount, document: dict, client: str) -> None:
    user = account.user
    _project(user, document)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        raise _conflict("Another account has this userName or email.") from None
    _sync_email_address(user)
    account.document = document
    account.external_id = document.get("externalId", "")
    account.version += 1
    account.save()
    _apply_active(account, document, client)


@transaction.atomic
def replace_directory_user(
    *, account: DirectoryAccount, body, client: DirectoryClient
) -> DirectoryAccount:
    _check_schemas(body, USER_SCHEMA)
    _save_user(account, clean_user(body), client.name)
    return account


@transaction.atomic
def patch_directory_user(
    *, account: DirectoryAccount, operations, client: DirectoryClient
) -> DirectoryAccount:
    current = {**account.document, "active": account.user.is_active}
    patched = query.apply_patch(current, operations, names=USER_NAMES, multi=USER_MULTI)
    if "groups" in patched:
        raise ScimError(400, "“groups” is read-only here.", "mutability")
    _save_user(account, clean_user(patched), client.name)
    return account


@transaction.atomic
def delete_directory_user(
    *, account: DirectoryAccount, client: DirectoryClient
) -> None:
    """The person leaves: doors closed, directory roles taken back, link removed.

    The account itself stays (inactive) because audit trails and signed notes
    point at it; SCIM answers 404 for it from now on."""
    user = account.user
    if user.is_active:
        deactivate_person(person=user, client=client.name)
    user.directory_groups.clear()
    apply_directory_groups(user=user, group_names=[])
    account.delete()


def user_document(account: DirectoryAccount, base_url: str) -> dict:
    user = account.user
    document = {
        "schemas": [USER_SCHEMA],
        "id": str(user.uuid),
        **account.document,
        "userName": user.username,
        "active": user.is_active,
    }
    groups = [
        {
            "value": str(group.uuid),
            "$ref": f"{base_url}Groups/{group.uuid}",
            "display": group.display_name,
        }
        for group in user.directory_groups.all()
    ]
    if groups:
        document["groups"] = groups
    document["meta"] = {
        "resourceType": "User",
        "created": account.created_at.isoformat(),
        "lastModified": account.updated_at.isoformat(),
        "location": f"{base_url}Users/{user.uuid}",
        "version": etag(account.version),
    }
    return document


def etag(version: int) -> str:
    return f'W/"{version}"'


# --- Groups ----------------------------------------------------------------------


def _clean_group(body) -> tuple[dict, list[str] | None]:
    if not isinstance(body, dict):
        raise invalid_syntax("The body must be a JSON object.")
    document = {}
    members = None
    for key, value in body.items():
        name = GROUP_NAMES.get(query.strip_schema(key).lower())
        if name is None or value is None:
            continue
        if name == "members":
            if not isinstance(value, list):
                raise invalid_value("“members” must be a list.")
            members = []
            for item in value:
                if not isinstance(item, dict) or not isinstance(item.get("value"), str):
                    raise invalid_value("Each member needs a “value”.")
                members.append(item["value"])
        else:
            document[name] = _text(value, name)
    if not document.get("displayName", "").strip():
        raise invalid_value("“displayName” is required.")
    return document, members


def _members(values: Iterable[str]) -> list[User]:
    wanted = set(values)
    try:
        ids = {uuid.UUID(value) for value in wanted}
    except ValueError:
        raise invalid_value("A member is not a provisioned User's id.") from None
    people = list(User.objects.filter(uuid__in=ids, directory_account__isnull=False))
    if len(people) != len(ids):
        raise invalid_value("A member is not a provisioned User's id.")
    return people


def _sync_roles(people: Iterable[User]) -> None:
    for person in people:
        names = []
        for group in person.directory_groups.all():
            names.extend(n for n in (group.display_name, group.external_id) if n)
        apply_directory_groups(user=person, group_names=names)


def _save_group(group: DirectoryGroup, document: dict, members) -> None:
    group.display_name = document["displayName"].strip()
    group.external_id = document.get("externalId", "")
    if group.pk is not None:
        group.version += 1
    group.save()
    if members is not None:
        before = set(group.members.all())
        after = _members(members)
        group.members.set(after)
        _sync_roles(before | set(after))
    else:
        _sync_roles(group.members.all())


@transaction.atomic
def create_directory_group(*, body, client: DirectoryClient) -> DirectoryGroup:
    _check_schemas(body, GROUP_SCHEMA)
    document, members = _clean_group(body)
    if DirectoryGroup.objects.filter(
        display_name__iexact=document["displayName"].strip()
    ).exists():
        raise _conflict("A group with this displayName exists already.")
    group = DirectoryGroup()
    _save_group(group, document, members or [])
    return group


@transaction.atomic
def replace_directory_group(
    *, group: DirectoryGroup, body, client: DirectoryClient
) -> DirectoryGroup:
    _check_schemas(body, GROUP_SCHEMA)
    document, members = _clean_group(body)
    _save_group(group, document, members or [])
    return group


def _group_patch_document(group: DirectoryGroup) -> dict:
    document = {"displayName": group.display_name}
    if group.external_id:
        document["externalId"] = group.external_id
    members = [{"value": str(person.uuid)} for person in group.members.all()]
    if members:
        document["members"] = members
    return document


@transaction.atomic
def patch_directory_group(
    *, group: DirectoryGroup, operations, client: DirectoryClient
) -> DirectoryGroup:
    patched = query.apply_patch(
        _group_patch_document(group), operations, names=GROUP_NAMES, multi=GROUP_MULTI
    )
    document, members = _clean_group(patched)
    _save_group(group, document, members or [])
    return group


@transaction.atomic
def delete_directory_group(*, group: DirectoryGroup, client: DirectoryClient) -> None:
    people = list(group.members.all())
    group.delete()
    _sync_roles(people)


def group_document(group: DirectoryGroup, base_url: str) -> dict:
    document = {
        "schemas": [GROUP_SCHEMA],
        "id": str(group.uuid),
        "displayName": group.display_name,
    }
    if group.external_id:
        document["externalId"] = group.external_id
    members = [
        # No "display": it would be a person's name the directory did not send
        # back to it, and it changes when they edit their profile.
        {"value": str(person.uuid), "$ref": f"{base_url}Users/{person.uuid}"}
        for person in group.members.all()
    ]
    if members:
        document["members"] = members
    document["meta"] = {
        "resourceType": "Group",
        "created": group.created_at.isoformat(),
        "lastModified": group.updated_at.isoformat(),
        "location": f"{base_url}Groups/{group.uuid}",
        "version": etag(group.version),
    }
    return document
