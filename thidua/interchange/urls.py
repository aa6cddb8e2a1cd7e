from django.urls import path

from thidua.interchange import views

app_name = "interchange"
urlpatterns = [
    path("", views.home, name="home"),
    path("mau.xlsx", views.template_xlsx, name="template"),
    path("xuat/", views.export, name="export"),
]
