"""Limits a query worker puts on itself: no network sockets, and a cap on its memory.

``forbid_network`` installs a seccomp filter (Linux, x86-64 or AArch64) under which creating
an IPv4 or IPv6 socket fails with ``EACCES``; Unix sockets and pipes keep working, and the
filter is inherited by every process forked afterwards. ``cap_memory`` sets ``RLIMIT_AS`` so
that an allocation past the cap fails instead of exhausting the machine.
"""

from __future__ import annotations

import ctypes
import errno
import platform
import resource
import socket
import struct

__all__ = ["SandboxError", "address_space_bytes", "cap_memory", "forbid_network"]

_PR_SET_NO_NEW_PRIVS = 38
_PR_SET_SECCOMP = 22
_SECCOMP_MODE_FILTER = 2
_RET_ALLOW = 0x7FFF0000
_RET_ERRNO = 0x00050000
# (audit architecture, number of socket(2), number of io_uring_setup(2))
_ARCH = {"x86_64": (0xC000003E, 41, 425), "aarch64": (0xC00000B7, 198, 425)}
_LD_W_ABS, _JEQ_K, _RET_K = 0x20, 0x15, 0x06


class SandboxError(OSError):
    """The platform cannot apply the requested limit."""


def _instruction(code: int, jt: int, jf: int, k: int) -> bytes:
    return struct.pack("HBBI", code, jt, jf, k)


def forbid_network() -> None:
    """Make every later ``socket(AF_INET|AF_INET6, ...)`` in this process fail with EACCES."""
    machine = platform.machine()
    if platform.system() != "Linux" or machine not in _ARCH:
        raise SandboxError(f"cannot block network access on {platform.system()} {machine}")
    arch, nr_socket, nr_uring = _ARCH[machine]
    deny = _RET_ERRNO | errno.EACCES
    program = b"".join([
        _instruction(_LD_W_ABS, 0, 0, 4),                   # A = seccomp_data.arch
        _instruction(_JEQ_K, 1, 0, arch),                    # native architecture?
        _instruction(_RET_K, 0, 0, deny),                    # no: refuse every call
        _instruction(_LD_W_ABS, 0, 0, 0),                   # A = syscall number
        _instruction(_JEQ_K, 0, 1, nr_uring),                # io_uring could open sockets
        _instruction(_RET_K, 0, 0, deny),
        _instruction(_JEQ_K, 0, 4, nr_socket),               # socket(2)?
        _instruction(_LD_W_ABS, 0, 0, 16),                  # A = first argument (domain)
        _instruction(_JEQ_K, 1, 0, socket.AF_INET),
        _instruction(_JEQ_K, 0, 1, socket.AF_INET6),
        _instruction(_RET_K, 0, 0, deny),
        _instruction(_RET_K, 0, 0, _RET_ALLOW),
    ])
    count = len(program) // 8
    buffer = ctypes.create_string_buffer(program)

    class SockFprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    prog = SockFprog(count, ctypes.cast(buffer, ctypes.c_void_p))
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong,
                           ctypes.c_ulong]
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise SandboxError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS) failed")
    if libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.addressof(prog), 0, 0) != 0:
        raise SandboxError(ctypes.get_errno(), "prctl(PR_SET_SECCOMP) failed")


def address_space_bytes() -> int:
    """The current size of this process's address space (``VmSize``), in bytes."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    raise SandboxError("cannot read VmSize")


def cap_memory(extra_bytes: int) -> None:
    """Allow this process ``extra_bytes`` of address space beyond what it uses now."""
    limit = address_space_bytes() + extra_bytes
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
