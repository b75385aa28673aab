"""Rules of the dance a finished performance must obey (see the package docstring)."""

from . import rule  # noqa: F401  (rules are registered with @rule("name"))
