from django.contrib import admin
from django.urls import path

from . import views

urlpatterns = [
    path("", views.home),
    path("time/", views.time),
    path("plugin/<slug:name>/", views.plugin),
    path("page/", views.page),
    path("admin/", admin.site.urls),
]
