"""The demo accounts the journeys log in with (README, "Demo accounts"; made by load_demo)."""

DEMO_PASSWORD = "kerkrade-demo"
DEMO_FRAMEWORK_SLUG = "kerkrade-2021-2025"
# Every signatory of the demo framework, one per party; test_signatory_journey checks that the
# list is complete, so a signatory added to the demo is walked too.
SIGNATORIES = [
    "wethouder",
    "heemwonen-bestuur",
    "wonenzuid-bestuur",
    "wonenlimburg-bestuur",
    "huurders-voorzitter",
    "huurders-wonenzuid-voorzitter",
]
# load_demo's published TOTP secret of every demo signatory (README, "Demo accounts"): what a
# newcomer types into an authenticator app; the journeys compute its codes the way the app does.
DEMO_TOTP_SECRET = "NNSXE23SMFSGKLLEMVWW6LLUN52HAIJB"


def totp_code(secret: str = DEMO_TOTP_SECRET) -> str:
    """The code an authenticator app with ``secret`` (base32, spaces allowed) shows now."""
    import base64

    from django_otp.oath import totp

    key = base64.b32decode(secret.replace(" ", "").upper())
    return f"{totp(key):06d}"
