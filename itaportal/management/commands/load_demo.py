from django.core.management.base import BaseCommand

from itaportal import demo


class Command(BaseCommand):
    help = "Load the three reference organisations with their people (idempotent) and print the logins."

    def handle(self, *args, **options):
        logins = demo.load()
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded: {len(logins)} logins"))
        self.stdout.write(f"{'login':<20} {'password':<15} {'organisation':<12} {'role':<20} position")
        for login in logins:
            self.stdout.write(
                f"{login.username:<20} {login.password:<15} {login.organisation:<12} {login.role:<20} {login.position}"
            )
