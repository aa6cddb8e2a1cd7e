from django.urls import path

from thidua.council import views

app_name = "council"

urlpatterns = [
    path("", views.council_list, name="councils"),
    path("<int:pk>/", views.council_detail, name="council"),
    path("phien/<int:pk>/", views.meeting_detail, name="meeting"),
    path("phien/<int:pk>/phieu/", views.ballot, name="ballot"),
    path("phien/<int:pk>/kiem-phieu/", views.paper_counts, name="paper"),
    path("phien/<int:pk>/<str:kind>.docx", views.minutes_docx, name="minutes"),
]
