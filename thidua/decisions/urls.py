from django.urls import path

from thidua.decisions import views

app_name = "decisions"

urlpatterns = [
    path("", views.decision_list, name="list"),
    path("ban-hanh/", views.decision_issue, name="issue"),
    path("<int:pk>/", views.decision_detail, name="detail"),
    path("<int:pk>/quyet-dinh.docx", views.decision_docx, name="docx"),
    path("<int:pk>/tien-thuong.xlsx", views.decision_xlsx, name="xlsx"),
    path("<int:pk>/bang.pdf", views.certificates_pdf, name="certificates"),
    path("<int:pk>/may-in/", views.printer_save, name="printer"),
    path("<int:pk>/huy/", views.decision_annul, name="annul"),
    path("<int:pk>/dinh-chinh/", views.decision_correct, name="correct"),
]
