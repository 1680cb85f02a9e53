"""Exports of a profile: callgrind (KCachegrind) and Graphviz. No UI imports here."""
