"""Acknowledged-write load for the cluster tests (issue 16): N connections through nginx, a mix
of dataset creates, PATCHes (If-Match with the version last acknowledged) and reads, for a
bounded time, while the test kills a Galera node. Every answer is recorded with its status and
time; every 2xx write is recorded with the id, version and value it was acknowledged with.
Then `verify` checks, on every database node (the mariadb client as the superuser), that each
acknowledged write is there with its version and its history row, and that the nodes agree.

    acked_load.py run URL TOKEN PROJECTS SECONDS CONNECTIONS OUT.json [STOP_FILE]
        (PROJECTS: comma-separated ids; connection i works in project i mod their count)
        (runs SECONDS at most; ends earlier, once STOP_FILE exists; STOP_FILE.started is
        created when the connections begin)
    acked_load.py verify OUT.json TENANT_NAME MAX_REQUEST_SECONDS -- NODE_ARGS... [-- NODE_ARGS...]
        (NODE_ARGS: the mariadb client's arguments for one node, e.g. --socket=/x -u root)

ACKED_LOAD_CREATE_SHARE (default 0.3) is the share of creates among the operations; with 0,
each connection first creates 2 datasets, one connection after another, then only PATCHes
and reads (the load without concurrent DDL).
`run` prints `RESULT requests=… ok=… s503=… s500=… other=… window_s=… max_request_s=…`;
`verify` prints what it checked and exits 1 on any violation. Standard library only."""
import collections
import http.client
import json
import os
import random
import sys
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from nodes import node_groups, node_query  # noqa: E402

# A request may not take longer than this on the client side: beyond it the answer is
# recorded as status 0 ("hung"), which verify counts as a violation.
CLIENT_TIMEOUT_SECONDS = 30


class Client:
    """One keep-alive connection to nginx, reopened after any transport error."""

    def __init__(self, url, token):
        parsed = urllib.parse.urlsplit(url)
        self.host, self.port = parsed.hostname, parsed.port or 80
        self.headers = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}
        self.connection = None

    def call(self, method, path, body=None, headers=None):
        """Returns (status, parsed JSON or None, seconds); status 0 when no answer came."""
        started = time.monotonic()
        try:
            if self.connection is None:
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=CLIENT_TIMEOUT_SECONDS)
            self.connection.request(method, path, body=None if body is None else json.dumps(body),
                                    headers={**self.headers, **(headers or {})})
            answer = self.connection.getresponse()
            raw = answer.read()
            if answer.getheader("Connection", "").lower() == "close":
                self.close()
            try:
                payload = json.loads(raw) if raw else None
            except ValueError:
                payload = None
            return answer.status, payload, time.monotonic() - started
        except Exception:  # refused, reset, timeout: no answer, as a client sees it
            self.close()
            return 0, None, time.monotonic() - started

    def close(self):
        if self.connection is not None:
            self.connection.close()
        self.connection = None


CREATE_SHARE = float(os.environ.get("ACKED_LOAD_CREATE_SHARE", "0.3"))


def precreate(index, url, token, project, acked):
    """Two datasets of connection `index`, created before the load (ACKED_LOAD_CREATE_SHARE=0)."""
    client, mine = Client(url, token), {}
    for serial in (1, 2):
        name = f"w{index:02d}_pre{serial}"
        status, body, _ = client.call("POST", f"/api/v1/projects/{project}/datasets", {"name": name})
        if status != 201:
            raise SystemExit(f"creating {name} before the load answered {status}")
        mine[body["id"]] = body["version"]
        acked.append({"kind": "create", "id": body["id"], "version": body["version"], "name": name})
    client.close()
    return mine


def worker(index, url, token, projects, running, log, acked, lock, mine):
    project = projects[index % len(projects)]
    client = Client(url, token)
    rng = random.Random(index)
    # mine: dataset id -> version last acknowledged (or read back after a 412)
    serial = 0
    while running():
        serial += 1
        roll = rng.random()
        started = time.time()
        if not mine or roll < CREATE_SHARE:
            name = f"w{index:02d}_{serial}"
            status, body, took = client.call("POST", f"/api/v1/projects/{project}/datasets", {"name": name})
            kind = "create"
            if 200 <= status < 300:
                mine[body["id"]] = body["version"]
                with lock:
                    acked.append({"kind": "create", "id": body["id"], "version": body["version"], "name": name})
        elif roll < CREATE_SHARE + (1 - CREATE_SHARE) * 5 / 7:
            dataset = rng.choice(list(mine))
            description = f"w{index:02d} s{serial}"
            status, body, took = client.call("PATCH", f"/api/v1/datasets/{dataset}", {"description": description},
                                             {"If-Match": f'"{mine[dataset]}"'})
            kind = "update"
            if 200 <= status < 300:
                mine[dataset] = body["version"]
                with lock:
                    acked.append({"kind": "update", "id": dataset, "version": body["version"], "description": description})
            elif status == 412:
                # An earlier write answered 503 did commit after all (allowed: not acknowledged).
                fresh, current, _ = client.call("GET", f"/api/v1/datasets/{dataset}")
                if fresh == 200:
                    mine[dataset] = current["version"]
        else:
            kind = "read"
            if rng.random() < 0.5:
                status, body, took = client.call("GET", f"/api/v1/projects/{project}/datasets?limit=20")
            else:
                status, body, took = client.call("GET", f"/api/v1/datasets/{rng.choice(list(mine))}")
        with lock:
            log.append((started, took, kind, status))
    client.close()


def runs(failures, began):
    found = []
    for started, took in failures:
        if found and started - began <= found[-1][1] + 2:
            found[-1][1] = max(found[-1][1], round(started + took - began, 1))
            found[-1][2] += 1
        else:
            found.append([round(started - began, 1), round(started + took - began, 1), 1])
    return found


def run(url, token, projects, seconds, connections, out, stop_file=None):
    log, acked, lock = [], [], threading.Lock()
    owned = [precreate(i, url, token, projects[i % len(projects)], acked) if CREATE_SHARE == 0 else {}
             for i in range(connections)]
    began = time.time()
    deadline = began + seconds

    def running():
        return time.time() < deadline and not (stop_file and os.path.exists(stop_file))

    threads = [threading.Thread(target=worker, args=(i, url, token, projects, running, log, acked, lock, owned[i]), daemon=True)
               for i in range(connections)]
    for thread in threads:
        thread.start()
    if stop_file:  # the load has begun (the test times its kill from here)
        open(stop_file + ".started", "w").close()
    for thread in threads:
        thread.join(seconds + CLIENT_TIMEOUT_SECONDS + 10)
    with lock:
        log.sort()
        acked_copy = list(acked)
        log_copy = list(log)
    counts = collections.Counter(status for _, _, _, status in log_copy)
    failures = [(t, took) for t, took, _, status in log_copy if not (200 <= status < 300) and status != 412]
    window = (max(t + took for t, took in failures) - failures[0][0]) if failures else 0.0
    summary = {
        "requests": len(log_copy),
        "by_status": {str(k): v for k, v in sorted(counts.items())},
        "by_kind": dict(collections.Counter(kind for _, _, kind, _ in log_copy)),
        "window_s": round(window, 2),
        "seconds": round(time.time() - began, 1),
        "window_from_s": round(failures[0][0] - began, 1) if failures else None,
        "window_to_s": round(max(t + took for t, took in failures) - began, 1) if failures else None,
        # Runs of failures (apart by more than 2 s): [from s, to s, answers] into the load.
        "failure_runs": runs(failures, began),
        "slowest": [[round(t - began, 1), kind, status, round(took, 2)] for t, took, kind, status in
                    sorted(log_copy, key=lambda entry: -entry[1])[:3]],
        "max_request_s": round(max((took for _, took, _, _ in log_copy), default=0.0), 2),
        "acked_creates": sum(1 for a in acked_copy if a["kind"] == "create"),
        "acked_updates": sum(1 for a in acked_copy if a["kind"] == "update"),
        "threads_alive": sum(1 for thread in threads if thread.is_alive()),
    }
    with open(out, "w") as handle:
        json.dump({"summary": summary, "acked": acked_copy, "log": log_copy}, handle)
    statuses = " ".join(f"s{k}={v}" for k, v in sorted(counts.items()))
    print(f"RESULT requests={summary['requests']} {statuses} window_s={summary['window_s']} "
          f"max_request_s={summary['max_request_s']} acked_creates={summary['acked_creates']} "
          f"acked_updates={summary['acked_updates']}", flush=True)


def verify(out, tenant, max_request_seconds, nodes):
    data = json.load(open(out))
    summary, acked, log = data["summary"], data["acked"], data["log"]
    violations = []
    # The answers: 2xx, 412 (a 503'd write that did commit) or 503; nothing else, no hang.
    for status, count in summary["by_status"].items():
        if status not in ("412", "503") and not status.startswith("2"):
            violations.append(f"{count} answers with status {status} (0 = no answer within {CLIENT_TIMEOUT_SECONDS}s)")
    slow = [took for _, took, _, _ in log if took > max_request_seconds]
    if slow:
        violations.append(f"{len(slow)} requests took longer than {max_request_seconds}s (longest {max(slow):.1f}s)")
    if summary["threads_alive"]:
        violations.append(f"{summary['threads_alive']} load threads did not stop")
    if summary["acked_creates"] == 0 or summary["acked_updates"] == 0:
        violations.append("the load acknowledged no create or no update")

    images = []
    for node in nodes:
        label = " ".join(node)
        where = f"tenant_id = (SELECT id FROM datacovey.tenants WHERE name = '{tenant}')"
        current = {int(i): (int(v), d) for i, v, d in node_query(
            node, f"SELECT id, version, COALESCE(description, '') FROM datacovey.datasets WHERE {where}")}
        history = {(int(i), int(v)): (op, n, d) for i, v, op, n, d in node_query(
            node, "SELECT entity_id, version, operation, JSON_VALUE(row_image, '$.name'), "
                  "COALESCE(JSON_VALUE(row_image, '$.description'), '') "
                  f"FROM datacovey.dataset_history WHERE {where}")}
        missing = 0
        newest = {}
        for write in acked:
            key = (write["id"], write["version"])
            newest[write["id"]] = max(newest.get(write["id"], 0), write["version"])
            row = history.get(key)
            if write["kind"] == "create":
                good = row is not None and row[0] == "insert" and row[1] == write["name"] and write["id"] in current
            else:
                good = row is not None and row[0] == "update" and row[2] == write["description"]
            if not good:
                missing += 1
                if missing <= 5:
                    violations.append(f"{label}: acknowledged {write} is not in the database (history row {row})")
        behind = [i for i, v in newest.items() if i not in current or current[i][0] < v]
        if behind:
            violations.append(f"{label}: {len(behind)} datasets are behind their acknowledged version, e.g. {behind[:3]}")
        # Each dataset's row agrees with its history at its version (no lost history row).
        unmatched = [i for i, (v, d) in current.items() if (i, v) not in history or history[(i, v)][2] != d]
        if unmatched:
            violations.append(f"{label}: {len(unmatched)} datasets have no history row for their version, e.g. {unmatched[:3]}")
        if missing:
            violations.append(f"{label}: {missing} of {len(acked)} acknowledged writes missing")
        images.append((label, len(current), len(history), hash((tuple(sorted(current.items())), tuple(sorted(history.items()))))))
        print(f"node {label}: {len(current)} datasets, {len(history)} history rows, "
              f"{len(acked) - missing}/{len(acked)} acknowledged writes present", flush=True)
    if len({image[3] for image in images}) > 1:
        violations.append("the nodes disagree: " + ", ".join(f"{l}: {c} datasets/{h} history" for l, c, h, _ in images))
    # Writes answered 503 that committed anyway are allowed (never acknowledged); count them.
    print(f"statuses {summary['by_status']}, requests {summary['requests']}, failure window {summary['window_s']}s, "
          f"longest request {summary['max_request_s']}s", flush=True)
    for violation in violations:
        print("VIOLATION: " + violation, flush=True)
    return 1 if violations else 0


def main(argv):
    if len(argv) in (7, 8) and argv[0] == "run":
        run(argv[1], argv[2], [int(p) for p in argv[3].split(",")], float(argv[4]), int(argv[5]), argv[6], argv[7] if len(argv) == 8 else None)
        return 0
    if len(argv) >= 6 and argv[0] == "verify" and argv[4] == "--":
        return verify(argv[1], argv[2], float(argv[3]), node_groups(argv[5:]))
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
