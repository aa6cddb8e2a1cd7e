from django.urls import include, path

from thidua.nominations import views, views_publicity

app_name = "nominations"

dossier = [
    path("", views.dossier_detail, name="dossier"),
    path("goi-y/", views.suggestions, name="suggestions"),
    path("danh-ba/", views.pick, name="pick"),
    path("nhap/", views.import_nominees, name="import"),
    path("mau.xlsx", views.import_template, name="import_template"),
    path("doi-chieu/", views.compare, name="compare"),
    path("to-trinh.docx", views.proposal_letter, name="letter"),
    path("bao-cao/<int:nominee_pk>.docx", views.achievement_report, name="report"),
    path("tai-lieu/", views.document_upload, name="document_upload"),
    path("tai-lieu/<int:document_pk>/", views.document_download, name="document"),
    path("tai-lieu/<int:document_pk>/xoa/", views.document_remove, name="document_remove"),
    path("chuyen/<str:verb>/", views.move, name="move"),
    path("nguoi/<int:nominee_pk>/", views.nominee_edit, name="nominee"),
    path("y-kien/<int:comment_pk>/duyet/", views_publicity.moderate, name="comment_moderate"),
    path("y-kien/<int:comment_pk>/ket-qua/", views_publicity.outcome, name="comment_outcome"),
]

urlpatterns = [
    path("", views.round_list, name="rounds"),
    path("dot/moi/", views.round_new, name="round_new"),
    path("dot/<int:pk>/", views.round_detail, name="round"),
    path("ho-so/<int:pk>/", include(dossier)),
]
