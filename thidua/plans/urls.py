from django.urls import path

from thidua.plans import views

app_name = "plans"
urlpatterns = [
    path("", views.task_list, name="task_list"),
    path("<int:pk>/trang-thai/", views.change_status, name="change_status"),
    path("chi-tieu/", views.actuals, name="actuals"),
]
