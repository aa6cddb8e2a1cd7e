from django.urls import path

from thidua.jobs import views

app_name = "jobs"
urlpatterns = [
    path("", views.job_list, name="list"),
    path("<int:pk>/", views.job_detail, name="detail"),
    path("<int:pk>/huy/", views.job_cancel, name="cancel"),
    path("<int:pk>/ket-qua/", views.job_result, name="result"),
]
