from django.urls import path

from thidua.records import views

app_name = "records"
urlpatterns = [
    path("xep-loai/<str:code>/<int:year>/", views.rating_grid, name="rating_grid"),
    path("xep-loai/<str:code>/<int:year>/o/", views.rating_cell, name="rating_cell"),
    path("xep-loai/<str:code>/<int:year>/tat-ca/", views.rate_everyone, name="rate_everyone"),
    path("can-bo/<str:code>/ky-luat/", views.discipline, name="discipline"),
    path("can-bo/<str:code>/vang-mat/", views.absence, name="absence"),
    path("can-bo/<str:code>/xem-xet/", views.person_review, name="person_review"),
    path("don-vi/<str:code>/xem-xet/", views.unit_review, name="unit_review"),
    path("xem-xet/<int:pk>/ket-thuc/", views.close_review, name="close_review"),
    path("sang-kien/moi/", views.initiative, name="initiative"),
    path("khen-thuong/moi/", views.award_decision, name="award_decision"),
]
