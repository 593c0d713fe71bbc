"""What /scim/v2/ publishes: ServiceProviderConfig, ResourceTypes and Schemas.

Only the attributes we keep are published, so a directory (or scim2-tester)
knows exactly what round-trips. Unknown attributes a directory sends (the
enterprise extension, phone numbers) are ignored, as RFC 7644 §3.3 allows.
"""

USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"
LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
SEARCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:SearchRequest"
SPC_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"
RESOURCE_TYPE_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ResourceType"
SCHEMA_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Schema"

MAX_RESULTS = 200


def _attribute(
    name: str,
    kind: str = "string",
    *,
    required: bool = False,
    multi: bool = False,
    mutability: str = "readWrite",
    uniqueness: str = "none",
    sub: list[dict] | None = None,
    references: list[str] | None = None,
    returned: str = "default",
) -> dict:
    attribute = {
        "name": name,
        "type": kind,
        "multiValued": multi,
        "description": name,
        "required": required,
        "caseExact": False,
        "mutability": mutability,
        "returned": returned,
        "uniqueness": uniqueness,
    }
    if sub is not None:
        attribute["subAttributes"] = sub
    if references is not None:
        attribute["referenceTypes"] = references
    return attribute


USER_ATTRIBUTES = [
    _attribute("userName", required=True, uniqueness="server"),
    _attribute(
        "name",
        "complex",
        sub=[
            _attribute("formatted"),
            _attribute("familyName"),
            _attribute("givenName"),
        ],
    ),
    _attribute("displayName"),
    _attribute(
        "emails",
        "complex",
        multi=True,
        sub=[
            _attribute("value"),
            _attribute("type"),
            _attribute("primary", "boolean"),
        ],
    ),
    # Published as required (RFC 7643 has it optional) so a directory always says
    # whether the person may work here; a body without it changes nothing.
    _attribute("active", "boolean", required=True),
    _attribute(
        "groups",
        "complex",
        multi=True,
        mutability="readOnly",
        sub=[
            _attribute("value", mutability="readOnly"),
            _attribute(
                "$ref", "reference", mutability="readOnly", references=["Group"]
            ),
            _attribute("display", mutability="readOnly"),
        ],
    ),
]

GROUP_ATTRIBUTES = [
    _attribute("displayName", required=True),
    _attribute(
        "members",
        "complex",
        multi=True,
        sub=[
            _attribute("value", mutability="immutable"),
            _attribute(
                "$ref", "reference", mutability="immutable", references=["User"]
            ),
        ],
    ),
]


def schema_documents(base_url: str) -> list[dict]:
    return [
        {
            "schemas": [SCHEMA_SCHEMA],
            "id": USER_SCHEMA,
            "name": "User",
            "description": "A staff member provisioned by the directory.",
            "attributes": USER_ATTRIBUTES,
            "meta": {
                "resourceType": "Schema",
                "location": f"{base_url}Schemas/{USER_SCHEMA}",
            },
        },
        {
            "schemas": [SCHEMA_SCHEMA],
            "id": GROUP_SCHEMA,
            "name": "Group",
            "description": "A directory group; DirectoryGroupRole maps it to roles.",
            "attributes": GROUP_ATTRIBUTES,
            "meta": {
                "resourceType": "Schema",
                "location": f"{base_url}Schemas/{GROUP_SCHEMA}",
            },
        },
    ]


def resource_type_documents(base_url: str) -> list[dict]:
    return [
        {
            "schemas": [RESOURCE_TYPE_SCHEMA],
            "id": name,
            "name": name,
            "endpoint": f"/{name}s",
            "description": name,
            "schema": schema,
            "schemaExtensions": [],
            "meta": {
                "resourceType": "ResourceType",
                "location": f"{base_url}ResourceTypes/{name}",
            },
        }
        for name, schema in (("User", USER_SCHEMA), ("Group", GROUP_SCHEMA))
    ]


def service_provider_config(base_url: str, documentation: str) -> dict:
    return {
        "schemas": [SPC_SCHEMA],
        "documentationUri": documentation,
        "patch": {"supported": True},
        "bulk": {"supported": False, "maxOperations": 0, "maxPayloadSize": 0},
        "filter": {"supported": True, "maxResults": MAX_RESULTS},
        "changePassword": {"supported": False},
        "sort": {"supported": False},
        "etag": {"supported": True},
        "authenticationSchemes": [
            {
                "type": "oauthbearertoken",
                "name": "Bearer token",
                "description": "A token made with manage.py scim_token CLIENT_NAME.",
                "specUri": "https://www.rfc-editor.org/rfc/rfc6750",
                "documentationUri": documentation,
                "primary": True,
            }
        ],
        "meta": {
            "resourceType": "ServiceProviderConfig",
            "location": f"{base_url}ServiceProviderConfig",
        },
    }


def canonical_names(attributes: list[dict]) -> dict[str, str]:
    """Lower-cased attribute name -> its published spelling (names ignore case)."""
    return {attribute["name"].lower(): attribute["name"] for attribute in attributes}
