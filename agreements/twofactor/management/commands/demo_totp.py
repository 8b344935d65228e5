"""Print the current code of a demo account's authenticator (made by load_demo).

Only for devices that load_demo made with the published demo secret: the command never prints
a code of a real user's app.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP

from agreements.twofactor.models import TOTP_DIGITS, TOTP_STEP, AuthenticatorDevice


class Command(BaseCommand):
    help = "Print the current 6-digit code of a demo account (load_demo's demo secret only)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username: str, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Geen gebruiker {username!r}.")
        device = AuthenticatorDevice.objects.filter(user=user, confirmed=True).first()
        if device is None or not device.is_demo:
            raise CommandError(
                f"{username} heeft geen demo-authenticator (alleen load_demo maakt die)."
            )
        totp = TOTP(device.seed, step=TOTP_STEP, digits=TOTP_DIGITS)
        self.stdout.write(f"{totp.token():0{TOTP_DIGITS}d}")
