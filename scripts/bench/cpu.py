#!/usr/bin/env python3
"""CPU time per process group while a scenario runs, from /proc.

    cpu.py watch SERVER_PID OUT_JSON
        Samples every process's utime + stime (/proc/<pid>/stat) every 0.2 s until
        SIGTERM or SIGINT, then writes the CPU seconds used in that window by: the
        server (SERVER_PID, all its threads), postgres (every process named
        postgres; backends that ended in the window through the postmaster's
        children's time, so short pgbench connections count in full), redis, oha,
        pgbench, argon2_rate, and everything else (with its busiest names); plus
        the machine's totals from /proc/stat (busy, idle, iowait, steal); and the server's
        time by thread name (/proc/<pid>/task), user and system apart, with minor page faults.

A process that ends in the window and is no child of the postmaster counts up to
its last sample (at most 0.2 s lost). Linux only.
"""
import json
import os
import re
import signal
import sys
import time

TICK = os.sysconf("SC_CLK_TCK")
GROUPS = {"postgres": "postgres", "redis-server": "redis", "oha": "oha",
          "pgbench": "pgbench", "argon2_rate": "argon2_rate"}


def processes():
    """{pid: (comm, ppid, own ticks, reaped children's ticks)}"""
    out = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % name) as f:
                stat = f.read()
        except OSError:
            continue
        comm = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        out[int(name)] = (comm, int(fields[1]), int(fields[11]) + int(fields[12]),
                          int(fields[13]) + int(fields[14]))
    return out


def threads(pid):
    """{tid: (name, user ticks, system ticks, minor page faults)} of one process."""
    out = {}
    try:
        tids = os.listdir("/proc/%d/task" % pid)
    except OSError:
        return out
    for tid in tids:
        try:
            with open("/proc/%d/task/%s/stat" % (pid, tid)) as f:
                stat = f.read()
        except OSError:
            continue
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        out[int(tid)] = (name, int(fields[11]), int(fields[12]), int(fields[7]))
    return out


def machine():
    with open("/proc/stat") as f:
        values = [int(v) for v in f.readline().split()[1:]]
    user, nice, system, idle, iowait, irq, softirq, steal = (values + [0] * 8)[:8]
    return {"busy": user + nice + system + irq + softirq, "idle": idle,
            "iowait": iowait, "steal": steal}


def postmasters(snapshot):
    return {pid for pid, (comm, ppid, _, _) in snapshot.items()
            if comm == "postgres" and snapshot.get(ppid, ("",))[0] != "postgres"}


def watch(server_pid, out_path):
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))
    started = time.monotonic()
    first = processes()
    machine_first = machine()
    threads_first = threads(server_pid)
    last = dict(first)
    threads_last = dict(threads_first)
    while not stop:
        time.sleep(0.2)
        last.update(processes())
        threads_last.update(threads(server_pid))
    final = processes()
    machine_final = machine()
    threads_last.update(threads(server_pid))
    wall = time.monotonic() - started

    masters = postmasters(first) | postmasters(final)
    seconds = {"server": 0.0, "postgres": 0.0, "redis": 0.0, "oha": 0.0, "pgbench": 0.0,
               "argon2_rate": 0.0, "other": 0.0}
    others = {}
    for pid, (comm, ppid, ticks, children) in last.items():
        alive = pid in final
        if alive:
            comm, ppid, ticks, children = final[pid]
        elif ppid in masters:
            continue  # counted in full by the postmaster's children's time
        base = first.get(pid, (comm, ppid, 0, 0))
        used = (ticks - base[2]) / TICK
        if pid in masters:
            used += (children - base[3]) / TICK
        if used <= 0:
            continue
        group = "server" if pid == server_pid else GROUPS.get(comm, "other")
        seconds[group] += used
        if group == "other":
            others[comm] = others.get(comm, 0.0) + used
    totals = {k: (machine_final[k] - machine_first[k]) / TICK for k in machine_first}
    # The server by thread name (digits dropped: "bilim-cpu-0" and "-1" are "bilim-cpu"):
    # user seconds, system seconds, minor page faults.
    by_thread = {}
    for tid, (name, user, system, faults) in threads_last.items():
        base = threads_first.get(tid, (name, 0, 0, 0))
        group = re.sub(r"[-_ ]?\d+$", "", name)
        entry = by_thread.setdefault(group, [0.0, 0.0, 0])
        entry[0] += (user - base[1]) / TICK
        entry[1] += (system - base[2]) / TICK
        entry[2] += faults - base[3]
    by_thread = {k: v for k, v in by_thread.items() if v[0] + v[1] > 0}
    result = {
        "wall": wall,
        "cpus": os.cpu_count(),
        "seconds": seconds,
        "other_top": sorted(others.items(), key=lambda kv: -kv[1])[:4],
        "machine": totals,
        "server_threads": by_thread,
    }
    with open(out_path, "w") as f:
        json.dump(result, f)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "watch":
        watch(int(sys.argv[2]), sys.argv[3])
    else:
        sys.exit(__doc__)
