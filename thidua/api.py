"""The HTTP API: one NinjaAPI; each app adds its router. OpenAPI at /api/openapi.json,
interactive docs at /api/docs."""

from ninja import NinjaAPI

from thidua.accounts.api import TokenAuth

api = NinjaAPI(
    title="Thidua API",
    version="1",
    description="Read access to units, people, employments and records, scoped like the pages.",
    auth=TokenAuth(),
    urls_namespace="api",
)

api.add_router("/org/", "thidua.org.api.router")
api.add_router("/records/", "thidua.records.api.router")
