"""Run one command and print its wall time, CPU time and peak memory as JSON.

The bench starts this small script, and this script starts the command: Linux carries a
parent's peak resident size into a forked child, so the command must be started from a small
process for its peak memory to mean anything. CPU time and peak memory include every process
the command waited for (forked exporters, FluidSynth); peak memory is the largest single one.

Usage: python measure.py [--cwd DIR] -- COMMAND ARGS...
"""

import json
import os
import sys
import time


def main():
    args = sys.argv[1:]
    if args[:1] == ["--cwd"]:
        os.chdir(args[1])
        args = args[2:]
    command = args[1:] if args[:1] == ["--"] else args
    null = os.open(os.devnull, os.O_WRONLY)
    began = time.perf_counter()
    pid = os.posix_spawn(command[0], command, os.environ,
                         file_actions=[(os.POSIX_SPAWN_DUP2, null, 1)])  # errors still show
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - began
    print(json.dumps({"wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime,
                      "peak_mb": usage.ru_maxrss / 1024, "status": os.waitstatus_to_exitcode(status)}))


if __name__ == "__main__":
    main()
