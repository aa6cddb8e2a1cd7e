from django.urls import path

from thidua.org import unit_search, views, views_entry, views_households

app_name = "org"
urlpatterns = [
    path("chon-don-vi/", unit_search.unit_search, name="unit_search"),
    path("don-vi/", views.unit_tree, name="unit_tree"),
    path("don-vi/<str:code>/", views.unit_detail, name="unit_detail"),
    path("don-vi/<str:code>/cay/", views.unit_children, name="unit_children"),
    path("don-vi/<str:code>/ho-gia-dinh/", views_households.household_list, name="household_list"),
    path("ho-gia-dinh/<int:pk>/", views_households.household_detail, name="household_detail"),
    path(
        "don-vi/<str:code>/ho-gia-dinh/them/", views_households.add_household, name="add_household"
    ),
    path("can-bo/", views.person_list, name="person_list"),
    path("nhap/can-bo-moi/", views_entry.add_person, name="add_person"),
    path("can-bo/<str:code>/", views.person_detail, name="person_detail"),
    path("can-bo/<str:code>/tuyen-dung/", views_entry.hire, name="hire"),
    path("can-bo/<str:code>/dieu-chuyen/", views_entry.transfer, name="transfer"),
    path("can-bo/<str:code>/nghi-viec/", views_entry.end_employment, name="end_employment"),
]
