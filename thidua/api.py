"""The HTTP API: one NinjaAPI; each app adds its router. OpenAPI at /api/openapi.json,
interactive docs at /api/docs."""

from ninja import NinjaAPI, Swagger

from thidua.accounts.api import API_AUTH

_DETAIL = {
    "application/json": {
        "schema": {
            "type": "object",
            "properties": {"detail": {}},
            "required": ["detail"],
        }
    }
}
# Answers every operation may give besides its success, documented once for all of them.
ERROR_RESPONSES = {
    401: {"description": "Not authenticated (no valid token or session).", "content": _DETAIL},
    404: {
        "description": "Not found: nothing with that code, or outside the caller's scope.",
        "content": _DETAIL,
    },
    422: {
        "description": "A parameter is invalid (wrong type, out of range, unknown value); "
        "`detail` names it.",
        "content": _DETAIL,
    },
}


class ThiduaAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for operations in schema["paths"].values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                codes = [401, 404, 422] if operation.get("parameters") else [401]
                for code in codes:
                    responses.setdefault(code, ERROR_RESPONSES[code])
        return schema


api = ThiduaAPI(
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
api.add_router("/reports/", "thidua.reports.api.router")
