"""tuiprof: a terminal UI for exploring Python profiles."""

__version__ = "0.1.0"
