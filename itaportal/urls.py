from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from . import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("", include("itaportal.accounts.urls")),
    path("", include("itaportal.notifications.urls")),
    path("", include("itaportal.oversight.urls")),
    path("", include("assessments.urls")),
    path("", include("measures.urls")),
    path("", include("reports.urls")),
    path("", include("reports.urls_public")),
]
