"""Error pages that say why, in the user's language; JSON for the API.

Django calls these for a request that fails outside a view's own handling (an unknown
address, a PermissionDenied, a SuspiciousOperation, an unhandled exception). Under /api/ the
answer stays JSON like the API's own errors (`{"detail": …}`)."""

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


def server_error(request):
    """Rendered without the request's context: whatever failed (the database?) must not
    fail again here."""
    if _api(request):
        return JsonResponse({"detail": _("Server error.")}, status=500)
    return HttpResponse(loader.get_template("500.html").render(), status=500)
