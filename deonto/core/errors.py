"""The error a service raises when it refuses: its message is translated and shown as is."""


class DomainError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
