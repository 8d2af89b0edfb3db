#!/usr/bin/env python3
"""The path scapstream replaces: libsinsp's JSON lines (sysdig -j's shape) on stdin, folded per
second and per process into event counts and I/O bytes, printed as one JSON object per second.
Run by scripts/bench/coldstart.sh as `scapstream-format -j -p FORMAT FILE | seed-aggregate.py`."""
import json
import sys
from collections import defaultdict

seconds = defaultdict(lambda: defaultdict(lambda: {"events": 0, "bytes_in": 0, "bytes_out": 0, "errors": 0}))
IN = {"read", "readv", "pread", "preadv", "recvfrom", "recvmsg", "recvmmsg"}
OUT = {"write", "writev", "pwrite", "pwritev", "sendto", "sendmsg", "sendmmsg"}
for line in sys.stdin:
    e = json.loads(line)
    sec = e["evt.rawtime"] // 1_000_000_000
    row = seconds[sec][(e.get("container.id"), e.get("proc.pid"))]
    row["events"] += 1
    if e.get("evt.dir") != "<":
        continue
    res = e.get("evt.rawres")
    if not isinstance(res, int):
        continue
    if res < 0:
        row["errors"] += 1
    elif e["evt.type"] in IN:
        row["bytes_in"] += res
    elif e["evt.type"] in OUT:
        row["bytes_out"] += res
for sec in sorted(seconds):
    print(json.dumps({"ts": sec, "rows": [dict(container=c, pid=p, **v) for (c, p), v in seconds[sec].items()]}))
