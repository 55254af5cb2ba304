"""DataCovey reliability probe (scripts/reliability): while MariaDB is stopped and started
under load, asks as two tenants in turn, every 50 ms, for /api/v1/me and the project list,
and checks every answer belongs to the asking tenant (no tenant context may leak into a
request after the pool reconnects). Records when answers failed, for the failure window.

Usage: tenant_probe.py BASE_URL SECONDS TOKEN_A TENANT_A TOKEN_B TENANT_B
Prints one line: RESULT probes=… ok=… failed=… leaks=… window_s=… (the longest time from a
first failed answer to the next good one, in seconds)."""
import json
import signal
import sys
import time
import urllib.error
import urllib.request

base, seconds = sys.argv[1].rstrip("/"), float(sys.argv[2])
callers = [(sys.argv[3], sys.argv[4]), (sys.argv[5], sys.argv[6])]


def get(path, token):
    request = urllib.request.Request(base + path, headers={"Authorization": "Bearer " + token})
    try:
        with urllib.request.urlopen(request, timeout=5) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, None
    except Exception:  # connection refused, timeout: a failed answer, as a client sees it
        return 0, None


def stop(*_):
    # Started in the background by a script, SIGINT is ignored; SIGTERM ends the probe early.
    raise KeyboardInterrupt


def main():
    probes = ok = failed = leaks = 0
    window = 0.0
    run_start = None
    last_failure = None
    deadline = time.time() + seconds
    turn = 0
    try:
        while time.time() < deadline:
            token, tenant = callers[turn % 2]
            turn += 1
            probes += 1
            status, me = get("/api/v1/me", token)
            good = status == 200
            if good and me["tenant"]["name"] != tenant:
                leaks += 1
                print(f"LEAK: /api/v1/me as {tenant} answered tenant {me['tenant']['name']}", file=sys.stderr)
            if good:
                status, projects = get("/api/v1/projects?limit=1000", token)
                good = status == 200
                if good:
                    # A tenant's projects are named after it ("rel-a-1f" makes "rel_a_1f_…").
                    prefix = tenant.replace("-", "_") + "_"
                    foreign = [p["name"] for p in projects["items"] if not p["name"].startswith(prefix)]
                    if foreign:
                        leaks += 1
                        print(f"LEAK: the projects of {tenant} include {foreign[:3]}", file=sys.stderr)
            now = time.time()
            if good:
                ok += 1
                if run_start is not None:
                    window = max(window, now - run_start)
                    run_start = None
            else:
                failed += 1
                if run_start is None:
                    run_start = now
                last_failure = now
            time.sleep(0.05)
    except KeyboardInterrupt:  # stopped early (SIGTERM): report what was seen
        pass
    if run_start is not None:
        window = max(window, last_failure - run_start)
    print(f"RESULT probes={probes} ok={ok} failed={failed} leaks={leaks} window_s={window:.1f}", flush=True)


signal.signal(signal.SIGTERM, stop)
main()
