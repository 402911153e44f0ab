"""speech stage."""
