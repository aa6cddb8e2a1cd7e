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
    400: {
        "description": "The request cannot be carried out as sent; `detail` says why.",
        "content": _DETAIL,
    },
    401: {"description": "Not authenticated (no valid token or session).", "content": _DETAIL},
    403: {
        "description": "Not allowed: the caller's role does not permit this change.",
        "content": _DETAIL,
    },
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


WRITES = {"post", "put", "patch", "delete"}


class ThiduaAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for operations in schema["paths"].values():
            for method, operation in operations.items():
                responses = operation.setdefault("responses", {})
                if method in WRITES:
                    codes = [400, 401, 403, 404, 422]
                elif operation.get("parameters"):
                    codes = [401, 404, 422]
                else:
                    codes = [401]
                for code in codes:
                    responses.setdefault(code, ERROR_RESPONSES[code])
        return schema


class AccessibleSwagger(Swagger):
    """ninja's Swagger UI page with our template (a language, a main landmark, readable
    contrast: `thidua/api_docs.html`)."""

    template = "thidua/api_docs.html"


api = ThiduaAPI(
    title="Thidua API",
    version="1",
    description="Units, people, records, eligibility, emulation, plans, proposals and reports, "
    "scoped like the pages.",
    auth=API_AUTH,
    urls_namespace="api",
    # Swagger UI's assets come from /static/ (ninja ships them); no online validator badge,
    # so the docs page makes no request off this server. Our page adds a language and
    # readable contrast; without deep links no link sits inside an operation's button
    # (axe: nested-interactive).
    docs=AccessibleSwagger(settings={"validatorUrl": None, "deepLinking": False}),
)

api.add_router("/org/", "thidua.org.api.router")
api.add_router("/records/", "thidua.records.api.router")
api.add_router("/rules/", "thidua.rules.api.router")
api.add_router("/emulation/", "thidua.emulation.api.router")
api.add_router("/plans/", "thidua.plans.api.router")
api.add_router("/nominations/", "thidua.nominations.api.router")
api.add_router("/council/", "thidua.council.api.router")
api.add_router("/decisions/", "thidua.decisions.api.router")
api.add_router("/reports/", "thidua.reports.api.router")
