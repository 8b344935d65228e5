from tests.agreements.signing.conftest import _no_pdf_cache, login, world  # noqa: F401
