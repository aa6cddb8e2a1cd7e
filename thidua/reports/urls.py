from django.urls import path

from thidua.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("thong-ke/", views.statistics_page, name="statistics"),
    path("thong-ke/tai-ve.xlsx", views.statistics_download, name="statistics_download"),
    path("<str:code>/<int:year>/", views.dashboard, name="dashboard"),
    path("<str:code>/<int:year>/tai-ve.<str:fmt>", views.download, name="download"),
]
