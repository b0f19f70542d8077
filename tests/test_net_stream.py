"""The guarded transport's streams look their socket up once, yet a kept-alive connection that the
server closed is still seen as closed (readable), so the pool never reuses a dead connection."""

from __future__ import annotations

import asyncio
import socket

from flows.ssrf import GuardedBackend


async def _idle_then_closed_by_server() -> tuple[bool, bool, bool]:
    with socket.create_server(("127.0.0.1", 0)) as listener:
        port = listener.getsockname()[1]
        stream = await GuardedBackend(allow_private=True, explicit_hosts=()).connect_tcp("127.0.0.1", port)
        conn, _ = listener.accept()
        try:
            open_idle = stream.get_extra_info("is_readable")
            conn.close()
            for _ in range(100):  # the FIN arrives within milliseconds on loopback
                if stream.get_extra_info("is_readable"):
                    break
                await asyncio.sleep(0.01)
            closed = stream.get_extra_info("is_readable")
            same = stream.get_extra_info("socket") is stream.get_extra_info("socket") is not None
        finally:
            await stream.aclose()
    return open_idle, closed, same


def test_an_idle_connection_is_not_readable_until_the_server_closes_it() -> None:
    open_idle, closed, same_socket = asyncio.run(_idle_then_closed_by_server())
    assert open_idle is False and closed is True and same_socket
