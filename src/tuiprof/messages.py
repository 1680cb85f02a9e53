"""Messages the views post to their screen: small facts, named as such.

A message about a function carries the session it belongs to: a screen that
shows two profiles tells from it which one the function is of.
"""

from __future__ import annotations

from textual.message import Message

from tuiprof.model.profile import Profile
from tuiprof.model.session import Session


class FunctionHighlighted(Message):
    """The cursor rests on a function (selection without a history step)."""

    def __init__(self, session: Session, fid: int) -> None:
        super().__init__()
        self.session = session
        self.fid = fid

    def can_replace(self, message: Message) -> bool:
        # A burst of cursor moves needs only its last highlight handled.
        return isinstance(message, FunctionHighlighted) and message.session is self.session


class FunctionChosen(Message):
    """The user asked to go to a function (``enter``): selection and a history step."""

    def __init__(self, session: Session, fid: int) -> None:
        super().__init__()
        self.session = session
        self.fid = fid


class ProfileLoaded(Message):
    """The loading worker finished."""

    def __init__(self, profile: Profile) -> None:
        super().__init__()
        self.profile = profile


class ProfileFailed(Message):
    """The loading worker failed; ``error`` is the one line to print."""

    def __init__(self, error: Exception) -> None:
        super().__init__()
        self.error = error


class CallGraphReady(Message):
    """The warm-up checked the caller records and built the callee index."""
