"""What a failed send says, whatever the channel."""


class SendError(Exception):
    """The message was not accepted; `permanent` when trying again cannot help (e.g. no such user)."""

    def __init__(self, reason: str, *, permanent: bool = False):
        super().__init__(reason)
        self.permanent = permanent
