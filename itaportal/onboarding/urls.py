from django.urls import path

from . import views

org = "o/<slug:org_slug>/"
urlpatterns = [
    path(f"{org}members/", views.org_members, name="org_members"),
    path(f"{org}members/invite/", views.invitation_new, name="invitation_new"),
    path(f"{org}members/invitations/<int:pk>/resend/", views.invitation_resend_view, name="invitation_resend"),
    path(f"{org}members/invitations/<int:pk>/revoke/", views.invitation_revoke_view, name="invitation_revoke"),
    path("invitation/<str:token>/", views.invitation_accept_view, name="invitation_accept"),
    path("platform/offices/", views.office_list, name="office_list"),
    path("platform/offices/new/", views.office_new, name="office_new"),
    path("platform/offices/import/", views.office_import, name="office_import"),
    path("platform/offices/import/offices.xlsx", views.office_import_template, name="office_import_template"),
]
