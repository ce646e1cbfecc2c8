"""Who holds an inbox update's lease: ``host:pid:boot:pidns``, and whether that process is gone.

Each process takes updates in under its own name (:func:`default_owner`). When a
service is killed and restarted, its successor on the same host sees that the
named process no longer exists (:func:`owner_gone`) and takes the updates back
at once (:meth:`bot.runtime.inbox.UpdateInbox.release_dead_owners`) instead of
waiting out their lease.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path


def _boot_id() -> str:
    """This boot of the machine (Linux), so that a pid of an earlier boot is not trusted."""
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text("ascii").strip()[:8] or "-"
    except OSError:
        return "-"


def _pid_namespace() -> str:
    """This process's pid namespace (Linux): pids of another container are not ours to test."""
    try:
        link = os.readlink("/proc/self/ns/pid")  # "pid:[4026531836]"
    except OSError:
        return "-"
    digits = "".join(ch for ch in link if ch.isdigit())
    return digits or "-"


def default_owner() -> str:
    """The name this process leases updates under: ``host:pid:boot:pidns``."""
    return f"{socket.gethostname()[:32]}:{os.getpid()}:{_boot_id()}:{_pid_namespace()}"


def owner_gone(owner: str, me: str) -> bool:
    """Whether the process ``owner`` (``host:pid:boot:pidns``) is certainly gone, seen by ``me``.

    Only owners of this host are judged: one of an earlier boot is gone; one of this
    boot and of this pid namespace is gone when no process has its pid. Anything else
    (another host, another container sharing the host's name, a pid that now belongs to
    someone else, an unreadable name) counts as alive: its updates wait out their lease
    as before.
    """
    parts, mine = owner.split(":"), me.split(":")
    if len(parts) != 4 or len(mine) != 4 or parts[0] != mine[0] or not parts[1].isdigit():
        return False
    if owner == me:
        return False
    if parts[2] != mine[2] and "-" not in (parts[2], mine[2]):
        return True  # the machine has restarted since
    if parts[3] != mine[3] or parts[3] == "-":
        return False  # another pid namespace (a container): its pids mean nothing here
    return pid_gone(int(parts[1]))


def pid_gone(pid: int) -> bool:
    """Whether no process of this pid namespace has ``pid`` (one of another user's exists)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # exists, another user's
        return False
    return False
