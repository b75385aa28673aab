"""Child processes that die with their parent, and signals that end a render cleanly.

A render forks exporters and runs FluidSynth. If the render is killed, its children must not keep
writing into the output folder or the temporary folder: on Linux each child asks the kernel for a
signal when its parent dies (`PR_SET_PDEATHSIG`). SIGTERM and SIGINT become exceptions, so the
`finally` blocks that remove staging and temporary folders run.
"""

import os
import signal
import sys

_PR_SET_PDEATHSIG = 1


def die_with_parent(sig: int = signal.SIGKILL) -> None:
    """Ask the kernel to send `sig` to this process when its parent dies (Linux; elsewhere nothing).

    Call it first thing in a child: FluidSynth gets it as `subprocess.run(..., preexec_fn=die_with_parent)`.
    """
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, int(sig), 0, 0, 0)
    except (OSError, AttributeError):
        pass


class Terminated(BaseException):
    """SIGTERM (or SIGHUP) arrived: unwind like Ctrl-C, so cleanup code runs."""


def _raise_terminated(signum, _frame):
    # Later signals must not interrupt the cleanup this one starts.
    for other in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(other, signal.SIG_IGN)
    raise Terminated(signum)


def end_cleanly_on_signals(*, interrupt_too: bool = False):
    """Turn SIGTERM and SIGHUP (and SIGINT when asked) into `Terminated`; returns the previous handlers."""
    names = [signal.SIGTERM, signal.SIGHUP] + ([signal.SIGINT] if interrupt_too else [])
    return {sig: signal.signal(sig, _raise_terminated) for sig in names}


def restore_signals(previous: dict):
    for sig, handler in previous.items():
        signal.signal(sig, handler)


def become_exporter_child():
    """Setup for a forked exporter: dies (cleanly) with the render, and cleans up when interrupted."""
    parent = os.getppid()
    die_with_parent(signal.SIGTERM)
    end_cleanly_on_signals(interrupt_too=True)
    if os.getppid() != parent:  # the parent died before the request above took effect
        raise Terminated(signal.SIGTERM)
