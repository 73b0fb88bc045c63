#!/usr/bin/env python3
"""A RAW printer (AppSocket, "port 9100") for the end-to-end tests.

    rawsink.py OUTDIR PORTFILE [CONNECTIONS]

Listens on 127.0.0.1 only, on a port the kernel picks (written to PORTFILE
once listening), serves connections one after the other, and stores what
each one sends in OUTDIR/job-N.bin (N counts jobs from 1; the file appears
under that name only once the client closed its side), for up to
CONNECTIONS jobs (default 8). A connection that sends nothing (a client
checking the printer is up: pwctl test-port) is not a job. It closes each
connection at the client's end of stream, as printers do. It exits on its
own after 600 s at the latest; the test stops it by PID.
"""
import os
import signal
import socket
import sys


def main() -> int:
    outdir, portfile = sys.argv[1], sys.argv[2]
    conns = int(sys.argv[3]) if len(sys.argv) > 3 else 8
    signal.alarm(600)  # never outlive a test that forgot us
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(4)
    tmp = portfile + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(srv.getsockname()[1]))
    os.replace(tmp, portfile)
    n = 1
    while n <= conns:
        conn, _ = srv.accept()
        conn.settimeout(120)
        part = os.path.join(outdir, ".job-%d.part" % n)
        got = 0
        with conn, open(part, "wb") as out:
            while True:
                data = conn.recv(65536)
                if not data:
                    break
                got += len(data)
                out.write(data)
        if got == 0:
            os.remove(part)  # nothing sent: not a job
            continue
        os.replace(part, os.path.join(outdir, "job-%d.bin" % n))
        n += 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
