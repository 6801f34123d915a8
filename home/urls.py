from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("o/<slug:org_slug>/", views.org_home, name="org_home"),
]
