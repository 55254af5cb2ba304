"""Write latency for bench/cluster.sh: COUNT dataset creates, one after another on one
keep-alive connection (latency, not throughput), through nginx.

Usage: create_latency.py BASE_URL TOKEN PROJECT COUNT NAME_PREFIX
Prints one line: "p50_ms p99_ms errors" (errors: answers other than 201)."""
import http.client
import json
import sys
import time
import urllib.parse

base, token, project, count, prefix = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
parsed = urllib.parse.urlsplit(base)
headers = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}
connection = None
latencies, errors = [], 0
for i in range(count):
    if connection is None:
        connection = http.client.HTTPConnection(parsed.hostname, parsed.port or 80, timeout=30)
    started = time.perf_counter()
    try:
        connection.request("POST", f"/api/v1/projects/{project}/datasets", json.dumps({"name": f"{prefix}_{i}"}), headers)
        answer = connection.getresponse()
        answer.read()
        status = answer.status
    except Exception:
        connection.close()
        connection, status = None, 0
    latencies.append((time.perf_counter() - started) * 1000)
    errors += status != 201
latencies.sort()
pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))]
print(f"{pick(0.50):.2f}ms {pick(0.99):.2f}ms {errors}")
