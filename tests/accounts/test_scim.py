"""SCIM endpoints (#14): tokens, filters, ETags, and refusals as SCIM errors."""

import hashlib
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from accounts.models import AccountEvent, DirectoryClient, DirectoryGroupRole, User
from accounts.roles import Role
from tests.accounts.scim_client import USER_SCHEMA, Scim, issue_token
from tests.conftest import make_person

pytestmark = pytest.mark.django_db

ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"


@pytest.fixture
def scim():
    return Scim(Client(), issue_token())


def test_the_token_is_printed_once_and_only_its_hash_is_stored():
    out, err = io.StringIO(), io.StringIO()
    call_command("scim_token", "okta", stdout=out, stderr=err)
    token = out.getvalue().strip()

    client = DirectoryClient.objects.get(name="okta")
    assert token.startswith("scim_") and len(token) > 40
    assert client.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(DirectoryClient.objects.values_list())
    assert "shown once" in err.getvalue()
    assert AccountEvent.objects.filter(action="token_issued", step="okta").exists()


def test_wrong_revoked_and_missing_tokens_get_401_as_scim_errors():
    token = issue_token("keycloak")
    good = Scim(Client(), token)
    assert good.call("get", "Users").status_code == 200

    for bad in (Scim(Client(), "scim_wrong"), Scim(Client(), token + "x")):
        response = bad.call("get", "Users")
        assert response.status_code == 401
        assert response.json()["schemas"] == [ERROR_SCHEMA]
        assert response["WWW-Authenticate"].startswith("Bearer")
    assert Client().get("/scim/v2/Users").status_code == 401

    call_command("scim_token", "keycloak", "--revoke", stdout=io.StringIO())
    assert good.call("get", "Users").status_code == 401
    with pytest.raises(CommandError):
        call_command("scim_token", "keycloak", "--revoke", stdout=io.StringIO())


def test_a_new_token_replaces_the_old_one():
    old = issue_token("entra-id")
    new = issue_token("entra-id")
    assert Scim(Client(), old).call("get", "Users").status_code == 401
    assert Scim(Client(), new).call("get", "Users").status_code == 200


def test_provisioned_people_are_staff_and_found_by_username_email_and_external_id(
    scim,
):
    created = scim.create_user(
        "ana@hospital.example", "ana.work@hospital.example", externalId="00u1"
    )
    scim.create_user("bo@hospital.example", "bo@hospital.example")
    person = User.objects.get(uuid=created["id"])
    assert person.is_staff_role
    assert person.email == "ana.work@hospital.example"
    assert person.full_name == "Dana Leaver"

    for expression in (
        'userName eq "ANA@hospital.example"',
        'emails eq "ana.work@hospital.example"',
        'emails[type eq "work" and value co "ana.work"]',
        'externalId eq "00u1"',
        'userName sw "ana" and active eq true',
    ):
        listing = scim.client.get(
            "/scim/v2/Users",
            {"filter": expression},
            HTTP_AUTHORIZATION=f"Bearer {scim.token}",
        ).json()
        assert listing["totalResults"] == 1, expression
        assert listing["Resources"][0]["id"] == created["id"]


def test_paging_counts_every_match_and_returns_one_page(scim):
    for n in range(3):
        scim.create_user(f"p{n}@hospital.example", f"p{n}@hospital.example")
    page = scim.client.get(
        "/scim/v2/Users",
        {"startIndex": 2, "count": 1},
        HTTP_AUTHORIZATION=f"Bearer {scim.token}",
    ).json()
    assert page["totalResults"] == 3
    assert page["startIndex"] == 2
    assert [r["userName"] for r in page["Resources"]] == ["p1@hospital.example"]


def test_a_search_across_users_and_groups_pages_the_joined_list(scim):
    for n in range(3):
        scim.create_user(f"p{n}@hospital.example", f"p{n}@hospital.example")
    for name in ("Cardiology", "Oncology"):
        scim.create_group(name, [])
    search = "urn:ietf:params:scim:api:messages:2.0:SearchRequest"

    pages = [
        scim.call(
            "post", ".search", {"schemas": [search], "startIndex": start, "count": 2}
        ).json()
        for start in (1, 3, 5)
    ]

    assert {page["totalResults"] for page in pages} == {5}
    names = [
        [r.get("userName") or r.get("displayName") for r in page["Resources"]]
        for page in pages
    ]
    assert names == [
        ["p0@hospital.example", "p1@hospital.example"],
        ["p2@hospital.example", "Cardiology"],
        ["Oncology"],
    ]


@pytest.mark.parametrize(
    "operation",
    [
        {"op": "add", "path": 'name[givenName eq "x"]', "value": "y"},
        {"op": "replace", "path": 'name[givenName eq "Dana"].familyName', "value": "y"},
    ],
)
def test_a_filter_on_a_single_valued_attribute_is_a_scim_error(scim, operation):
    user = scim.create_user("f@hospital.example", "f@hospital.example")

    response = scim.patch(f"Users/{user['id']}", [operation])

    assert response.status_code == 400
    assert response.json()["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]


def test_a_stale_etag_is_refused_and_a_fresh_one_accepted(scim):
    created = scim.create_user("e@hospital.example", "e@hospital.example")
    stale = created["meta"]["version"]
    replace = [{"op": "replace", "path": "displayName", "value": "E"}]
    first = scim.patch(f"Users/{created['id']}", replace, HTTP_IF_MATCH=stale)
    assert first.status_code == 200
    response = scim.patch(f"Users/{created['id']}", replace, HTTP_IF_MATCH=stale)
    assert response.status_code == 412
    current = scim.call("get", f"Users/{created['id']}")
    assert current["ETag"] != stale
    unchanged = scim.call(
        "get", f"Users/{created['id']}", HTTP_IF_NONE_MATCH=current["ETag"]
    )
    assert unchanged.status_code == 304


def test_a_patients_own_account_is_never_taken_over(scim, patient):
    response = scim.call(
        "post",
        "Users",
        {
            "schemas": [USER_SCHEMA],
            "userName": "x",
            "emails": [{"value": patient.email}],
        },
    )
    assert response.status_code == 409
    assert response.json()["scimType"] == "uniqueness"
    patient.refresh_from_db()
    assert not patient.is_staff_role


def test_a_local_staff_account_is_adopted_by_the_directory(scim):
    local = make_person("rae", [Role.EDITOR])
    created = scim.create_user("rae@hospital.example", local.email)
    assert created["id"] == str(local.uuid)


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "scim_type"),
    [
        ("post", "Users", "[", 400, "invalidSyntax"),
        ("post", "Users", '{"userName": 5}', 400, "invalidValue"),
        ("post", "Users", '{"userName": "a b"}', 400, "invalidValue"),
        ("post", "Users", "[" * 500, 400, "invalidSyntax"),
        (
            "post",
            "Groups",
            '{"displayName": "G", "members": [{"value": "x"}]}',
            400,
            "invalidValue",
        ),
        ("patch", "Users/00000000-0000-0000-0000-000000000000", "{}", 404, None),
        ("get", "Users?filter=userName%20zz%20%22a%22", None, 400, "invalidFilter"),
        ("get", "Users?filter=(((", None, 400, "invalidFilter"),
        ("get", "Users?startIndex=x", None, 400, "invalidValue"),
        ("get", "Nope", None, 404, None),
        ("put", "ServiceProviderConfig", "{}", 405, None),
    ],
)
def test_bad_requests_get_scim_errors_never_500(
    scim, method, path, body, status, scim_type
):
    response = getattr(scim.client, method)(
        f"/scim/v2/{path}",
        data=body,
        content_type="application/scim+json",
        HTTP_AUTHORIZATION=f"Bearer {scim.token}",
    )
    assert response.status_code == status, response.content
    document = response.json()
    assert document["schemas"] == [ERROR_SCHEMA]
    assert document["status"] == str(status)
    assert document.get("scimType") == scim_type


def test_a_body_over_the_limit_is_refused_before_parsing(scim):
    response = scim.client.post(
        "/scim/v2/Users",
        data='{"userName": "' + "a" * 600_000 + '"}',
        content_type="application/scim+json",
        HTTP_AUTHORIZATION=f"Bearer {scim.token}",
    )
    assert response.status_code == 400
    assert "too large" in response.json()["detail"]


def test_group_membership_grants_and_takes_back_mapped_roles(scim):
    DirectoryGroupRole.objects.create(group="grp-obj-id-1", role=Role.AUDITOR)
    person = scim.create_user("g@hospital.example", "g@hospital.example")
    group = scim.create_group("Compliance", [])
    # Entra ID names the group by object id in externalId.
    scim.patch(
        f"Groups/{group['id']}",
        [
            {"op": "replace", "path": "externalId", "value": "grp-obj-id-1"},
            {"op": "add", "path": "members", "value": [{"value": person["id"]}]},
        ],
    )
    assert User.objects.get(uuid=person["id"]).has_role(Role.AUDITOR)
    scim.patch(
        f"Groups/{group['id']}",
        [{"op": "remove", "path": f'members[value eq "{person["id"]}"]'}],
    )
    assert not User.objects.get(uuid=person["id"]).has_role(Role.AUDITOR)
