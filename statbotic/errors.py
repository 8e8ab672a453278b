"""Domain errors.  Each carries a sentence fit to show a user as it is."""


class StatboticError(Exception):
    """Base of every error whose message a user may read."""

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else "Something went wrong."


class InvalidInput(StatboticError):
    """A value that breaks a rule (a bad date, a short password...)."""


class DuplicateUser(InvalidInput):
    """The username is taken (compared case-insensitively)."""


class Forbidden(StatboticError):
    """The user's role doesn't allow it (access.py): the message says what is needed."""


class DuplicateTeam(InvalidInput):
    """A team with that name exists already."""


class LastAdmin(InvalidInput):
    """The change would leave the store without an enabled admin."""

    def __init__(self) -> None:
        super().__init__("That would leave no admin: make another user an admin first.")


class AuthenticationFailed(StatboticError):
    """Unknown user or wrong password: one message for both, so names can't be probed."""

    def __init__(self, message: str = "Username or password is incorrect.") -> None:
        super().__init__(message)


class StoreUnavailable(StatboticError):
    """The database can't be reached, written or read; the message says what to check."""


class ConfigError(StatboticError):
    """A setting has a value the app can't use; the message names the setting."""


class NoData(StatboticError):
    """The period asked for has no figures: the one message for it, wherever it is met."""

    def __init__(self, period_label: str) -> None:
        super().__init__(f"No stats were entered for {period_label}.")


class UsageError(StatboticError):
    """A command given the wrong arguments: cli.main exits with status 2."""


class ExitApp(Exception):
    """The user chose Exit."""


class Cancelled(Exception):
    """The user gave up on a form; nothing was saved."""


class LoginLocked(AuthenticationFailed):
    """Too many failed logins for a name (known or not): refused, whatever the password, for a while."""

    def __init__(self, minutes: int) -> None:
        unit = "minute" if minutes == 1 else "minutes"
        super().__init__(f"Too many failed logins for this name. Try again in {minutes} {unit}.")
        self.minutes = minutes
