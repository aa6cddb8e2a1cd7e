from django.urls import path

from thidua.portal import public_comment, views
from thidua.portal.feeds import NewsFeed

app_name = "portal"
urlpatterns = [
    path("", views.news_list, name="news_list"),
    path("rss.xml", NewsFeed(), name="feed"),
    path("soan/", views.editor_list, name="editor_list"),
    path("soan/<int:pk>/", views.article_edit, name="article_edit"),
    path("soan/<int:pk>/dang/", views.article_publish, name="article_publish"),
    path("soan/<int:pk>/go/", views.article_withdraw, name="article_withdraw"),
    path("soan/<int:pk>/anh/", views.article_photo_upload, name="article_photo_upload"),
    path("soan/<int:pk>/anh/xoa/", views.article_photo_remove, name="article_photo_remove"),
    path("anh/<int:pk>/", views.article_photo, name="article_photo"),
    path(
        "soan/tu-bao-cao/<str:code>/<int:year>/",
        views.draft_from_summary,
        name="draft_from_summary",
    ),
    path("cong-khai/", public_comment.publication_list, name="publications"),
    path("cong-khai/<int:pk>/", public_comment.publication_detail, name="publication"),
    path("<slug:category>/", views.news_list, name="news_category"),
    path("<slug:category>/<slug:slug>/", views.news_detail, name="news_detail"),
]
