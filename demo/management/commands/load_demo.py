from django.core.management.base import BaseCommand

from demo import loader
from demo.twofactor import DEMO_TOTP_KEY
from itaportal.accounts.twofactor import grouped


class Command(BaseCommand):
    help = "Load the three reference organisations with their people (idempotent) and print the logins."

    def handle(self, *args, **options):
        logins = loader.load()
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded: {len(logins)} logins"))
        self.stdout.write(f"{'login':<20} {'password':<15} {'organisation':<12} {'role':<20} position")
        for login in logins:
            self.stdout.write(
                f"{login.username:<20} {login.password:<15} {login.organisation:<12} {login.role:<20} {login.position}"
            )
        self.stdout.write(
            "\nTwo-step login, FOR THE DEMO ONLY: admin, the admins and the executives are asked for a code\n"
            "after the password. Add this key to an authenticator app (time-based, 6 digits, 30 seconds):\n"
            f"    {grouped(DEMO_TOTP_KEY)}"
        )
