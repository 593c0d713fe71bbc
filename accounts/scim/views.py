"""The /scim/v2/ endpoints: bearer-only, CSRF-exempt, bounded bodies, SCIM errors.

Thin: authenticate the directory client, parse the body with
accounts.untrusted_input, call one function of accounts.scim.resources, answer.
Every refusal is a SCIM error document with a 4xx status (never a 500).
"""

import json
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.db import DatabaseError, transaction
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from accounts.models import DirectoryAccount, DirectoryGroup
from accounts.scim import query, resources
from accounts.scim.errors import (
    SCIM_CONTENT_TYPE,
    ScimError,
    invalid_syntax,
    invalid_value,
    not_found,
)
from accounts.scim.schemas import (
    LIST_SCHEMA,
    MAX_RESULTS,
    PATCH_SCHEMA,
    SEARCH_SCHEMA,
    resource_type_documents,
    schema_documents,
    service_provider_config,
)
from accounts.scim.tokens import client_for
from accounts.untrusted_input import BodyRefused, request_json

logger = logging.getLogger(__name__)

# A User is a few hundred bytes; a Group PATCH from Entra ID carries at most a few
# hundred members per request. 512 KB is generous for both.
MAX_BODY_BYTES = 512 * 1024
DOCUMENTATION = "https://www.rfc-editor.org/rfc/rfc7644"


def _base_url(request) -> str:
    return request.build_absolute_uri("/scim/v2/")


def _json(data, *, status: int = 200, version: str | None = None) -> HttpResponse:
    response = HttpResponse(
        json.dumps(data), status=status, content_type=SCIM_CONTENT_TYPE
    )
    if version:
        response["ETag"] = version
    if "meta" in data and "location" in data["meta"] and status in (200, 201):
        response["Location"] = data["meta"]["location"]
    return response


def scim_endpoint(view):
    """Bearer token, SCIM errors, and never a 500 for what a client sent."""

    @csrf_exempt
    def wrapped(request, *args, **kwargs):
        client = client_for(request.headers.get("Authorization", ""))
        if client is None:
            return ScimError(401, "A valid bearer token is required.").response()
        if (
            client.last_used_at is None
            or (timezone.now() - client.last_used_at).total_seconds() > 60
        ):
            type(client).objects.filter(pk=client.pk).update(
                last_used_at=timezone.now()
            )
        request.scim_client = client
        try:
            return view(request, *args, **kwargs)
        except ScimError as error:
            return error.response()
        except BodyRefused as refused:
            return invalid_syntax(refused.message).response()
        except DatabaseError:
            # A conflict between two writes at once (or a value the database will
            # not hold); nothing was saved and the directory retries.
            logger.warning("SCIM write refused by the database", exc_info=True)
            return ScimError(409, "The change conflicted; please retry.").response()

    return wrapped


def _body(request):
    return request_json(request, max_bytes=MAX_BODY_BYTES)


def _projection(request, document: dict) -> dict:
    """`attributes` / `excludedAttributes` (top-level names; id and schemas stay)."""
    include = _names(request.GET.get("attributes", ""))
    exclude = _names(request.GET.get("excludedAttributes", ""))
    return _project(document, include, exclude)


def _names(text: str) -> set[str]:
    return {
        query.strip_schema(part.strip()).split(".", 1)[0].lower()
        for part in text.split(",")
        if part.strip()
    }


def _project(document: dict, include: set[str], exclude: set[str]) -> dict:
    always = {"id", "schemas"}
    return {
        key: value
        for key, value in document.items()
        if key.lower() in always
        or ((not include or key.lower() in include) and key.lower() not in exclude)
    }


def _page(params) -> tuple[int, int]:
    try:
        start = max(1, int(params.get("startIndex", 1)))
        count = max(0, min(MAX_RESULTS, int(params.get("count", MAX_RESULTS))))
    except (TypeError, ValueError):
        raise invalid_value("startIndex and count must be whole numbers.") from None
    return start, count


def _check_if_match(request, version: str) -> None:
    wanted = request.headers.get("If-Match")
    if (
        wanted
        and wanted.strip() != "*"
        and version not in {tag.strip() for tag in wanted.split(",")}
    ):
        raise ScimError(412, "The resource changed since you read it.")


# --- listing and search -------------------------------------------------------

_USER_COLUMNS = {
    "username": "user__username__iexact",
    "externalid": "external_id",
    "emails": "user__email__iexact",
    "emails.value": "user__email__iexact",
    "id": "user__uuid",
}
_GROUP_COLUMNS = {
    "displayname": "display_name__iexact",
    "externalid": "external_id",
    "id": "uuid",
}


def _narrowed(queryset, tree, columns):
    equality = query.simple_equality(tree) if tree else None
    if equality and equality[0] in columns:
        field = columns[equality[0]]
        if field.endswith("uuid"):
            try:
                uuid.UUID(equality[1])
            except ValueError:
                return queryset.none()
        return queryset.filter(**{field: equality[1]})
    return queryset


def _list(request, params, *, kind: str) -> HttpResponse:
    base = _base_url(request)
    text = params.get("filter")
    tree = query.parse_filter(text) if text else None
    if kind == "User":
        queryset = DirectoryAccount.objects.select_related("user").prefetch_related(
            "user__directory_groups"
        )
        queryset = _narrowed(queryset, tree, _USER_COLUMNS).order_by("pk")
        render = resources.user_document
    else:
        queryset = DirectoryGroup.objects.prefetch_related("members")
        queryset = _narrowed(queryset, tree, _GROUP_COLUMNS).order_by("pk")
        render = resources.group_document
    start, count = _page(params)
    if tree is None or query.simple_equality(tree) and _is_exact(tree, kind):
        total = queryset.count()
        documents = [render(o, base) for o in queryset[start - 1 : start - 1 + count]]
    else:
        matching = [
            d for d in (render(o, base) for o in queryset) if query.matches(tree, d)
        ]
        total = len(matching)
        documents = matching[start - 1 : start - 1 + count]
    include = _names(params.get("attributes", ""))
    exclude = _names(params.get("excludedAttributes", ""))
    return _json(
        {
            "schemas": [LIST_SCHEMA],
            "totalResults": total,
            "itemsPerPage": len(documents),
            "startIndex": start,
            "Resources": [_project(d, include, exclude) for d in documents],
        }
    )


def _is_exact(tree, kind: str) -> bool:
    columns = _USER_COLUMNS if kind == "User" else _GROUP_COLUMNS
    return query.simple_equality(tree)[0] in columns


@scim_endpoint
def users(request):
    if request.method == "GET":
        return _list(request, request.GET, kind="User")
    if request.method == "POST":
        account = resources.create_directory_user(
            body=_body(request), client=request.scim_client
        )
        document = resources.user_document(account, _base_url(request))
        return _json(document, status=201, version=document["meta"]["version"])
    raise ScimError(405, "Use GET or POST here.")


@scim_endpoint
def groups(request):
    if request.method == "GET":
        return _list(request, request.GET, kind="Group")
    if request.method == "POST":
        group = resources.create_directory_group(
            body=_body(request), client=request.scim_client
        )
        document = resources.group_document(group, _base_url(request))
        return _json(document, status=201, version=document["meta"]["version"])
    raise ScimError(405, "Use GET or POST here.")


def _search(request, kind: str) -> HttpResponse:
    if request.method != "POST":
        raise ScimError(405, "Use POST here.")
    body = _body(request)
    if not isinstance(body, dict) or SEARCH_SCHEMA not in (body.get("schemas") or []):
        raise invalid_syntax(f"A search needs “schemas”: [{SEARCH_SCHEMA}].")
    return _list(request, _search_params(body), kind=kind)


def _search_params(body: dict) -> dict:
    params = {}
    for key in ("filter", "startIndex", "count"):
        if body.get(key) is not None:
            params[key] = body[key] if key != "filter" else str(body[key])
    for key in ("attributes", "excludedAttributes"):
        value = body.get(key)
        if isinstance(value, list):
            params[key] = ",".join(str(v) for v in value)
        elif isinstance(value, str):
            params[key] = value
    return params


@scim_endpoint
def root_search(request):
    """POST /.search across Users and Groups (RFC 7644 §3.4.3)."""
    if request.method != "POST":
        raise ScimError(405, "Use POST here.")
    body = _body(request)
    if not isinstance(body, dict) or SEARCH_SCHEMA not in (body.get("schemas") or []):
        raise invalid_syntax(f"A search needs “schemas”: [{SEARCH_SCHEMA}].")
    params = _search_params(body)
    start, count = _page(params)

    def listing(kind, first, how_many):
        window = {**params, "startIndex": first, "count": how_many}
        return json.loads(_list(request, window, kind=kind).content)

    # Users first, then Groups, as one list: the page may end in the users, span
    # both, or start among the groups.
    users = listing("User", start, count)
    page = users["Resources"]
    groups = listing("Group", max(1, start - users["totalResults"]), count - len(page))
    page += groups["Resources"]
    return _json(
        {
            "schemas": [LIST_SCHEMA],
            "totalResults": users["totalResults"] + groups["totalResults"],
            "itemsPerPage": len(page),
            "startIndex": start,
            "Resources": page,
        }
    )


@scim_endpoint
def users_search(request):
    return _search(request, "User")


@scim_endpoint
def groups_search(request):
    return _search(request, "Group")


def _account(user_id, *, for_update=False) -> DirectoryAccount:
    accounts = DirectoryAccount.objects.select_related("user")
    if for_update:
        # Writes hold the row from the If-Match check to the save, so two
        # changes sent with the same ETag cannot both succeed.
        accounts = accounts.select_for_update(of=("self",))
    account = accounts.filter(user__uuid=user_id).first()
    if account is None:
        raise not_found()
    return account


def _group(group_id, *, for_update=False) -> DirectoryGroup:
    groups = DirectoryGroup.objects.all()
    if for_update:
        groups = groups.select_for_update()
    group = groups.filter(uuid=group_id).first()
    if group is None:
        raise not_found()
    return group


def _patch_operations(request):
    body = _body(request)
    if not isinstance(body, dict) or PATCH_SCHEMA not in (body.get("schemas") or []):
        raise invalid_syntax(f"A PATCH needs “schemas”: [{PATCH_SCHEMA}].")
    return body.get("Operations")


@dataclass(frozen=True)
class _Kind:
    """How one resource type (a User or a Group) is loaded, shown and changed."""

    load: Callable  # (id, for_update=bool) -> row, or a 404 ScimError
    render: Callable  # (row, base URL) -> SCIM document
    delete: Callable  # (row, client)
    replace: Callable  # (row, body, client)
    patch: Callable  # (row, operations, client)


_USER = _Kind(
    load=_account,
    render=resources.user_document,
    delete=lambda row, client: resources.delete_directory_user(
        account=row, client=client
    ),
    replace=lambda row, body, client: resources.replace_directory_user(
        account=row, body=body, client=client
    ),
    patch=lambda row, operations, client: resources.patch_directory_user(
        account=row, operations=operations, client=client
    ),
)
_GROUP = _Kind(
    load=_group,
    render=resources.group_document,
    delete=lambda row, client: resources.delete_directory_group(
        group=row, client=client
    ),
    replace=lambda row, body, client: resources.replace_directory_group(
        group=row, body=body, client=client
    ),
    patch=lambda row, operations, client: resources.patch_directory_group(
        group=row, operations=operations, client=client
    ),
)


def _one(request, kind: _Kind, key):
    """GET (with If-None-Match), PUT, PATCH and DELETE (with If-Match) of one
    resource. Writes hold the row from the If-Match check to the save."""
    base = _base_url(request)
    row = kind.load(key)
    if request.method == "GET":
        version = resources.etag(row.version)
        if request.headers.get("If-None-Match") == version:
            return HttpResponse(status=304)
        return _json(_projection(request, kind.render(row, base)), version=version)
    if request.method not in ("DELETE", "PUT", "PATCH"):
        raise ScimError(405, "Use GET, PUT, PATCH or DELETE here.")
    client = request.scim_client
    with transaction.atomic():
        row = kind.load(key, for_update=True)
        _check_if_match(request, resources.etag(row.version))
        if request.method == "DELETE":
            kind.delete(row, client)
            return HttpResponse(status=204)
        if request.method == "PUT":
            kind.replace(row, _body(request), client)
        else:
            kind.patch(row, _patch_operations(request), client)
    document = kind.render(kind.load(key), base)
    return _json(_projection(request, document), version=document["meta"]["version"])


@scim_endpoint
def user(request, user_id):
    return _one(request, _USER, user_id)


@scim_endpoint
def group(request, group_id):
    return _one(request, _GROUP, group_id)


def _read_only(request) -> None:
    if request.method != "GET":
        raise ScimError(405, "This endpoint is read-only.")


@scim_endpoint
def service_provider_config_view(request):
    _read_only(request)
    return _json(service_provider_config(_base_url(request), DOCUMENTATION))


@scim_endpoint
def resource_types(request, name: str | None = None):
    _read_only(request)
    documents = resource_type_documents(_base_url(request))
    return _one_or_list(documents, name)


@scim_endpoint
def schemas(request, name: str | None = None):
    _read_only(request)
    return _one_or_list(schema_documents(_base_url(request)), name)


def _one_or_list(documents: list[dict], name: str | None) -> HttpResponse:
    if name is not None:
        for document in documents:
            if document["id"] == name:
                return _json(document)
        raise not_found()
    return _json(
        {
            "schemas": [LIST_SCHEMA],
            "totalResults": len(documents),
            "itemsPerPage": len(documents),
            "startIndex": 1,
            "Resources": documents,
        }
    )


@scim_endpoint
def unknown(request, rest: str = ""):
    raise not_found("There is no such SCIM endpoint.")
