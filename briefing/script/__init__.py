"""script stage."""
