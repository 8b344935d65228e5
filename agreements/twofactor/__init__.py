"""Two-step verification (tweestapsverificatie): a TOTP authenticator app per user, through
django-otp, with recovery codes. Signing asks for a code every time (agreements.signing);
REQUIRE_2FA_LOGIN asks signatories and administrators for one at every login (middleware).
"""
