"""Child processes that die with their parent, and signals that end a render cleanly.

A render forks exporters and runs FluidSynth. If the render is killed, its children must not keep
writing into the output folder or the temporary folder: on Linux each child asks the kernel for a
signal when its parent dies (`PR_SET_PDEATHSIG`). SIGTERM and SIGINT become exceptions, so the
`finally` blocks that remove staging and temporary folders run.
"""

import gc
import os
import pickle
import select
import signal
import sys
import time
from dataclasses import dataclass

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


def become_forked_child():
    """Setup for a forked worker: dies (cleanly) with the render, and cleans up when interrupted."""
    parent = os.getppid()
    die_with_parent(signal.SIGTERM)
    end_cleanly_on_signals(interrupt_too=True)
    if os.getppid() != parent:  # the parent died before the request above took effect
        raise Terminated(signal.SIGTERM)


def can_fork() -> bool:
    """Whether work can go to a forked process on another core (`SEQUENCER_JOBS=1` says no)."""
    jobs = os.environ.get("SEQUENCER_JOBS")
    cores = int(jobs) if jobs and jobs.isdigit() else (os.cpu_count() or 1)
    return cores > 1 and hasattr(os, "fork")


@dataclass(slots=True)
class Child:
    """A forked worker: its process id, the pipe it answers on, and its exit status once reaped."""
    pid: int
    answer_fd: int
    status: int | None = None


def fork_call(function, *args) -> Child:
    """Run `function(*args)` in a forked process that sends back, pickled, its result or its error.

    A plain `os.fork` and a pipe: the multiprocessing package would cost ~30 ms to import.
    """
    read_fd, write_fd = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the child never returns into the parent's code, nor runs its cleanup
        status = 1
        try:
            os.close(read_fd)
            with os.fdopen(write_fd, "wb") as answer:
                answer.write(_answer(function, args))
            status = 0
        finally:
            os._exit(status)
    os.close(write_fd)
    return Child(pid, read_fd)


def _answer(function, args) -> bytes:
    try:
        become_forked_child()
        gc.enable()  # the parent may have stopped collecting; a child collects, rarely: it does one job and exits
        gc.set_threshold(100_000)
        result = (function(*args), None)
    except BaseException as exc:  # handed to the parent, which raises it
        result = (None, exc)
    try:
        data = pickle.dumps(result, pickle.HIGHEST_PROTOCOL)
        if result[1] is not None:
            pickle.loads(data)  # an error must also be rebuilt on the other side
        return data
    except Exception as exc:  # an error that cannot be pickled or rebuilt: send its text
        return pickle.dumps((None, RuntimeError(f"{type(result[1]).__name__}: {result[1]} ({exc})")))


def child_result(child: Child):
    """Wait for the child's answer: its result, or its error raised here."""
    with os.fdopen(child.answer_fd, "rb") as answer:
        child.answer_fd = -1
        data = answer.read()
    _reap(child)
    if not data:
        raise RuntimeError(f"a forked worker process died (exit code {child.status})")
    result, error = pickle.loads(data)
    if error is not None:
        raise error
    return result


def _reap(child: Child, block: bool = True) -> bool:
    """Collect the child's exit status; False when it still runs (and `block` is False)."""
    if child.status is None:
        pid, status = os.waitpid(child.pid, 0 if block else os.WNOHANG)
        if pid == 0:
            return False
        child.status = os.waitstatus_to_exitcode(status)
    return True


def stop_children(children, grace_s: float = 10.0):
    """End children still running: SIGTERM lets them remove their temporary files, then SIGKILL."""
    running = [child for child in children if not _reap(child, block=False)]
    for child in running:
        os.kill(child.pid, signal.SIGTERM)
    deadline = time.monotonic() + grace_s
    for child in running:
        if not _wait_until(child, deadline):
            os.kill(child.pid, signal.SIGKILL)
        _reap(child)
    for child in children:
        if child.answer_fd >= 0:
            os.close(child.answer_fd)
            child.answer_fd = -1


def _wait_until(child: Child, deadline: float) -> bool:
    """Wait for the child to exit until `deadline` (monotonic seconds); True when it did."""
    try:
        pidfd = os.pidfd_open(child.pid)
    except (AttributeError, OSError):  # no pidfd (not Linux, or an old kernel): wait without a deadline
        return _reap(child)
    try:
        select.select([pidfd], [], [], max(0.0, deadline - time.monotonic()))
        return _reap(child, block=False)
    finally:
        os.close(pidfd)
