from django.urls import path

from deonto.knowledge import views

app_name = "knowledge"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:code>/", views.detail, name="detail"),
]
