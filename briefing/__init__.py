"""briefing: turns a Korean newsletter issue into a podcast episode and publishes it."""

__version__ = "0.1.0"
