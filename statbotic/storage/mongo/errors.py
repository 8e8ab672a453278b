"""pymongo's failures turned into StoreUnavailable (naming the hosts, never the URI: it may hold a
password), duplicate keys told apart on every server, and the retries of lost races."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TypeVar

from pymongo.errors import BulkWriteError, ConnectionFailure, DuplicateKeyError, OperationFailure, PyMongoError

from ...errors import StoreUnavailable

DUPLICATE_KEY_CODES = {11000, 11001}
FERRETDB_V1_DUPLICATE_CODE = 1  # FerretDB v1 reports an update that collides with a unique index as code 1
AUTH_FAILED_CODES = {18, 8000}


CAS_ATTEMPTS = 20  # a compare-and-set lost this many times in a row means something is wrong: say so


T = TypeVar("T")


def _is_duplicate(failure: OperationFailure) -> bool:
    if isinstance(failure, DuplicateKeyError) or failure.code in DUPLICATE_KEY_CODES:
        return True
    text = str(failure).lower()
    return failure.code == FERRETDB_V1_DUPLICATE_CODE and ("unique constraint failed" in text or "duplicate" in text)


class Failures:
    """MongoStore's failures (see store.py): every operation runs through ``_guard``."""

    def _guard(self, operation: Callable[[], T]) -> T:
        """Run an operation; a lost or refused connection becomes StoreUnavailable with advice.

        OperationFailure (a server's "no") is left to the caller when it may mean a duplicate.
        """
        try:
            return operation()
        except ConnectionFailure as failure:
            raise self._unavailable(failure) from failure
        except OperationFailure as failure:
            if _is_duplicate(failure) or isinstance(failure, BulkWriteError):
                raise  # the caller decides what a duplicate means
            raise self._unavailable(failure) from failure
        except PyMongoError as failure:
            raise self._unavailable(failure) from failure

    def _iterate(self, cursor) -> Iterator[dict]:
        iterator = iter(cursor)
        while True:
            try:
                document = self._guard(lambda: next(iterator, None))
            except BaseException:
                cursor.close()
                raise
            if document is None:
                return
            yield document

    def _unavailable(self, failure: PyMongoError) -> StoreUnavailable:
        if isinstance(failure, OperationFailure) and failure.code in AUTH_FAILED_CODES:
            return StoreUnavailable(
                f"The database at {self.hosts} refused the login. Check the user name and password in MONGODB_URI."
            )
        if isinstance(failure, ConnectionFailure):
            return StoreUnavailable(f"Can't reach the database at {self.hosts} — check MONGODB_URI or your network.")
        return StoreUnavailable(
            f"The database at {self.hosts} refused the request "
            f"({type(failure).__name__}, code {getattr(failure, 'code', None)})."
        )

    def _upsert(self, upsert: Callable[[], object]) -> None:
        try:
            self._guard(upsert)
        except OperationFailure as failure:
            if not _is_duplicate(failure):
                raise self._unavailable(failure) from failure
            # Two upserts of a new key raced and the other inserted first: now it exists, so update it.
            self._guard(upsert)

    def _contended(self, what: str) -> StoreUnavailable:
        return StoreUnavailable(
            f"{self.description} kept changing {what} while Statbotic was saving; nothing was saved. Try again."
        )
