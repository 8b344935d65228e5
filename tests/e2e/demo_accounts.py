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
