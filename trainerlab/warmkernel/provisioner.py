"""``trainerlab-warm``: a jupyter_client kernel provisioner that forks kernels from a warm server.

A kernel spec selects it with ``"metadata": {"kernel_provisioner": {"provisioner_name":
"trainerlab-warm"}}``. It is jupyter_client's :class:`~jupyter_client.provisioning.LocalProvisioner`
except for how the process starts (:func:`trainerlab.warmkernel.pool.launch`); interrupting,
killing, polling and clean-up are the local provisioner's, on the forked process. A killed kernel
is waited for a moment, until its server reports it ended: jupyter_client polls every 0.1 s.
"""

from __future__ import annotations

import asyncio
import os
import time
from typing import Any

from jupyter_client.connect import KernelConnectionInfo
from jupyter_client.provisioning import LocalProvisioner

from trainerlab.warmkernel import pool

NAME = "trainerlab-warm"
#: How long :meth:`WarmProvisioner.kill` waits for the server's word that the kernel has ended.
KILL_WAIT = 1.0


class WarmProvisioner(LocalProvisioner):  # type: ignore[misc]
    """Starts ``python -m ...`` kernels by forking them from a server that has imported the libraries."""

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> KernelConnectionInfo:
        """Fork the kernel from a warm server, or launch it as the local provisioner does."""
        process = pool.launch(cmd, **LocalProvisioner._scrub_kwargs(kwargs))
        if process is None:
            return await super().launch_kernel(cmd, **kwargs)
        self.process = process
        self.pid = self.pgid = process.pid  # the forked kernel leads its own process group
        self.cwd = kwargs.get("cwd", os.getcwd())
        return self.connection_info

    async def kill(self, restart: bool = False) -> None:
        """Kill the kernel as the local provisioner does, then wait up to :data:`KILL_WAIT` for its end."""
        await super().kill(restart=restart)
        if isinstance(self.process, pool.ForkedKernel):
            deadline = time.monotonic() + KILL_WAIT
            while self.process.poll() is None and time.monotonic() < deadline:
                await asyncio.sleep(0.005)
