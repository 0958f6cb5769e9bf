"""Admin views of the scrutiny plugin, one module per register."""
