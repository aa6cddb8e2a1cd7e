from django.urls import path

from thidua.interchange import views

app_name = "interchange"
urlpatterns = [
    path("", views.home, name="home"),
    path("mau.xlsx", views.template_xlsx, name="template"),
    path("xuat/", views.export, name="export"),
    path("nhap/", views.upload, name="upload"),
    path("nhap/<slug:token>/", views.preview, name="preview"),
    path("nhap/<slug:token>/xac-nhan/", views.confirm, name="confirm"),
]
