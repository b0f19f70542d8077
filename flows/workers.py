"""How many worker processes a run gets and which Dask scheduler, from options or the environment.

Kept apart from flows.parallel (which imports Prefect) so the CLI can build its options before
Prefect is configured.
"""

from __future__ import annotations

import os
import socket
from urllib.parse import urlsplit

DASK_ADDRESS_ENV = "DEALWATCH_DASK_ADDRESS"
WORKERS_ENV = "DEALWATCH_WORKERS"


def default_workers() -> int:
    """The cores this process may use (a container's CPU set, not the host's core count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def resolve_workers(workers: int | None, dask_address: str | None) -> tuple[int, str | None]:
    """(workers, dask_address) from the options, else DEALWATCH_WORKERS / DEALWATCH_DASK_ADDRESS,
    else every core of this machine and no scheduler. ValueError says what is wrong, in one line."""
    if workers is None:
        raw = os.environ.get(WORKERS_ENV, "").strip()
        if raw and not raw.isdigit():
            raise ValueError(f"{WORKERS_ENV}={raw!r} is not a number of workers")
        workers = int(raw) if raw else default_workers()
    if workers < 1:
        raise ValueError(f"--workers must be at least 1 (got {workers})")
    address = dask_address or os.environ.get(DASK_ADDRESS_ENV) or None
    if address and not address.startswith(("tcp://", "tls://", "inproc://", "ucx://")):
        raise ValueError(f"Dask scheduler address {address!r} must look like tcp://HOST:PORT")
    return workers, address


def scheduler_problem(address: str, timeout: float = 5.0) -> str | None:
    """Why the Dask scheduler at ``tcp://HOST:PORT`` cannot be reached, or None: checked before the
    flow starts, so a wrong address is one line, not a failed flow run."""
    parts = urlsplit(address)
    if parts.scheme != "tcp":
        return None  # tls:// and others need their own handshake: let Dask try them
    try:
        port = parts.port
    except ValueError:
        port = None
    if not parts.hostname or not port:
        return f"Dask scheduler address {address!r} must look like tcp://HOST:PORT"
    try:
        with socket.create_connection((parts.hostname, port), timeout=timeout):
            return None
    except OSError as exc:
        return f"cannot reach the Dask scheduler at {address}: {exc.strerror or exc}"
