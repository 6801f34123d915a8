from django.urls import path

from . import views

urlpatterns = [
    path("oversight/", views.oversight_home, name="oversight_home"),
    path("oversight/<int:scope_pk>/", views.rollup, name="oversight_rollup"),
    path("oversight/<int:scope_pk>/export.xlsx", views.rollup_xlsx, name="oversight_rollup_xlsx"),
    path("oversight/<int:scope_pk>/export.csv", views.rollup_csv, name="oversight_rollup_csv"),
]
