"""DataCovey reliability: the FastCGI edge fuzzed (scripts/reliability). Connects to the
responder's socket directly, as only nginx should, and sends malformed records — random
bytes, wrong versions and types, lengths that lie, truncated records, absurd name-value
lengths, records out of order, huge padding — then a well-formed request now and then, which
must be answered. Bounded by a number of connections; every read has a timeout.

Usage: fcgi_fuzz.py SOCKET CONNECTIONS SEED
Prints: RESULT connections=… answered_valid=… valid=… refused_connects=… (a refused connect
means the responder was not listening at that moment)."""
import os
import random
import socket
import struct
import sys

path, connections, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(seed)

BEGIN, ABORT, END, PARAMS, STDIN, STDOUT = 1, 2, 3, 4, 5, 6


def record(kind, request_id, content, version=1, padding=0, length=None):
    length = len(content) if length is None else length
    return struct.pack(">BBHHBB", version, kind, request_id, length & 0xFFFF, padding, 0) + content + b"\0" * padding


def pair(name, value):
    def size(n):
        return bytes([n]) if n < 128 else struct.pack(">I", n | 0x80000000)
    return size(len(name)) + size(len(value)) + name + value


def valid_request(request_id=1, path=b"/healthz"):
    params = pair(b"REQUEST_METHOD", b"GET") + pair(b"REQUEST_URI", path) + pair(b"SCRIPT_NAME", path) \
        + pair(b"QUERY_STRING", b"") + pair(b"SERVER_PROTOCOL", b"HTTP/1.1")
    return (record(BEGIN, request_id, struct.pack(">HB5x", 1, 0)) + record(PARAMS, request_id, params)
            + record(PARAMS, request_id, b"") + record(STDIN, request_id, b""))


def malformed():
    choice = rng.randrange(12)
    if choice == 0:
        return os.urandom(rng.randrange(1, 2048))
    if choice == 1:  # unknown version
        return record(BEGIN, 1, struct.pack(">HB5x", 1, 0), version=rng.choice([0, 2, 255])) + valid_request()[8:]
    if choice == 2:  # unknown record type
        return record(rng.randrange(12, 256), 1, os.urandom(rng.randrange(0, 64))) + valid_request()
    if choice == 3:  # a length longer than what follows, then the connection ends
        return record(PARAMS, 1, os.urandom(10), length=rng.randrange(11, 65535))
    if choice == 4:  # a name-value pair claiming a 2 GB name
        return record(BEGIN, 1, struct.pack(">HB5x", 1, 0)) + record(PARAMS, 1, struct.pack(">II", 0xFFFFFFFF, 0xFFFFFFF0) + b"x" * 32)
    if choice == 5:  # a pair whose value length runs past the record
        return record(BEGIN, 1, struct.pack(">HB5x", 1, 0)) + record(PARAMS, 1, bytes([5, 200]) + b"NAMEX" + b"v" * 10) \
            + record(PARAMS, 1, b"") + record(STDIN, 1, b"")
    if choice == 6:  # PARAMS before BEGIN_REQUEST, STDIN for another request id
        return record(PARAMS, 1, pair(b"REQUEST_METHOD", b"GET")) + record(STDIN, 9, b"abc") + valid_request(3)
    if choice == 7:  # an unknown role
        return record(BEGIN, 1, struct.pack(">HB5x", rng.choice([0, 2, 3, 99]), 0)) + record(PARAMS, 1, b"") + record(STDIN, 1, b"")
    if choice == 8:  # maximum padding, a truncated header
        return record(BEGIN, 1, struct.pack(">HB5x", 1, 0), padding=255) + b"\x01\x04\x00"
    if choice == 9:  # an abort in the middle
        return valid_request()[:30] + record(ABORT, 1, b"")
    if choice == 10:  # many tiny PARAMS records
        return record(BEGIN, 1, struct.pack(">HB5x", 1, 0)) + b"".join(record(PARAMS, 1, b"\x01") for _ in range(2000))
    return valid_request(rng.randrange(1, 65536), b"/" + os.urandom(rng.randrange(0, 300)).hex().encode())


def talk(payload, expect_answer):
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.settimeout(3)
        conn.connect(path)
        try:
            conn.sendall(payload)
            conn.shutdown(socket.SHUT_WR)
        except OSError:
            return False
        received = b""
        try:
            while True:
                chunk = conn.recv(65536)
                if not chunk:
                    break
                received += chunk
        except OSError:
            pass
        return expect_answer and received[:2] == bytes([1, STDOUT]) and b"200" in received


answered = valid = refused = 0
for index in range(connections):
    expect = index % 10 == 0
    payload = valid_request() if expect else malformed()
    try:
        if talk(payload, expect):
            answered += 1
    except (ConnectionRefusedError, FileNotFoundError):
        refused += 1
    valid += 1 if expect else 0
print(f"RESULT connections={connections} answered_valid={answered} valid={valid} refused_connects={refused}")
