"""The id of the request (or CLI run) in progress, for audit entries."""

from contextvars import ContextVar

request_id: ContextVar[str] = ContextVar("thidua_request_id", default="")
