"""Resident memory of a process, read cheaply enough to sample 20 times a second from the flow's
own process (bench.measure.MemorySampler)."""

from __future__ import annotations

import os
from contextlib import suppress

import psutil


class RssReader:
    """Resident memory of a process from /proc/PID/statm, read through a descriptor kept open per
    process: psutil opens, reads and closes the file and builds a named tuple on every call (with
    7 children at 20 samples a second, this and remembering which child is the API server took
    the sampler's thread from 0.13 to 0.05-0.06 CPU-s per 10 s). Where /proc is not there,
    psutil answers."""

    PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096

    def __init__(self) -> None:
        self._fds: dict[int, int | None] = {}

    def read(self, pid: int) -> int | None:
        """Bytes resident, or None for a process that is gone."""
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
            os.close(fd)
            del self._fds[pid]
            return None

    def close(self) -> None:
        for fd in self._fds.values():
            if fd is not None:
                os.close(fd)
        self._fds.clear()
