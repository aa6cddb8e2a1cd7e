import uuid

from thidua.audit import context


class RequestIdMiddleware:
    """Gives each request an id that audit entries written during it carry, with the
    client's address."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request.headers.get("X-Request-Id") or uuid.uuid4().hex
        token = context.request_id.set(request_id[:64])
        address = context.client_address.set(context.address_of(request))
        try:
            response = self.get_response(request)
        finally:
            context.request_id.reset(token)
            context.client_address.reset(address)
        response["X-Request-Id"] = request_id[:64]
        return response
