#!/usr/bin/python3
"""Cross-check of the tcpmon PORT_DATA_1 wire layout against Samba's NDR
packing (python3-samba: samba.dcerpc.spoolss.PortData1, Samba's own IDL of
the structure, which its spoolss server parses XcvData "AddPort" with).

    tcpmon_ndr.py HELPER WORKDIR

HELPER is tests/e2e/tcpmon_ndr.c, built. For each test vector of the core
tests (the bytes tests/core/support/tcpmonvec.h's pd1() builds, offsets
written out by hand) this checks, with the same field values on Samba's side:

  1. Samba's ndr_pack gives exactly the vector's 964 bytes;
  2. Samba's ndr_unpack of the vector gives back every field;
  3. portway accepts Samba's bytes (XcvData AddPort) and makes the port the
     fields say;
  4. portway's GetConfigInfo answer is byte for byte what Samba packs for
     that port (the fields portway writes back: docs/xcv.md);
and that a Samba-packed PORT_DATA_2 (dwVersion 2) is ERROR_INVALID_LEVEL, and
that the comparison fails when one field differs (a negative control).

PW_NDR_CORRUPT=FIELD (a PortData1 attribute, e.g. port_number or queue)
changes that field on Samba's side of every comparison: the checks must
then fail; it shows the cross-check can fail.

Samba's IDL has no DELETE_PORT_DATA_1 nor CONFIG_INFO_DATA_1 (its tcpmon
emulation implements AddPort only), so those two are not cross-checked.
Output: "ok <step>" / "not ok <step>: why", then "N passed, N failed".
"""
import os
import subprocess
import sys

from samba import ndr
from samba.dcerpc import spoolss

HELPER, WORK = sys.argv[1], sys.argv[2]
CORRUPT = os.environ.get("PW_NDR_CORRUPT", "")

# Field -> (offset, size) in Samba's packing; Samba's IDL splits tcpmon's
# Reserved[540] into hardware_address[13], device_type[257] and 2 bytes of
# NDR alignment before port_number.
LAYOUT = [
    ("portname", 0, 128), ("version", 128, 4), ("protocol", 132, 4),
    ("size", 136, 4), ("reserved", 140, 4), ("hostaddress", 144, 98),
    ("snmpcommunity", 242, 66), ("dblspool", 308, 4), ("queue", 312, 66),
    ("ip_address", 378, 32), ("hardware_address", 410, 26),
    ("device_type", 436, 514), ("(NDR padding)", 950, 2),
    ("port_number", 952, 4), ("snmp_enabled", 956, 4),
    ("snmp_dev_index", 960, 4),
]
FIELDS = ["portname", "protocol", "hostaddress", "snmpcommunity", "dblspool",
          "queue", "ip_address", "hardware_address", "device_type",
          "port_number", "snmp_enabled", "snmp_dev_index"]

# The field values of portway's test vectors (tcpmon_ndr.c "vectors"), and
# what portway makes of each: the config text, and the PORT_DATA_1 it gives
# back from GetConfigInfo (SNMP reported off, ip_address only for an IPv4
# host, dwDoubleSpool from the bytecount option).
CASES = [
    {
        "name": "raw", "file": "pd1-raw.bin",
        "fields": dict(portname="IP_127.0.0.1", protocol=1,
                       hostaddress="127.0.0.1", snmpcommunity="public",
                       dblspool=0, queue="", ip_address="",
                       hardware_address="", device_type="", port_number=9100,
                       snmp_enabled=1, snmp_dev_index=1),
        "config": "uri=socket://127.0.0.1:9100|",
        "back": dict(snmpcommunity="", ip_address="127.0.0.1",
                     snmp_enabled=0, snmp_dev_index=0),
    },
    {
        "name": "lpr", "file": "pd1-lpr.bin",
        "fields": dict(portname="IP_10.0.0.9", protocol=2,
                       hostaddress="host.lan", snmpcommunity="public",
                       dblspool=1, queue="q1", ip_address="10.0.0.9",
                       hardware_address="", device_type="", port_number=1234,
                       snmp_enabled=1, snmp_dev_index=1),
        "config": "uri=lpd://host.lan:1234/q1|",
        "back": dict(snmpcommunity="", ip_address="", snmp_enabled=0,
                     snmp_dev_index=0),
    },
]

passed = failed = 0


def report(ok, step, why=""):
    global passed, failed
    if ok:
        passed += 1
        print("ok " + step, flush=True)
    else:
        failed += 1
        print("not ok %s: %s" % (step, why), flush=True)


def corrupted(value):
    if isinstance(value, int):
        return value + 1
    return value + "X" if len(value) < 12 else "X" + value[1:]


def samba_pack(fields, corrupt=CORRUPT):
    d = spoolss.PortData1()
    for k in FIELDS:
        v = fields[k]
        if k == corrupt:
            v = corrupted(v)
        setattr(d, k, v)
    return ndr.ndr_pack(d)


def field_at(off):
    for name, start, size in LAYOUT:
        if start <= off < start + size:
            return "%s (offset %d)" % (name, start)
    return "past the end"


def diff(a, b):
    """'' if equal, else where they differ."""
    if len(a) != len(b):
        return "sizes differ: %d vs %d bytes" % (len(a), len(b))
    bad = [i for i in range(len(a)) if a[i] != b[i]]
    if not bad:
        return ""
    names = []
    for i in bad:
        f = field_at(i)
        if f not in names:
            names.append(f)
    lo = bad[0] - bad[0] % 4
    return "%d bytes differ, first at %d, in %s; bytes %d..%d: %s vs %s" % (
        len(bad), bad[0], ", ".join(names), lo, lo + 7, a[lo:lo + 8].hex(),
        b[lo:lo + 8].hex())


def run_helper(*args):
    p = subprocess.run([HELPER] + list(args), capture_output=True, text=True,
                       timeout=60, check=False)
    out = {}
    for line in p.stdout.splitlines():
        k, _, v = line.partition(" ")
        out[k] = v
    return p.returncode, out, p.stderr.strip()


def main():
    rc, _, err = run_helper("vectors", WORK)
    if rc != 0:
        report(False, "portway's test vectors written", err)
        return
    for c in CASES:
        n = c["name"]
        vec = open(os.path.join(WORK, c["file"]), "rb").read()
        sam = samba_pack(c["fields"])
        d = diff(sam, vec)
        report(not d, "%s: Samba's ndr_pack(PortData1) is byte-identical to "
               "portway's test vector (964 bytes)" % n,
               "Samba vs portway: " + d)

        try:
            u = ndr.ndr_unpack(spoolss.PortData1, vec)
            want = dict(c["fields"], version=1, size=964, reserved=0)
            if CORRUPT in want:
                want[CORRUPT] = corrupted(want[CORRUPT])
            wrong = ["%s=%r (want %r)" % (k, getattr(u, k), v)
                     for k, v in want.items() if getattr(u, k) != v]
            report(not wrong, "%s: Samba's ndr_unpack of portway's vector "
                   "gives every field back" % n, ", ".join(wrong))
        except Exception as e:  # pylint: disable=broad-except
            report(False, "%s: Samba's ndr_unpack of portway's vector" % n,
                   repr(e))

        inp = os.path.join(WORK, "samba-%s.bin" % n)
        outp = os.path.join(WORK, "portway-%s.bin" % n)
        with open(inp, "wb") as f:
            f.write(sam)
        data = os.path.join(WORK, "data-" + n)
        os.makedirs(data, exist_ok=True)
        rc, out, err = run_helper("xcv", data, c["fields"]["portname"], inp,
                                  outp)
        got = (out.get("addport"), out.get("config"))
        report(rc == 0 and got == ("OK", c["config"]),
               "%s: portway's XcvData AddPort accepts Samba's bytes: %s" %
               (n, c["config"].replace("|", " ").strip()),
               "exit %d, addport %s, config %s %s" % (rc, got[0], got[1], err))

        back = dict(c["fields"], **c["back"])
        want_back = samba_pack(back)
        if out.get("getconfiginfo", "").split(" ")[0] != "OK" or \
                not os.path.exists(outp):
            report(False, "%s: GetConfigInfo" % n,
                   "getconfiginfo %s" % out.get("getconfiginfo"))
            continue
        mine = open(outp, "rb").read()
        d = diff(want_back, mine)
        report(not d, "%s: portway's GetConfigInfo PORT_DATA_1 is "
               "byte-identical to Samba's packing of the port" % n, d)

    # PORT_DATA_2 (dwVersion 2), packed by Samba: portway answers
    # ERROR_INVALID_LEVEL (PW_ELEVEL), documented in docs/xcv.md.
    d2 = spoolss.PortData2()
    for k, v in dict(portname="P2", protocol=1, hostaddress="127.0.0.1",
                     snmpcommunity="public", dblspool=0, queue="",
                     device_type="", port_number=9100, snmp_enabled=0,
                     snmp_dev_index=0, port_monitor_mib_index=0).items():
        setattr(d2, k, v)
    b2 = ndr.ndr_pack(d2)
    inp = os.path.join(WORK, "samba-pd2.bin")
    with open(inp, "wb") as f:
        f.write(b2)
    data = os.path.join(WORK, "data-pd2")
    os.makedirs(data, exist_ok=True)
    rc, out, err = run_helper("xcv", data, "P2", inp,
                              os.path.join(WORK, "portway-pd2.bin"))
    report(rc == 0 and out.get("addport") == "ELEVEL" and
           out.get("config") == "-",
           "Samba's PortData2 (%d bytes, dwVersion 2): AddPort answers "
           "ERROR_INVALID_LEVEL (%s) and makes no port" %
           (len(b2), out.get("addport")),
           "exit %d, addport %s, config %s %s" %
           (rc, out.get("addport"), out.get("config"), err))

    # Negative control: one field changed on Samba's side must show up as a
    # difference in exactly that field.
    c = CASES[1]
    vec = open(os.path.join(WORK, c["file"]), "rb").read()
    for field, where in (("port_number", "port_number (offset 952)"),
                         ("queue", "queue (offset 312)"),
                         ("dblspool", "dblspool (offset 308)")):
        d = diff(samba_pack(c["fields"], corrupt=field), vec)
        report(where in d and d.count("(offset") == 1,
               "negative control: %s changed on Samba's side is caught "
               "(%s)" % (field, d or "no difference!"), d or "not caught")


if __name__ == "__main__":
    try:
        main()
    finally:
        print("%d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed else 0)
