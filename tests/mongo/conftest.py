from tests.flows.conftest import password_hash  # noqa: F401  (the session-scoped hash fixture)
