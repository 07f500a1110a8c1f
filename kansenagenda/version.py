"""The API's version (semantic versioning, ADR /core/semver): the one constant.

Read by the ``API-Version`` response header (kansenagenda.problems.ApiHeadersMiddleware) and by the OpenAPI
document (SPECTACULAR_SETTINGS["VERSION"]). Change it together with docs/api-changelog.md. No imports here:
the settings read it.
"""

API_VERSION = "1.3.0"
