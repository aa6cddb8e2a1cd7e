from django.urls import path

from thidua.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("<str:code>/<int:year>/", views.dashboard, name="dashboard"),
    path("<str:code>/<int:year>/tai-ve.<str:fmt>", views.download, name="download"),
]
