"""The one exception type for problems with an input file."""

from __future__ import annotations


class ProfileError(Exception):
    """An input that cannot be opened as a profile.

    The message is one line naming the file and what is wrong with it; the
    command line prints it as it is and exits with status 2.
    """

    def __init__(self, path: str, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: {problem}")


def not_pstats_shape(path: str) -> ProfileError:
    """The error for a marshal file that holds something other than pstats' dictionary."""
    return ProfileError(path, "is a marshal dictionary, but not of pstats' shape")
