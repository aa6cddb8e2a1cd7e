"""Logins, failed logins and logouts in the audit log, with the client's address.

These are authentication events, not changes to records: Django announces them with its
auth signals (from the login page, the admin's login and the API's session alike), which
are connected in `AccountsConfig.ready`. The address comes from the request
(`audit.context.address_of`), also when the signal fires outside the audit middleware.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

from thidua.audit import context
from thidua.audit.services import log

USERNAME_MAX = 150


def _logged(action, user, request, *, actor, after=None):
    address = context.address_of(request) if request is not None else None
    token = context.client_address.set(address or context.client_address.get())
    try:
        log(action, user, actor=actor, after={"client_address": address, **(after or {})})
    finally:
        context.client_address.reset(token)


def on_login(sender, request, user, **kwargs):
    _logged("accounts.login", user, request, actor=user)


def on_logout(sender, request, user, **kwargs):
    if user is not None:
        _logged("accounts.logout", user, request, actor=user)


def on_login_failed(sender, credentials, request=None, **kwargs):
    model = get_user_model()
    username = str(credentials.get(model.USERNAME_FIELD) or credentials.get("username") or "")
    username = username[:USERNAME_MAX]
    user = model._default_manager.filter(**{model.USERNAME_FIELD: username}).first()
    # An unknown name is recorded as typed, against an unsaved user of that name.
    target = user or model(**{model.USERNAME_FIELD: username})
    _logged(
        "accounts.login_failed",
        target,
        request,
        actor=AnonymousUser(),
        after={"username": username},
    )


def connect() -> None:
    user_logged_in.connect(on_login, dispatch_uid="thidua.accounts.login")
    user_logged_out.connect(on_logout, dispatch_uid="thidua.accounts.logout")
    user_login_failed.connect(on_login_failed, dispatch_uid="thidua.accounts.login_failed")
