from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from . import views
from .accounts import views as account_views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("login/", account_views.PortalLoginView.as_view(), name="login"),
    path("login/code/", account_views.two_factor_verify, name="two_factor_verify"),
    path("login/two-step/", account_views.two_factor_enrol, name="two_factor_enrol"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password-reset/", account_views.PortalPasswordResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password-reset/<uidb64>/<token>/",
        account_views.PortalPasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"
    ),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("", include("home.urls")),
    path("", include("itaportal.accounts.urls")),
    path("", include("itaportal.notifications.urls")),
    path("", include("oversight.urls")),
    path("", include("itaportal.onboarding.urls")),
    path("", include("assessments.urls")),
    path("", include("measures.urls")),
    path("", include("reports.urls")),
    path("", include("reports.urls_public")),
]
