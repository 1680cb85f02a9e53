"""Screens: the main explorer and its help."""
