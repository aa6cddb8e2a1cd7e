"""The HTTP API: one NinjaAPI; each app adds its router. OpenAPI at /api/openapi.json,
interactive docs at /api/docs."""

from ninja import NinjaAPI, Swagger

from thidua.accounts.api import API_AUTH

api = NinjaAPI(
    title="Thidua API",
    version="1",
    description="Read access to units, people, employments and records, scoped like the pages.",
    auth=API_AUTH,
    urls_namespace="api",
    # Swagger UI's assets come from /static/ (ninja ships them); no online validator badge,
    # so the docs page makes no request off this server.
    docs=Swagger(settings={"validatorUrl": None}),
)

api.add_router("/org/", "thidua.org.api.router")
api.add_router("/records/", "thidua.records.api.router")
api.add_router("/rules/", "thidua.rules.api.router")
api.add_router("/emulation/", "thidua.emulation.api.router")
api.add_router("/plans/", "thidua.plans.api.router")
api.add_router("/nominations/", "thidua.nominations.api.router")
api.add_router("/reports/", "thidua.reports.api.router")
