#!/usr/bin/env python3
"""A minimal LPD server (RFC 1179 "receive a printer job") for the
end-to-end tests.

    lpdsink.py OUTDIR PORTFILE [CONNECTIONS]

Listens on 127.0.0.1 only, on a port the kernel picks (written to PORTFILE
once listening). For each connection that sends \\2queue it acknowledges
every subcommand and stores the control file as OUTDIR/job-N.cf (with the
queue name as its first line, "queue=<name>") and the data file as
OUTDIR/job-N.df, N counting jobs from 1; the .cf appears last. Connections
that send nothing (a client checking the printer is up) are not counted.
Exits on its own after 600 s at the latest; the test stops it by PID.
"""
import os
import signal
import socket
import sys


def read_exact(conn, n):
    buf = bytearray()
    while len(buf) < n:
        chunk = conn.recv(min(65536, n - len(buf)))
        if not chunk:
            raise EOFError
        buf += chunk
    return bytes(buf)


def read_line(conn):
    line = bytearray()
    while True:
        b = conn.recv(1)
        if not b:
            raise EOFError
        if b == b"\n":
            return bytes(line)
        line += b
        if len(line) > 1024:
            raise ValueError("line too long")


def serve(conn, outdir, n):
    first = conn.recv(1)
    if not first:
        return False  # a liveness check: nothing sent
    if first != b"\x02":
        return False
    queue = read_line(conn).decode("ascii", "replace")
    conn.sendall(b"\0")
    ctl = data = None
    while True:
        try:
            line = read_line(conn)
        except EOFError:
            break
        size, _, name = line[1:].decode("ascii", "replace").partition(" ")
        conn.sendall(b"\0")
        body = read_exact(conn, int(size))
        if read_exact(conn, 1) != b"\0":
            return False
        conn.sendall(b"\0")
        if line[:1] == b"\x02":
            ctl = body
        elif line[:1] == b"\x03":
            data = body
    with open(os.path.join(outdir, "job-%d.df" % n), "wb") as f:
        f.write(data or b"")
    part = os.path.join(outdir, ".job-%d.part" % n)
    with open(part, "wb") as f:
        f.write(("queue=%s\n" % queue).encode() + (ctl or b""))
    os.replace(part, os.path.join(outdir, "job-%d.cf" % n))
    return True


def main() -> int:
    outdir, portfile = sys.argv[1], sys.argv[2]
    jobs = int(sys.argv[3]) if len(sys.argv) > 3 else 8
    signal.alarm(600)
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(4)
    tmp = portfile + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(srv.getsockname()[1]))
    os.replace(tmp, portfile)
    n = 1
    while n <= jobs:
        conn, _ = srv.accept()
        conn.settimeout(120)
        with conn:
            try:
                if serve(conn, outdir, n):
                    n += 1
            except (EOFError, ValueError, OSError):
                pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
