"""Widgets that show a profile; each reads the model and posts messages."""
