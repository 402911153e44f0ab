"""Commands of this stage; registered on the app by import."""

from briefing.cli import app  # noqa: F401
