"""Project-wide middleware."""

from django.middleware.locale import LocaleMiddleware


class LanguageMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, except that pages ignore the browser's Accept-Language.

    Thidua speaks Vietnamese (settings.LANGUAGE_CODE) to everyone, also to a visitor of the
    public news whose browser prefers English, until they choose another language with the
    selector (the language cookie, which is still honoured). The JSON API under /api/ keeps
    honouring Accept-Language: machine clients set no cookie.
    """

    def process_request(self, request):
        if request.path_info.startswith("/api/"):
            return super().process_request(request)
        accept = request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        try:
            return super().process_request(request)
        finally:
            if accept is not None:
                request.META["HTTP_ACCEPT_LANGUAGE"] = accept
