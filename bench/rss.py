"""Resident memory of a process, read cheaply enough to sample 20 times a second from the flow's
own process (bench.measure.MemorySampler)."""

from __future__ import annotations

import os
import threading
from contextlib import suppress

import psutil


class RssReader:
    """Resident memory of a process from /proc/PID/statm, read through a descriptor kept open per
    process: psutil opens, reads and closes the file and builds a named tuple on every call (with
    7 children at 20 samples a second, this and remembering which child is the API server took
    the sampler's thread from 0.13 to 0.05-0.06 CPU-s per 10 s). Where /proc is not there,
    psutil answers. Safe from several threads: the sampler's thread and the phase boundaries
    (MemorySampler.during) both read, and without the lock one of them could close a descriptor
    the other was reading when a process ended (seen once: a run failed on EBADF)."""

    PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096

    def __init__(self) -> None:
        self._fds: dict[int, int | None] = {}
        self._lock = threading.Lock()

    def read(self, pid: int) -> int | None:
        """Bytes resident, or None for a process that is gone."""
        with self._lock:
            return self._read(pid)

    def _read(self, pid: int) -> int | None:
        fd = self._fds.get(pid, -1)
        if fd == -1:
            try:
                fd = os.open(f"/proc/{pid}/statm", os.O_RDONLY)
            except OSError:
                fd = None
            self._fds[pid] = fd
        if fd is None:
            with suppress(psutil.Error):
                return psutil.Process(pid).memory_info().rss
            return None
        try:
            return int(os.pread(fd, 128, 0).split()[1]) * self.PAGE
        except (OSError, IndexError, ValueError):
            with suppress(OSError):
                os.close(fd)
            self._fds.pop(pid, None)
            return None

    def close(self) -> None:
        with self._lock:
            for fd in self._fds.values():
                if fd is not None:
                    with suppress(OSError):
                        os.close(fd)
            self._fds.clear()
