from django.urls import path

from thidua.org import views

app_name = "org"
urlpatterns = [
    path("don-vi/", views.unit_tree, name="unit_tree"),
    path("don-vi/<str:code>/", views.unit_detail, name="unit_detail"),
    path("can-bo/", views.person_list, name="person_list"),
    path("can-bo/<str:code>/", views.person_detail, name="person_detail"),
]
