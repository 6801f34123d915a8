"""Pages open to everyone, without login."""

from django.urls import path, re_path

from .views import verify

urlpatterns = [
    path("verify/", verify.verify, name="verify"),
    re_path(r"^verify/(?P<sha256>[0-9a-fA-F]{64})/$", verify.verify_result, name="verify_result"),
    # The short address printed under each approved document's QR code.
    re_path(r"^v/(?P<code>[0-9a-zA-Z]{10})/$", verify.verify_code_view, name="verify_code"),
]
