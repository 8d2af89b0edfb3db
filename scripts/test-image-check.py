#!/usr/bin/env python3
"""What the agent in the image serves on its UI port, against the workloads' own truth
(scripts/test-image.sh). Prints one line per mismatch and exits 1 if there is any.
usage: test-image-check.py URL TRUTH.json WEB_ID CACHE_ID HOSTNAME PRE_PID MARKER CACHE_CPUACCT_NS|- MODE
MODE: all (names, CPU, bytes, host, pre-existing args) | stored (the same rows after a restart)"""
import json, sys, urllib.request

url, truth_path, web_id, cache_id, hostname, pre_pid, marker, cache_cpuacct, mode = sys.argv[1:10]
truth = json.load(open(truth_path))
web, cache = web_id[:12], cache_id[:12]
problems = []


def get(path):
    with urllib.request.urlopen(url + path, timeout=20) as r:
        return json.load(r)


def near(got, want, rel, what, over=0):
    """within rel of want, and above it by `over` more at most"""
    if got is None or got - want > rel * want + over or want - got > rel * want:
        problems.append(f"{what}: {got} ns, truth {want} ns (more than {rel:.0%} apart)")


status = get("/api/status")
if hostname not in status["hosts"]:
    problems.append(f"hosts {status['hosts']} lack this host's name {hostname!r}")
span = status["span"]
rng = f"&from={span['from']}&to={span['to'] + 1}&res=1" if span else ""
overview = get("/api/overview?host=" + hostname + rng)
by_id = {c["id"]: c for c in overview["containers"]}
for cid, name, image, runtime in ((web, "web", "nginx:1.27", "docker"),
                                  (cache, "cache", "docker.io/library/redis:7.2", "podman")):
    c = by_id.get(cid)
    if c is None:
        problems.append(f"container {cid} ({name}) missing; the UI has {sorted(by_id)}")
        continue
    for k, v in (("name", name), ("image", image), ("runtime", runtime)):
        if c[k] != v:
            problems.append(f"container {cid}: {k} {c[k]!r}, expected {v!r} (from the fake API on the host's socket)")


def procs(cid):
    if cid not in by_id:
        return {}
    return {p["pid"]: p for p in get(f"/api/processes?host={hostname}&id={cid}{rng}")["processes"]}


pw, pc = procs(web), procs(cache)
for table, cid, pid, path, want in ((pw, web, truth["web_pid"], truth["web_file"], truth["web_bytes"]),
                                    (pc, cache, truth["cache_pid"], truth["cache_file"], truth["cache_bytes"])):
    if pid not in table:
        problems.append(f"dd pid {pid} not among container {cid}'s processes {sorted(table)}")
        continue
    rows = get(f"/api/files?host={hostname}&id={cid}&pid={pid}{rng}")["rows"]
    got = sum(f["bytesOut"] for f in rows if f["file"] == path)
    if got != want:
        problems.append(f"dd pid {pid} in {cid}: {got} bytes written to {path}, truth {want}; files {rows}")
b = pc.get(truth["burn_pid"])
if b is None:
    problems.append(f"CPU burner pid {truth['burn_pid']} not among container {cache}'s processes")
else:
    # switch intervals hold the hypervisor's steal, the task clock does not: that much more is allowed
    near(b["cpuNs"], truth["burn_cpu"], 0.02, f"CPU burner pid {truth['burn_pid']} (its task clock from wait4; "
         f"{truth['burn_steal']} ns stolen meanwhile; source {b['cpuSource']}, start {b['startTs']}, exit {b['exitTs']})",
         over=truth["burn_steal"])
if cache_cpuacct != "-" and cache in by_id:
    # the burner is nearly all of it, so the steal beside the burner's run is the allowance here too
    near(by_id[cache]["totals"]["cpuNs"], int(cache_cpuacct), 0.02, f"container {cache} CPU (cpuacct.usage)",
         over=truth["burn_steal"])
p = pw.get(int(pre_pid))
if p is None:
    problems.append(f"pre-existing pid {pre_pid} not among container {web}'s processes")
elif marker not in p["args"]:
    problems.append(f"pre-existing pid {pre_pid}: args {p['args']!r} lack {marker!r} (libsinsp read /host/proc?)")

for line in problems:
    print("test-image-check: " + line)
if not problems:
    print(f"test-image-check: {mode}: containers {web} web / {cache} cache named, dd bytes exact, "
          f"burner CPU {b['cpuNs']} vs {truth['burn_cpu']} ns, host {hostname}, pre-existing args seen")
sys.exit(1 if problems else 0)
