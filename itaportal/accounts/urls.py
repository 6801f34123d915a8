from django.urls import path

from . import views

org = "o/<slug:org_slug>/"
urlpatterns = [
    path("me/", views.my_account, name="my_account"),
    path(f"{org}members/<int:pk>/", views.member_edit, name="member_edit"),
    path(f"{org}members/<int:pk>/deactivate/", views.member_deactivate, name="member_deactivate"),
    path(f"{org}members/<int:pk>/reactivate/", views.member_reactivate, name="member_reactivate"),
    path(f"{org}members/<int:pk>/reset-two-step/", views.member_reset_two_step, name="member_reset_two_step"),
    path(f"{org}departments/", views.org_departments, name="org_departments"),
    path(f"{org}departments/<int:pk>/", views.department_edit, name="department_edit"),
    path(f"{org}departments/<int:pk>/remove/", views.department_remove_view, name="department_remove"),
    path(f"{org}positions/", views.org_positions, name="org_positions"),
    path(f"{org}positions/<int:pk>/", views.position_edit, name="position_edit"),
    path(f"{org}positions/<int:pk>/remove/", views.position_remove_view, name="position_remove"),
    path(f"{org}profile/", views.org_profile, name="org_profile"),
]
