"""The content pages under /training/content/: courses, bundles, translation and results."""

from django.urls import URLPattern, path

from deonto.training.views import content

urlpatterns: list[URLPattern] = [
    path("content/", content.content_index, name="content_index"),
    path("content/import/", content.content_import, name="content_import"),
    path("content/results.csv", content.results_csv, name="results_csv"),
    path("content/<slug:code>/", content.content_course, name="content_course"),
    path("content/<slug:code>/export/", content.content_export, name="content_export"),
    path("content/<slug:code>/translate/<str:lang>/", content.translation_list, name="translation_list"),
    path(
        "content/<slug:code>/translate/<str:lang>/course/title/",
        content.translation_edit_course,
        name="translation_edit_course",
    ),
    path(
        "content/<slug:code>/translate/<str:lang>/module/<slug:module_code>/",
        content.translation_edit_module,
        name="translation_edit_module",
    ),
    path(
        "content/<slug:code>/translate/<str:lang>/<slug:item_code>/",
        content.translation_edit,
        name="translation_edit",
    ),
]
