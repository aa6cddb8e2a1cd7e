from django.urls import path

from thidua.rules import explanation, views

app_name = "rules"
urlpatterns = [
    path("", views.catalog, name="catalog"),
    path("xet/<str:code>/", views.unit_results, name="unit_results"),
    path("xet/<str:code>/xlsx/", views.unit_results_xlsx, name="unit_results_xlsx"),
    path("de-xuat/<str:code>/", views.unit_suggestions, name="suggestions"),
    path(
        "giai-trinh/<str:kind>/<str:code>/<str:award>/",
        explanation.explanation,
        name="explanation",
    ),
]
