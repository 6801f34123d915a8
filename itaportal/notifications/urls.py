from django.urls import path

from . import views

prefix = "o/<slug:org_slug>/notifications/"
urlpatterns = [
    path(prefix, views.notification_list, name="notification_list"),
    path(f"{prefix}read-all/", views.notification_read_all, name="notification_read_all"),
    path(f"{prefix}<int:pk>/read/", views.notification_read, name="notification_read"),
]
