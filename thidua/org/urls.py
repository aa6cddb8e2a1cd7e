from django.urls import path

from thidua.org import unit_search, views

app_name = "org"
urlpatterns = [
    path("chon-don-vi/", unit_search.unit_search, name="unit_search"),
    path("don-vi/", views.unit_tree, name="unit_tree"),
    path("don-vi/<str:code>/", views.unit_detail, name="unit_detail"),
    path("can-bo/", views.person_list, name="person_list"),
    path("can-bo/<str:code>/", views.person_detail, name="person_detail"),
]
