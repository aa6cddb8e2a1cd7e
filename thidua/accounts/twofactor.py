"""A second factor (a TOTP code from an authenticator app, through django-otp) for the
accounts that can do the most harm: superusers, administrators and council members.

With THIDUA_REQUIRE_2FA on, such a user who has logged in with a password is sent to
enter a code (or, the first time, to set up the app) before any other page; the API
answers 403 to their session until then. API tokens are unaffected (issued by the
operator). Off by default.
"""

import base64
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from thidua.accounts.choices import Role
from thidua.audit.services import log

STRONG_ROLES = (Role.ADMIN, Role.COUNCIL)
# Pages a user who still owes the code may open.
EXEMPT = {"second_factor", "second_factor_setup", "logout", "set_language", "healthz"}


def needs_second_factor(user) -> bool:
    if not settings.THIDUA_REQUIRE_2FA or not user.is_authenticated:
        return False
    return user.is_superuser or user.unit_roles.filter(role__in=STRONG_ROLES).exists()


def _exempt(request) -> bool:
    if request.path_info.startswith("/" + settings.STATIC_URL.lstrip("/")):
        return True
    try:
        return resolve(request.path_info).url_name in EXEMPT
    except Resolver404:
        return False


class RequireSecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and settings.THIDUA_REQUIRE_2FA
            and user.is_authenticated
            and not user.is_verified()
            and not _exempt(request)
            and needs_second_factor(user)
        ):
            if request.path_info.startswith("/api/"):
                return JsonResponse({"detail": _("A second factor is required.")}, status=403)
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('second_factor')}?{query}")
        return self.get_response(request)


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("home")


def _code(request) -> str:
    return "".join(request.POST.get("code", "").split())


@login_required
def second_factor(request):
    """Enter the code of the authenticator app set up before."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    if device is None:
        return redirect(f"{reverse('second_factor_setup')}?{urlencode({'next': _next(request)})}")
    error = ""
    if request.method == "POST":
        if device.verify_token(_code(request)):
            otp_login(request, device)
            log("accounts.second_factor.verify", request.user, actor=request.user)
            return redirect(_next(request))
        error = _("The code is wrong or has expired.")
    return render(
        request, "registration/second_factor.html", {"error": error, "next": _next(request)}
    )


@login_required
def second_factor_setup(request):
    """Set up an authenticator app: show the key, confirm it with a first code."""
    if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect(f"{reverse('second_factor')}?{urlencode({'next': _next(request)})}")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="Thidua", confirmed=False)
    error = ""
    if request.method == "POST":
        if device.verify_token(_code(request)):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            log("accounts.second_factor.enrol", request.user, actor=request.user)
            return redirect(_next(request))
        error = _("The code is wrong or has expired.")
    key = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "registration/second_factor_setup.html",
        {
            "error": error,
            "next": _next(request),
            "key": " ".join(key[i : i + 4] for i in range(0, len(key), 4)),
            "config_url": device.config_url,
        },
    )
