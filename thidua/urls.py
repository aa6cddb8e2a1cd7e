from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from thidua import views
from thidua.accounts import twofactor
from thidua.api import api
from thidua.decisions import views as decisions_views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz/", views.healthz, name="healthz"),
    path("dang-nhap/", auth_views.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("dang-nhap/ma-xac-thuc/", twofactor.second_factor, name="second_factor"),
    path(
        "dang-nhap/ma-xac-thuc/thiet-lap/",
        twofactor.second_factor_setup,
        name="second_factor_setup",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("to-chuc/", include("thidua.org.urls")),
    path("ho-so/", include("thidua.records.urls")),
    path("du-lieu/", include("thidua.interchange.urls")),
    path("cong-viec/", include("thidua.jobs.urls")),
    path("quy-dinh/", include("thidua.rules.urls")),
    path("thi-dua/", include("thidua.emulation.urls")),
    path("nhiem-vu/", include("thidua.plans.urls")),
    path("de-nghi/", include("thidua.nominations.urls")),
    path("hoi-dong/", include("thidua.council.urls")),
    path("quyet-dinh/", include("thidua.decisions.urls")),
    path("xac-minh/<str:serial>/", decisions_views.verify, name="verify"),
    path("bao-cao/", include("thidua.reports.urls")),
    path("tin-tuc/", include("thidua.portal.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]

handler400 = "thidua.errors.bad_request"
handler403 = "thidua.errors.permission_denied"
handler404 = "thidua.errors.page_not_found"
handler500 = "thidua.errors.server_error"
