"""Imports across the cluster (issue 16, Tests/scripts/cluster/50_jobs.sh): generates the CSV
files, then checks the outcome on every database node (the mariadb client as the superuser).

    import_jobs.py gen DIR COUNT ROWS
        DIR/batch_I.csv for I in 1..COUNT: header batch,n,v; ROWS rows, every v distinct.
    import_jobs.py verify JOBS.tsv ROWS -- NODE_ARGS... [-- NODE_ARGS...]
        JOBS.tsv: "batch job_id table_id" a line. Checks, on each node: every job completed or
        failed; a job entered 'completed' at most once (import_job_history) and a completed one
        exactly once; a completed import's rows are all there exactly once (count, distinct n,
        sum of CRC32(v)), a failed one's not at all; every node holds the same. Exit 1 on any
        violation; prints the figures.

Standard library only."""
import collections
import os
import sys
import zlib

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from nodes import node_groups, node_query  # noqa: E402


def value(batch, n):
    return f"b{batch}r{n}-{zlib.crc32(f'{batch}:{n}'.encode()):08x}"


def gen(directory, count, rows):
    for batch in range(1, count + 1):
        with open(os.path.join(directory, f"batch_{batch}.csv"), "w") as handle:
            handle.write("batch,n,v\n")
            for n in range(1, rows + 1):
                handle.write(f"{batch},{n},{value(batch, n)}\n")


def expected(batch, rows):
    return rows, rows, sum(zlib.crc32(value(batch, n).encode()) for n in range(1, rows + 1))


def verify(jobs_file, rows, nodes):
    jobs = {}
    for line in open(jobs_file):
        batch, job, table = line.split()
        jobs[int(job)] = (int(batch), int(table))
    ids = ",".join(str(job) for job in jobs)
    tables = ",".join(sorted({str(table) for _, table in jobs.values()}))
    violations, digests = [], []
    for node in nodes:
        label = next((arg for arg in node if arg.startswith("--socket=")), " ".join(node))
        state = {int(i): (s, int(a), int(r), e) for i, s, a, r, e in node_query(
            node, f"SELECT id, status, attempts, rows_loaded, COALESCE(LEFT(error, 120), '') FROM datacovey.import_jobs WHERE id IN ({ids})")}
        completions = collections.Counter()
        previous = {}
        for job, _, status in node_query(node, "SELECT entity_id, version, JSON_VALUE(row_image, '$.status') "
                                          f"FROM datacovey.import_job_history WHERE entity_id IN ({ids}) ORDER BY entity_id, version"):
            job = int(job)
            if status == "completed" and previous.get(job) != "completed":
                completions[job] += 1
            previous[job] = status
        located = {int(t): (d, p) for t, d, p in node_query(
            node, "SELECT t.id, d.data_database, t.physical_name FROM datacovey.dataset_tables t "
                  f"JOIN datacovey.datasets d ON d.id = t.dataset_id WHERE t.id IN ({tables})")}
        loaded = {}
        for table, (database, physical) in located.items():
            for batch, count, distinct, crc in node_query(
                    node, f"SELECT batch, COUNT(*), COUNT(DISTINCT n), SUM(CRC32(v)) FROM `{database}`.`{physical}` GROUP BY batch"):
                loaded[(table, int(batch))] = (int(count), int(distinct), int(crc))
        outcome = collections.Counter()
        for job, (batch, table) in sorted(jobs.items()):
            status, attempts, rows_loaded, error = state.get(job, ("absent", 0, 0, ""))
            outcome[status] += 1
            there = loaded.get((table, batch), (0, 0, 0))
            if status not in ("completed", "failed"):
                violations.append(f"{label}: job {job} (batch {batch}) is {status}")
            if completions[job] > 1:
                violations.append(f"{label}: job {job} (batch {batch}) completed {completions[job]} times")
            if status == "completed":
                if completions[job] != 1:
                    violations.append(f"{label}: job {job} is completed but its history shows {completions[job]} completions")
                if there != expected(batch, rows) or rows_loaded != rows:
                    violations.append(f"{label}: job {job} (batch {batch}) completed with rows (count, distinct, crc) {there} "
                                      f"and rows_loaded {rows_loaded}, expected {expected(batch, rows)}")
            elif there != (0, 0, 0):
                violations.append(f"{label}: job {job} (batch {batch}) is {status} but left {there[0]} rows")
        stray = [key for key in loaded if key not in {(t, b) for b, t in jobs.values()}]
        if stray:
            violations.append(f"{label}: rows of batches no job was submitted for: {stray[:5]}")
        attempts = collections.Counter(a for _, a, _, _ in state.values())
        errors = collections.Counter(e for s, _, _, e in state.values() if s == "failed")
        print(f"node {label}: jobs {dict(outcome)}, attempts {dict(sorted(attempts.items()))}, "
              f"rows checked {sum(c for c, _, _ in loaded.values())}"
              + (f", failures {dict(errors)}" if errors else ""), flush=True)
        digests.append(hash((tuple(sorted(state.items())), tuple(sorted(loaded.items())), tuple(sorted(completions.items())))))
    if len(set(digests)) > 1:
        violations.append("the nodes disagree on the jobs or their rows")
    for violation in violations:
        print("VIOLATION: " + violation, flush=True)
    return 1 if violations else 0


def main(argv):
    if len(argv) == 4 and argv[0] == "gen":
        gen(argv[1], int(argv[2]), int(argv[3]))
        return 0
    if len(argv) >= 5 and argv[0] == "verify" and argv[3] == "--":
        return verify(argv[1], int(argv[2]), node_groups(argv[4:]))
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
