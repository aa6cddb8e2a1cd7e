from django.urls import path

from thidua.interchange import views

app_name = "interchange"
urlpatterns = [path("", views.home, name="home")]
