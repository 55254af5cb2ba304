"""What the cluster checks' python programs share (acked_load.py, import_jobs.py): the nodes
named on the command line, and a causal read on one of them with the mariadb client.

Standard library only."""
import subprocess


def node_groups(args):
    """NODE_ARGS... [-- NODE_ARGS...] (the argument list after a leading "--"): one list of
    mariadb client arguments per node."""
    nodes, current = [], []
    for arg in args + ["--"]:
        if arg == "--":
            if current:
                nodes.append(current)
            current = []
        else:
            current.append(arg)
    return nodes


def node_query(node_args, sql):
    """Rows (tuples of strings) of one SELECT on one node, read causally (wsrep_sync_wait)."""
    answer = subprocess.run(["mariadb", *node_args, "-N", "-B", "--raw", "-e",
                             "SET SESSION wsrep_sync_wait = 1; " + sql],
                            capture_output=True, text=True, timeout=60)
    if answer.returncode != 0:
        raise RuntimeError(f"mariadb {' '.join(node_args)}: {answer.stderr.strip()}")
    return [tuple(line.split("\t")) for line in answer.stdout.splitlines()]
