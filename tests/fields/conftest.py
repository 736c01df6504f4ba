import pytest

# Show detailed diffs for the asserts inside the shared parity helpers.
pytest.register_assert_rewrite("tests.fields.parity")
