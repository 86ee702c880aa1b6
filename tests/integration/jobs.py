"""Functions that RQ jobs run in the integration tests (importable by the worker)."""


def add(a: int, b: int) -> int:
    """A job body."""
    return a + b
