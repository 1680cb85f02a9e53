"""``tuiprof record``: run a program under cProfile (and line_profiler), write, open.

Nothing here imports Textual: the explorer is imported only once the profile
is written, so the program runs in an interpreter as close as can be to the
one ``python script.py`` gives it.
"""
