from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("me/", views.my_account, name="my_account"),
    path("o/<slug:org_slug>/", views.org_home, name="org_home"),
    path("o/<slug:org_slug>/members/", views.org_members, name="org_members"),
    path("o/<slug:org_slug>/profile/", views.org_profile, name="org_profile"),
]
