from django.urls import include, path

from thidua.emulation import views

app_name = "emulation"

sheet = [
    path("", views.sheet, name="sheet"),
    path("o/", views.sheet_cell, name="sheet_cell"),
    path("mau.xlsx", views.sheet_xlsx, name="sheet_xlsx"),
    path("tai-len/", views.sheet_upload, name="sheet_upload"),
]

block = [
    path("", views.block_dashboard, name="block"),
    path("khoa/", views.lock, name="lock"),
    path("mo-lai/", views.reopen, name="reopen"),
    path("cong-bo/", views.publish, name="publish"),
    path("ma-tran/", views.matrix, name="matrix"),
    path("giao-uoc/", views.covenant_detail, name="covenant"),
    path("giao-uoc.docx", views.covenant_docx, name="covenant_docx"),
    path("cham-diem/<str:kind>/<str:scorer>/<str:target>/", include(sheet)),
]

urlpatterns = [
    path("", views.index, name="index"),
    path("phong-trao/<str:code>/", views.movement_detail, name="movement"),
    path("phong-trao/<str:code>/dang-ky/", views.registrations, name="registrations"),
    path("khoi/<int:year>/<str:code>/", include(block)),
]
