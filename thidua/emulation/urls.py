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
    path("vai-tro/", views.name_roles, name="roles"),
    path("sao-chep/", views.copy_block, name="copy_block"),
    path("ma-tran/", views.matrix, name="matrix"),
    path("giao-uoc/", views.covenant_detail, name="covenant"),
    path("giao-uoc/soan/", views.covenant_edit, name="covenant_edit"),
    path("giao-uoc/mo/", views.covenant_open, name="covenant_open"),
    path("giao-uoc.docx", views.covenant_docx, name="covenant_docx"),
    path("cham-diem/<str:kind>/<str:scorer>/<str:target>/", include(sheet)),
]

movement = [
    path("", views.movement_detail, name="movement"),
    path("dang-ky/", views.registrations, name="registrations"),
    path("tai-lieu/", views.attachment_upload, name="attachment_upload"),
    path("tai-lieu/<int:pk>/", views.attachment_download, name="attachment"),
    path("tai-lieu/<int:pk>/xoa/", views.attachment_remove, name="attachment_remove"),
]

urlpatterns = [
    path("", views.index, name="index"),
    path("phat-dong/", views.movement_new, name="movement_new"),
    path("phong-trao/<str:code>/", include(movement)),
    path("khoi/moi/", views.block_new, name="block_new"),
    path("khoi/<int:year>/<str:code>/", include(block)),
]
