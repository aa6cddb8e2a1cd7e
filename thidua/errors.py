"""Error pages that say why, in the user's language; JSON for the API.

Django calls these for a request that fails outside a view's own handling (an unknown
address, a PermissionDenied, a SuspiciousOperation, an unhandled exception). Under /api/ the
answer stays JSON like the API's own errors (`{"detail": …}`)."""

import contextlib
import sys

from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _

API_PREFIX = "/api/"


def _api(request) -> bool:
    return request.path_info.startswith(API_PREFIX)


def _reason(exception) -> str:
    """The message a view gave its PermissionDenied (ours are translated sentences)."""
    if exception is None or not exception.args:
        return ""
    message = exception.args[0]
    return message if isinstance(message, str) else ""


def _page(request, template: str, status: int, context=None):
    body = loader.render_to_string(template, context or {}, request)
    return HttpResponse(body, status=status)


def bad_request(request, exception=None):
    if _api(request):
        return JsonResponse({"detail": _("Bad request.")}, status=400)
    return _page(request, "400.html", 400)


def permission_denied(request, exception=None):
    reason = _reason(exception)
    if _api(request):
        return JsonResponse({"detail": reason or _("Permission denied.")}, status=403)
    return _page(request, "403.html", 403, {"reason": reason})


def page_not_found(request, exception=None):
    if _api(request):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return _page(request, "404.html", 404, {"path": request.path})


def _database_unavailable() -> bool:
    """Whether the exception being handled says the database cannot be reached (gone,
    restarting, its connection cut). Then the connections are closed, so that the next
    request connects afresh: the site recovers by itself once the database is back."""
    exception = sys.exc_info()[1]
    if not isinstance(exception, OperationalError | InterfaceError):
        return False
    for connection in connections.all(initialized_only=True):
        with contextlib.suppress(DatabaseError):
            connection.close()
    return True


def server_error(request):
    """Rendered without the request's context: whatever failed (the database?) must not
    fail again here. A database that cannot be reached answers 503 with a page that says
    so (and `Retry-After`)."""
    if _database_unavailable():
        if _api(request):
            response = JsonResponse(
                {"detail": _("The database is not answering; try again in a minute.")},
                status=503,
            )
        else:
            response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = "30"
        return response
    if _api(request):
        return JsonResponse({"detail": _("Server error.")}, status=500)
    return HttpResponse(loader.get_template("500.html").render(), status=500)
