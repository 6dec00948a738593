"""The one base class for errors the user caused or can fix: the CLI prints them as one line, exit 2."""


class UserError(Exception):
    """Message is a single human-readable line naming the problem."""
