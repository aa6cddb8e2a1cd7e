"""What every endpoint of the HTTP API shares: who is calling (a bearer token or the
browser's session), how lists are paged, and how a query string is checked against a
FilterSet. Also the two verbs that issue and revoke API tokens.

The authenticated user is `request.auth`; endpoints hand it to `thidua.accounts.scope`.
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Path, Schema
from ninja.errors import ValidationError
from ninja.pagination import PageNumberPagination
from ninja.security import HttpBearer, django_auth

from thidua.accounts.models import ApiToken, hash_token
from thidua.audit.services import log

# A client may ask for up to this many rows per page (`page_size`); the default is the
# pages' PAGE_SIZE setting.
MAX_PAGE_SIZE = 200


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`; the request then acts as the token's user, with that
    user's unit scope. An unknown token or an inactive user is refused (401)."""

    def authenticate(self, request, token):
        api_token = (
            ApiToken.objects.select_related("user").filter(key_hash=hash_token(token)).first()
        )
        if api_token is None or not api_token.user.is_active:
            return None
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=timezone.now())
        request.user = api_token.user
        return api_token.user


# A bearer token first; else the logged-in session, so that the interactive docs work in
# the browser. ninja's session auth checks CSRF on unsafe methods.
API_AUTH = [TokenAuth(), django_auth]


# Years a path or query may name: outside them nothing exists (and year 0 is no date).
FIRST_YEAR, LAST_YEAR = 1945, 2100
# Page numbers beyond this are refused (422), not turned into a database offset.
MAX_PAGE = 1_000_000


def year_in_path(description: str = "The year."):
    """A `{year}` path parameter, refused (422) outside FIRST_YEAR..LAST_YEAR."""
    return Path(..., ge=FIRST_YEAR, le=LAST_YEAR, description=description)


class PageInput(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE, description="From 1.")
    page_size: int | None = Field(
        None, ge=1, le=MAX_PAGE_SIZE, description="Rows per page (default 50)."
    )


class Pagination(PageNumberPagination):
    """`?page=` (from 1) and `?page_size=` (at most MAX_PAGE_SIZE); answers
    `{"items": [...], "count": total}`."""

    Input = PageInput

    def __init__(self, **kwargs):
        kwargs.setdefault("page_size", settings.PAGE_SIZE)
        kwargs.setdefault("max_page_size", MAX_PAGE_SIZE)
        super().__init__(**kwargs)


def apply_filterset(filterset_class, params: dict, queryset):
    """Filter `queryset` with a FilterSet shared with the pages. Parameters left empty are
    ignored; an invalid one answers 422 in ninja's error shape, naming the parameter."""
    data = {key: value for key, value in params.items() if value not in (None, "")}
    filterset = filterset_class(data, queryset=queryset)
    if not filterset.is_valid():
        raise ValidationError(
            [
                {"type": "value_error", "loc": ["query", name], "msg": " ".join(messages)}
                for name, messages in filterset.errors.items()
            ]
        )
    return filterset.qs


@transaction.atomic
def issue_token(user, name: str = "", *, actor) -> tuple[ApiToken, str]:
    """Create a token for `user`; returns the row and the raw token, which is stored only
    as a hash and so can be shown this once. Audited (`actor` None: the operator's CLI)."""
    token, raw = ApiToken.issue(user, name)
    log(
        "accounts.token.issue",
        token,
        actor=actor,
        after={"user": user.get_username(), "name": name},
        message=_("API token issued"),
    )
    return token, raw


@transaction.atomic
def revoke_token(token: ApiToken, *, actor) -> None:
    """Delete the token: requests carrying it are refused from now on. Audited."""
    before = {"user": token.user.get_username(), "name": token.name, "id": token.pk}
    log("accounts.token.revoke", token, actor=actor, before=before)
    token.delete()
