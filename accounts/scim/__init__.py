"""SCIM 2.0 (RFC 7643/7644) at /scim/v2/: a directory provisions staff accounts.

schemas.py publishes what we serve; query.py parses filters and PATCH paths;
resources.py turns people and groups into SCIM documents and back (the writes);
tokens.py issues and checks the directory clients' bearer tokens; views.py is
the thin HTTP layer. See docs/decisions/0018-scim-and-leaving.md.
"""
