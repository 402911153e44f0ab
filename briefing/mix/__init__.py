"""mix stage."""
