"""The grading kernels' client (``trainerlab.warmkernel.client``): ready when the kernel has answered.

jupyter_client's own ``wait_for_ready`` reads IOPub until it has been silent for 0.2 s; this one
reads up to the ``idle`` of its own ``kernel_info`` request, and asks again when IOPub joined too late
to carry it.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from queue import Empty
from typing import Any

import pytest
from jupyter_client import AsyncKernelManager
from jupyter_client.kernelspec import KernelSpecManager

from trainerlab.warmkernel import warm_python_environment
from trainerlab.warmkernel.client import PromptKernelClient

# An IPython start-up file whose thread prints every 20 ms for as long as the kernel runs: IOPub is
# never silent for 0.2 s.
CHATTY = """
import threading, time
def _chatter():
    while True:
        print("tick", flush=True)
        time.sleep(0.02)
threading.Thread(target=_chatter, daemon=True).start()
"""


def _manager(tmp_path: Path, client_class: type) -> AsyncKernelManager:
    warm_python_environment(tmp_path)
    return AsyncKernelManager(kernel_name="python3",
                              kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(tmp_path / "kernels")]),
                              client_factory=client_class)


async def _first_message_after_ready(km: AsyncKernelManager, env: dict[str, str]) -> tuple[dict, str]:
    await km.start_kernel(env=env)
    client = km.client()
    client.start_channels()
    try:
        await asyncio.wait_for(client.wait_for_ready(timeout=30), timeout=30)
        msg_id = client.execute("x = 6 * 7")
        return await client.iopub_channel.get_msg(timeout=30), msg_id
    finally:
        client.stop_channels()
        await km.shutdown_kernel(now=True)


def test_the_client_is_ready_with_nothing_of_the_kernels_start_left_unread(tmp_path: Path) -> None:
    env = {**os.environ, "TRAINERLAB_WARM_PRELOAD": "ipykernel.kernelapp"}
    km = _manager(tmp_path, PromptKernelClient)
    first, msg_id = asyncio.run(_first_message_after_ready(km, env))
    assert isinstance(km.client(), PromptKernelClient)
    assert first["parent_header"]["msg_id"] == msg_id, first  # not the start's welcome, status or output
    assert (first["msg_type"], first["content"]["execution_state"]) == ("status", "busy")


def test_a_kernel_whose_iopub_is_never_silent_is_still_ready(tmp_path: Path) -> None:
    """jupyter_client's own client waits for 0.2 s of silence here, and so for ever."""
    startup = tmp_path / "ipython" / "profile_default" / "startup"
    startup.mkdir(parents=True)
    (startup / "00-chatter.py").write_text(CHATTY, encoding="utf-8")
    env = {**os.environ, "IPYTHONDIR": str(tmp_path / "ipython"),
           "TRAINERLAB_WARM_PRELOAD": "ipykernel.kernelapp"}
    km = _manager(tmp_path, PromptKernelClient)
    _first, msg_id = asyncio.run(_first_message_after_ready(km, env))
    assert msg_id


class _Channel:
    """A channel that hands out the messages it is given, then reports nothing (``Empty``): a wait
    that timed out, counted in ``waited``."""

    def __init__(self) -> None:
        self.messages: list[dict] = []
        self.waited = 0

    async def get_msg(self, timeout: float | None = None) -> dict:
        if not self.messages:
            self.waited += 1
            raise Empty
        return self.messages.pop(0)


def _message(parent: str, msg_type: str, **content: Any) -> dict:
    return {"parent_header": {"msg_id": parent}, "msg_type": msg_type, "content": content}


#: What IOPub carries of a request: nothing (not yet subscribed), only the welcome (subscribed just
#: after the request's messages went out), the welcome then them, or them (subscribed earlier).
IOPUB = {"lost": [], "welcome": ["welcome"], "late": ["welcome", "busy", "idle"], "joined": ["busy", "idle"]}


class _ScriptedClient(PromptKernelClient):
    """A client talking to a script instead of a kernel: ``replies[i]`` (shell reply sent, what IOPub
    carries) answers the i-th request."""

    def __init__(self, replies: list[tuple[bool, str]], alive: bool = True, protocol: str = "5.4") -> None:
        super().__init__()
        self.replies, self.alive, self.protocol, self.requests = replies, alive, protocol, 0
        self.shell, self.iopub = _Channel(), _Channel()

    @property
    def shell_channel(self) -> _Channel:  # type: ignore[override]
        return self.shell

    @property
    def iopub_channel(self) -> _Channel:  # type: ignore[override]
        return self.iopub

    def kernel_info(self) -> str:
        msg_id = f"info-{self.requests}"
        shell_reply, iopub = self.replies[min(self.requests, len(self.replies) - 1)]
        self.requests += 1
        if shell_reply:
            self.shell.messages += [_message("earlier", "kernel_info_reply", protocol_version=self.protocol),
                                    _message(msg_id, "kernel_info_reply", protocol_version=self.protocol)]
        self.iopub.messages += [
            _message("", "iopub_welcome") if kind == "welcome"
            else _message(msg_id, "status", execution_state=kind)
            for kind in IOPUB[iopub]]
        return msg_id

    async def is_alive(self) -> bool:
        return self.alive


def test_a_request_whose_iopub_messages_were_lost_is_asked_again() -> None:
    client = _ScriptedClient([(True, "lost"), (True, "joined")])  # a kernel that sends no welcome
    asyncio.run(client.wait_for_ready(timeout=30))
    assert client.requests == 2
    assert not client.iopub.messages and client.shell.messages == []


def test_iopubs_welcome_has_the_request_asked_again_at_once() -> None:
    """ipykernel 7 welcomes each subscriber: the request before it lost its messages, the next one is
    answered, and the client never waits out :data:`IOPUB_WAIT` (a third of a second per start)."""
    for first in ("welcome", "late"):  # the request's own messages lost, or come after the welcome
        client = _ScriptedClient([(True, first), (True, "joined")])
        asyncio.run(client.wait_for_ready(timeout=30))
        assert (client.requests, client.iopub.waited) == (2, 0), first
        assert not client.iopub.messages and client.shell.messages == [], first


def test_a_kernel_that_dies_or_never_answers_is_reported() -> None:
    with pytest.raises(RuntimeError, match="died"):
        asyncio.run(_ScriptedClient([(False, "lost")], alive=False).wait_for_ready(timeout=30))
    silent = _ScriptedClient([(True, "lost")])
    with pytest.raises(RuntimeError, match="didn't respond"):
        asyncio.run(silent.wait_for_ready(timeout=0.5))
    assert silent.requests >= 2


def test_an_older_kernels_protocol_is_adapted_to_as_jupyter_client_does() -> None:
    current, older = _ScriptedClient([(True, "joined")]), _ScriptedClient([(True, "joined")], protocol="4.1")
    for client in (current, older):
        asyncio.run(client.wait_for_ready(timeout=30))
    assert not current.session.adapt_version and older.session.adapt_version == 4
