"""Dataset validation for the HTTP API in its own bounded pool of processes.

``POST /datasets/validate`` and ``POST /datasets`` validate a description with pySHACL, which
cannot be stopped from Python and is not safe to run in many request threads at once. So it
runs in ``validate_workers`` child processes (each with its validator set up once), with at most
as many requests again waiting; more get 503 with ``Retry-After`` at once. A validation that
takes longer than ``validate_timeout`` is stopped: its process is killed (503) and a fresh pool
starts for the next request. No global lock: other requests never wait behind a validation.
"""

from __future__ import annotations

import concurrent.futures
import importlib
import multiprocessing
import threading
from concurrent.futures.process import BrokenProcessPool

from ..errors import StelselError

_validator = None       # in a child process only: its DatasetValidator (set by _start)


class ValidationBusy(StelselError):
    http_status = 503

    def __init__(self, message: str, hint: str | None = None, retry_after: int = 5):
        super().__init__(message, hint)
        self.headers = {"Retry-After": str(retry_after)}


def _start(parent_pid: int) -> None:
    global _validator
    from ..children import die_with_parent
    from .validate import DatasetValidator
    die_with_parent(parent_pid)
    _validator = DatasetValidator()


def _validate(data: bytes, fmt: str, label: str):
    try:
        return ("ok", _validator.validate_bytes(data, fmt, label=label))
    except StelselError as exc:      # sent back as its class and fields: exceptions with extra
        return ("raise", type(exc).__module__, type(exc).__qualname__, dict(exc.__dict__))  # fields do not pickle


def _rebuild(module: str, name: str, fields: dict) -> StelselError:
    cls = getattr(importlib.import_module(module), name)
    exc = cls.__new__(cls)
    Exception.__init__(exc, fields.get("message"))
    exc.__dict__.update(fields)
    return exc


class ValidationPool:
    def __init__(self, workers: int = 1, timeout: float = 60.0):
        import os
        self.workers = max(1, workers)
        self.timeout = timeout
        self._parent = os.getpid()
        self._slots = threading.BoundedSemaphore(2 * self.workers)
        self._lock = threading.Lock()
        self._pool: concurrent.futures.ProcessPoolExecutor | None = None

    def _current(self) -> concurrent.futures.ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = concurrent.futures.ProcessPoolExecutor(
                    self.workers, mp_context=multiprocessing.get_context("spawn"),
                    initializer=_start, initargs=(self._parent,))
            return self._pool

    def _discard(self, pool) -> None:
        with self._lock:
            if self._pool is pool:
                self._pool = None
        for proc in list(getattr(pool, "_processes", {}).values()):
            proc.kill()
        pool.shutdown(wait=False, cancel_futures=True)

    def validate(self, data: bytes, fmt: str, label: str):
        """The :class:`~stelsel.datasets.validate.Outcome`, or the error validating raised."""
        if not self._slots.acquire(blocking=False):
            raise ValidationBusy(f"{self.workers} dataset validation(s) are running and as many are waiting",
                                 hint="try again in a few seconds (Retry-After)",
                                 retry_after=max(1, min(30, round(self.timeout / 4))))
        try:
            pool = self._current()
            future = pool.submit(_validate, data, fmt, label)
            try:
                reply = future.result(timeout=self.timeout)
            except concurrent.futures.TimeoutError:
                self._discard(pool)
                raise ValidationBusy(f"the validation was stopped after {self.timeout:g} s (the time limit)",
                                     hint="send a smaller description, or split it into several") from None
            except BrokenProcessPool:
                self._discard(pool)
                raise ValidationBusy("the validation process stopped (another validation ran out of time)",
                                     hint="send the description again") from None
        finally:
            self._slots.release()
        if reply[0] == "raise":
            raise _rebuild(*reply[1:])
        return reply[1]

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            self._discard(pool)
