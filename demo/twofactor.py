"""Two-step login for the demo people who must use it (admins, executives, the superuser).

They all share one published key, printed by `load_demo`, so that a person trying the demo can
add it once to an authenticator app. It is public: for the demo only, never for real accounts.
"""

from base64 import b32decode

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from itaportal.accounts.models import User
from itaportal.accounts.twofactor import two_factor_required

DEMO_TOTP_KEY = "NF2GCLLQN5ZHIYLMFVSGK3LPFUZDKNRY"
DEVICE_NAME = "demo"


@transaction.atomic
def load(usernames: list[str]) -> None:
    key = b32decode(DEMO_TOTP_KEY).hex()
    for user in User.objects.filter(username__in=usernames):
        if two_factor_required(user):
            TOTPDevice.objects.update_or_create(
                user=user, name=DEVICE_NAME, defaults={"key": key, "confirmed": True}
            )
