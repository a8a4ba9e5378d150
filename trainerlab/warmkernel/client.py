"""A kernel client that is ready as soon as the kernel has answered its ``kernel_info`` request.

jupyter_client's :meth:`~jupyter_client.client.KernelClient.wait_for_ready` sends ``kernel_info``,
takes the first IOPub message after the reply as proof that IOPub is connected, then reads IOPub
until it has been silent for 0.2 s. That silence is waited for on every kernel start, and a kernel
forked warm starts in a fraction of that. :class:`PromptKernelClient` gives the same guarantee —
both channels connected, the kernel idle, nothing of its start left unread on IOPub — by reading
IOPub up to the ``idle`` status of its own request, which the kernel sends last. A request sent
before IOPub's subscription reached the kernel loses its IOPub messages; ipykernel 7 then sends
``iopub_welcome``, on which the client asks again at once, and a kernel that sends none is asked
again after :data:`IOPUB_WAIT`.
"""

from __future__ import annotations

import math
import time
from queue import Empty

from jupyter_client import AsyncKernelClient, protocol_version_info

#: How long the kernel's IOPub messages of a ``kernel_info`` request may follow its reply before the
#: request counts as lost to IOPub's late subscription and is sent again (jupyter_client's own wait).
IOPUB_WAIT = 0.2


class PromptKernelClient(AsyncKernelClient):  # type: ignore[misc]
    """An :class:`~jupyter_client.asynchronous.AsyncKernelClient` whose ``wait_for_ready`` returns
    when the kernel has gone idle after answering, not 0.2 s later."""

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        """Wait until the kernel answers ``kernel_info`` on the shell channel and its ``idle`` status
        for that request arrives on IOPub; :class:`RuntimeError` if it dies or ``timeout`` passes."""
        deadline = time.monotonic() + (math.inf if timeout is None else timeout)
        while True:
            if await self._answered(self.kernel_info()):
                return
            if not await self.is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout} seconds")

    async def _answered(self, msg_id: str) -> bool:
        """Whether the request ``msg_id`` got its reply within a second and its ``idle`` on IOPub
        (``False`` at once when IOPub's welcome shows it joined after the request)."""
        while True:
            try:
                reply = await self.shell_channel.get_msg(timeout=1)
            except Empty:
                return False
            if reply["parent_header"].get("msg_id") == msg_id and reply["msg_type"] == "kernel_info_reply":
                break
        while True:
            try:
                message = await self.iopub_channel.get_msg(timeout=IOPUB_WAIT)
            except Empty:
                return False
            if message["msg_type"] == "iopub_welcome":
                return False  # IOPub joined only now: this request's messages may be lost, not the next's
            if (message["parent_header"].get("msg_id") == msg_id and message["msg_type"] == "status"
                    and message["content"].get("execution_state") == "idle"):
                break
        major = int(str(reply["content"].get("protocol_version", protocol_version_info[0])).split(".")[0])
        if major != protocol_version_info[0]:
            self.session.adapt_version = major  # as jupyter_client does with an older kernel's reply
        return True
