"""SMART on FHIR: the authorization server glue and the FHIR R4 REST API that
patients' apps use to read their record and send readings (issue 16)."""
