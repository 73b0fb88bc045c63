#!/usr/bin/env python3
"""A PJL printer (AppSocket, "port 9100", with a PJL back channel) for the
end-to-end tests: the peer of a language monitor.

    pjlprinter.py [options] OUTDIR PORTFILE

Reference followed: HP, "Printer Job Language Technical Reference Manual"
(the PCL/PJL reference set). Chapter 7, "Status Readback Commands": INFO
(response syntax p. 7-16, STATUS category and its LaserJet 4 example
p. 7-24, CONFIG format p. 7-18/7-19, INFO USTATUS example p. 7-30), ECHO,
USTATUS/USTATUSOFF (variables DEVICE/JOB/PAGE/TIMED p. 7-32 to 7-37,
"Example: Using Unsolicited Job Status" p. 7-37). Chapter 11, "Programming
Tips for Using PJL" (monitoring job progress, p. 11-14/11-15). Appendix D,
"PJL Status Codes" (code groups; 20xxx parser errors, 25xxx parser
warnings, 27002 "EOJ without a matching JOB"). Chapter 5, "Job
Separation Commands" (JOB/EOJ, p. 5-2) with the p. 7-37 example for the
JOB/EOJ semantics (the END message carries the NAME of the EOJ command).
No code was taken from anywhere.

Network. It listens on 127.0.0.1 (::1 with --ipv6) only, on a port the
kernel picks, written to PORTFILE once listening (PORTFILE.tmp, then
renamed). It never connects anywhere and never resolves a name. It serves
connections one after the other, as an AppSocket printer does, and exits 0
once --connections of them were jobs. It exits on its own after 600 s at
the latest (SIGALRM); the test stops it by PID.

Jobs. Every connection is a RAW job stream. The bytes received are stored
exactly as OUTDIR/job-N.bin (N counts jobs from 1), written to
OUTDIR/.job-N.part and renamed when the connection ends (client's end of
stream, or a reset). A connection that sends nothing is not a job and does
not count. What a job file holds is what the printer READ: with
--hang-after it is at most that many bytes.

PJL interpretation (for the replies only; storage is byte-exact anyway).
The stream starts as print data. In print data the printer only looks for
the UEL (ESC %-12345X); after a UEL it reads lines beginning "@PJL" (ended
by LF or CR LF; empty lines are skipped) until a line that is not PJL,
which is print data again, as is everything after @PJL ENTER LANGUAGE=...
A PJL line cut by a UEL is dropped, one longer than 4096 bytes without LF
turns into print data. Pages: each form feed (0x0C) in the print data is
one page; a data section (the bytes between the PJL lines and the next
UEL or the end of the stream) that holds no FF but is not empty counts as
one page. So "FF count, at least 1 if there was data", per section.
Pages add to INFO PAGECOUNT (a counter kept for the simulator's lifetime),
to every open JOB, and are announced by USTATUS PAGE (numbered from 1 at
the connection start and at each @PJL JOB).

Replies go back on the same connection, each ended by a form feed <FF>:

  @PJL ECHO words           -> @PJL ECHO words<CR><LF><FF>
  @PJL INFO ID              -> @PJL INFO ID<CR><LF>"PORTWAY PJLSIM"<CR><LF><FF>
  @PJL INFO STATUS          -> @PJL INFO STATUS<CR><LF>CODE=10001<CR><LF>
                               DISPLAY="00 READY"<CR><LF>ONLINE=TRUE<CR><LF><FF>
  @PJL INFO PAGECOUNT       -> @PJL INFO PAGECOUNT<CR><LF>PAGECOUNT=n<CR><LF><FF>
                               (with --pagecount-bare: the line is just "n",
                               the form other printers use)
  @PJL INFO CONFIG          -> feature[=value] [n ENUMERATED] lines, options
                               indented by a TAB (trays, papers, languages,
                               USTATUS kinds, MEMORY, display size)
  @PJL INFO USTATUS         -> DEVICE=..[3 ENUMERATED] .. TIMED=n [2 RANGE]
  @PJL INFO MEMORY          -> TOTAL=..<CR><LF>LARGEST=..
  @PJL INFO <other>, @PJL INQUIRE/DINQUIRE x
                            -> @PJL INFO <other><CR><LF>?<CR><LF><FF>

Unsolicited status, per connection (each connection starts with all off):

  USTATUS DEVICE=ON|VERBOSE|OFF: on a change of the device code
      @PJL USTATUS DEVICE<CR><LF>CODE=c<CR><LF>DISPLAY="d"<CR><LF>
      ONLINE=TRUE|FALSE<CR><LF><FF>
    VERBOSE also reports PJL errors in that form: CODE=20002 (unsupported
    command), 20005 (line too long), 20006 (line cut by a UEL), 25001
    (bad USTATUS value, ignored), 27002 (EOJ without JOB, ignored), with
    the current DISPLAY/ONLINE (the exact VERBOSE text varies by model).
  USTATUS JOB=ON: at @PJL JOB [NAME="x"]
      @PJL USTATUS JOB<CR><LF>START<CR><LF>NAME="x"<CR><LF><FF>
    at @PJL EOJ [NAME="y"] (closes the innermost open JOB; an EOJ without
    one is ignored):
      @PJL USTATUS JOB<CR><LF>END<CR><LF>NAME="y"<CR><LF>PAGES=n<CR><LF><FF>
    NAME is the EOJ's NAME, else the JOB's; no NAME line if neither had one.
  USTATUS PAGE=ON: per page  @PJL USTATUS PAGE<CR><LF>n<CR><LF><FF>
  USTATUS TIMED=n (5..300, 0 = off; other values are ignored): every n
      seconds (times --timed-scale) while the client is still sending
      @PJL USTATUS TIMED<CR><LF>CODE=..<CR><LF>DISPLAY=".."<CR><LF>
      ONLINE=..<CR><LF><FF>
  USTATUSOFF turns all of them off.

The device code is the printer's, kept across connections: it starts as
10001 "00 READY" and changes only through --event. ONLINE is FALSE for
codes 40000 and up (operator intervention, paper out/jam), TRUE below.

At the client's end of stream the printer finishes sending what is
pending (e.g. the EOJ's USTATUS JOB END), then closes (after --linger).

Faults (options):

  --event AT:CODE[:DISPLAY]  (repeatable) when the number of bytes read on
      the current connection reaches AT (counting everything, PJL and data,
      from 0; events fire on every connection), the device code becomes
      CODE (5 digits) with DISPLAY (default: 10001 "00 READY", 10006
      "TONER LOW", 40021 "CLOSE DOOR", 40022 "PAPER JAM", 41300
      "LOAD PAPER", else "CODE nnnnn"). Reported to DEVICE subscribers.
      The bytes before AT are interpreted first. Give e.g. a later
      AT:10001 to clear the condition.
  --event-hold SECONDS  when an event makes the printer offline (code
      >= 40000), stop reading for SECONDS (0..300; unsolicited status and
      pending replies still go out), as a printer out of paper does; then
      go on reading (the code stays until another event changes it).
  --drop-backchannel  send nothing back: the write side is shut down as
      soon as the connection is accepted (the client reads end of stream
      at once); the job is still received and stored.
  --silent  read everything, answer nothing, keep the connection open
      until the client's end of stream (then close, after --linger).
  --garbage N  on each connection send N bytes of junk (fixed seed, the
      same bytes on every connection): NULs, lone FFs, binary bytes,
      PJL headers cut short, status lines without a header, lines of
      300..3000 characters. They come in pieces that each end with an FF:
      one when the connection opens, one before each real reply, the rest
      after the pending replies at the end. So every real reply still is
      an intact FF-delimited frame, and no junk frame is a valid message.
  --hang-after BYTES  read at most BYTES of the job, then stop reading
      (the client's sends block once the socket buffers are full) until
      the client closes: a reset, or its end of stream if it arrives (the
      bytes before it are then read and dropped, so that the close is
      clean and pending replies reach the client); the job file holds
      exactly the BYTES read. A client that closes
      gracefully with data still queued cannot be noticed until its kernel
      gives up on the connection; the 600 s alarm bounds that.
  --connections N  (default 8) exit 0 after N jobs.
  --timed-scale F  one TIMED "second" lasts F seconds (0.001..1; default 1).
  --linger SECONDS  after the client's end of stream and the last reply,
      keep the connection open this long (0..300, default 0) before
      closing; ends early if the client resets.
  --idle-timeout SECONDS  end a job whose client sends nothing for this
      long, or does not read pending replies after its end of stream
      (default 120).
  --pagecount N  initial INFO PAGECOUNT value (default 0).
  --pagecount-bare  INFO PAGECOUNT answers "n" instead of "PAGECOUNT=n".

OUTDIR/log.txt gets one line per event, flushed at once:
  start <address> <port>            listening
  conn C open <peer>                connection C (counts all connections)
  conn C pjl <line>                 a PJL command line (control bytes \\xNN)
  conn C reply <l1>|<l2>|...        a reply queued (lines, CRLF/FF left out)
  conn C noreply <l1>|...           a reply not sent (--silent/--drop-...)
  conn C garbage <n>                n junk bytes queued
  conn C code <c> "<display>" online=TRUE|FALSE at=<bytes>
  conn C data bytes=<n> pages=<p>   end of a print data section
  conn C hold <s> / hold end        --event-hold pause
  conn C hang at=<bytes>            --hang-after reached
  conn C hang ended: client reset
  conn C hang ended: client closed its sending side, <n> unread bytes discarded
  conn C eof bytes=<n> / reset bytes=<n> / idle bytes=<n>
  conn C job J stored bytes=<n>     OUTDIR/job-J.bin written
  conn C empty                      nothing received: not a job
  conn C close
  exit
"""
import argparse
import ipaddress
import os
import random
import re
import select
import signal
import socket
import sys
import time

UEL = b"\x1b%-12345X"
FF = b"\x0c"
MAX_LINE = 4096
DATA, PJL = "data", "pjl"
PJL_STARTS = (b"@PJL ", b"@PJL\t", b"@PJL\r", b"@PJL\n", UEL, b"\r\n")
TOKEN = re.compile(r'\s*(?:"([^"]*)"?|(=)|([^\s="]+))')
DISPLAYS = {
    10001: "00 READY",
    10006: "TONER LOW",
    40021: "CLOSE DOOR",
    40022: "PAPER JAM",
    41300: "LOAD PAPER",
}
CONFIG = [
    "IN TRAYS [2 ENUMERATED]",
    "\tINTRAY1 MP",
    "\tINTRAY2 PC",
    "OUT TRAYS [1 ENUMERATED]",
    "\tNORMAL FACEDOWN",
    "PAPERS [4 ENUMERATED]",
    "\tLETTER",
    "\tLEGAL",
    "\tA4",
    "\tEXECUTIVE",
    "LANGUAGES [3 ENUMERATED]",
    "\tPCL",
    "\tPCLXL",
    "\tPOSTSCRIPT",
    "USTATUS [4 ENUMERATED]",
    "\tDEVICE",
    "\tJOB",
    "\tPAGE",
    "\tTIMED",
    "DUPLEX",
    "MEMORY=8388608",
    "DISPLAY LINES=1",
    "DISPLAY CHARACTER SIZE=16",
]
# Junk material for --garbage: headers are always cut short, bodies never
# get a header, so no junk frame is a complete message.
JUNK_HEADERS = [
    b"@PJL USTATUS DEVICE", b"@PJL USTATUS JOB", b"@PJL USTATUS PAGE",
    b"@PJL USTATUS TIMED", b"@PJL INFO STATUS", b"@PJL INFO ID",
    b"@PJL INFO PAGECOUNT", b"@PJL INFO CONFIG", b"@PJL ECHO",
]
JUNK_BODIES = [
    b'CODE=40022\r\nDISPLAY="PAPER JAM"\r\nONLINE=FALSE\r\n',
    b'CODE=10001\r\nDISPLAY="00 READY"\r\n',
    b"END\r\nNAME=\"junk\"\r\nPAGES=99\r\n",
    b"START\r\n",
    b"PAGECOUNT=123456\r\n",
    b"7\r\n",
    b'"LASERJET 4"\r\n',
]
PRINTABLE = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 =\"-"


def printable(text):
    """A log-safe rendering: control and non-ASCII characters as \\xNN."""
    return "".join(c if " " <= c < "\x7f" else "\\x%02x" % ord(c) for c in text)


def pjl_tokens(text):
    """[(kind, value)]: kind "s" a quoted string, "=" an equal sign, "w" a word."""
    out = []
    for m in TOKEN.finditer(text):
        if m.group(1) is not None:
            out.append(("s", m.group(1)))
        elif m.group(2):
            out.append(("=", "="))
        else:
            out.append(("w", m.group(3)))
    return out


def uel_prefix_len(buf, start):
    """Length of the longest tail of buf[start:] that begins a UEL."""
    for n in range(min(len(UEL) - 1, len(buf) - start), 0, -1):
        if buf[len(buf) - n:] == UEL[:n]:
            return n
    return 0


def junk_piece(rng):
    kind = rng.randrange(7)
    if kind == 0:
        return b"\0" * rng.randint(1, 16)
    if kind == 1:
        return FF * rng.randint(1, 3)
    if kind == 2:  # binary, no '@' so it never starts a header
        return bytes(b if b != 0x40 else 0x41
                     for b in (rng.randrange(256) for _ in range(rng.randint(1, 64))))
    if kind == 3:  # half message: a header cut short, then FF
        h = rng.choice(JUNK_HEADERS)
        return h[:rng.randint(1, len(h) - 1)] + FF
    if kind == 4:
        return rng.choice(JUNK_BODIES)
    if kind == 5:  # overlong line
        n = rng.randint(300, 3000)
        return bytes(rng.choice(PRINTABLE) for _ in range(n)) + b"\r\n"
    return rng.choice([b"\r\n", b"\n\r", b"\r", b"\n"])


def make_garbage(total, seed=9100):
    """total junk bytes as a list of pieces, each ending with FF."""
    rng = random.Random(seed)
    chunks = []
    left = total
    target = max(16, total // 8)
    while left > 0:
        size = min(left, rng.randint(max(1, target // 2), target + target // 2))
        chunk = bytearray()
        while len(chunk) < size - 1:
            chunk += junk_piece(rng)
        chunks.append(bytes(chunk[:size - 1]) + FF)
        left -= size
    return chunks


class Printer:
    """What outlives a connection: device status and the page counter."""

    def __init__(self, pagecount):
        self.code = 10001
        self.display = DISPLAYS[10001]
        self.online = True
        self.pagecount = pagecount


class Session:
    """One connection: a RAW job stream with a PJL back channel."""

    def __init__(self, sim, sock, conn_no, out):
        self.sim = sim
        self.a = sim.args
        self.p = sim.printer
        self.sock = sock
        self.n = conn_no
        self.file = out
        self.now = time.monotonic()
        self.last_io = self.now
        self.out = bytearray()
        self.can_write = not (self.a.drop_backchannel or self.a.silent)
        self.wr_closed = False
        self.eof = False
        self.reset = False
        self.received = 0
        self.buf = bytearray()
        self.mode = DATA
        self.sec_bytes = 0
        self.sec_ffs = 0
        self.device = "OFF"
        self.ujob = False
        self.upage = False
        self.timed = 0
        self.next_timed = 0.0
        self.jobs = []  # innermost last: [name or None, pages]
        self.page_no = 0
        self.events = list(sim.events)
        self.hold_until = None
        self.hung = False
        self.garbage = make_garbage(self.a.garbage) if self.can_write else []

    # -- output ------------------------------------------------------------

    def log(self, text):
        self.sim.log("conn %d %s" % (self.n, text))

    def queue_garbage(self):
        if self.garbage and not self.wr_closed:
            chunk = self.garbage.pop(0)
            self.out += chunk
            self.log("garbage %d" % len(chunk))

    def send(self, lines):
        summary = "|".join(printable(x) for x in lines)
        if not self.can_write or self.wr_closed:
            self.log("noreply " + summary)
            return
        self.queue_garbage()
        self.out += ("\r\n".join(lines) + "\r\n").encode("latin-1") + FF
        self.log("reply " + summary)

    def status_lines(self, header):
        return [header, "CODE=%d" % self.p.code, 'DISPLAY="%s"' % self.p.display,
                "ONLINE=%s" % ("TRUE" if self.p.online else "FALSE")]

    def verbose(self, code):
        if self.device == "VERBOSE":
            lines = self.status_lines("@PJL USTATUS DEVICE")
            lines[1] = "CODE=%d" % code
            self.send(lines)

    # -- device status -----------------------------------------------------

    def fire_events(self):
        while self.events and self.events[0][0] <= self.received:
            at, code, display = self.events.pop(0)
            self.set_code(code, display, at)

    def set_code(self, code, display, at):
        p = self.p
        online = code < 40000
        if (p.code, p.display, p.online) == (code, display, online):
            self.log('code %d "%s" unchanged at=%d' % (code, display, at))
            return
        p.code, p.display, p.online = code, display, online
        self.log('code %d "%s" online=%s at=%d'
                 % (code, display, "TRUE" if online else "FALSE", at))
        if self.device != "OFF":
            self.send(self.status_lines("@PJL USTATUS DEVICE"))
        if not online and self.a.event_hold > 0 and self.hold_until is None:
            self.hold_until = time.monotonic() + self.a.event_hold
            self.log("hold %gs" % self.a.event_hold)

    # -- PJL interpretation ------------------------------------------------

    def page(self):
        self.p.pagecount += 1
        self.page_no += 1
        for job in self.jobs:
            job[1] += 1
        if self.upage:
            self.send(["@PJL USTATUS PAGE", str(self.page_no)])

    def data(self, start, end):
        if end <= start:
            return
        self.sec_bytes += end - start
        for _ in range(self.buf.count(FF, start, end)):
            self.sec_ffs += 1
            self.page()

    def start_section(self):
        self.mode = DATA
        self.sec_bytes = 0
        self.sec_ffs = 0

    def end_section(self):
        if self.sec_bytes:
            if not self.sec_ffs:
                self.page()
            self.log("data bytes=%d pages=%d" % (self.sec_bytes, max(self.sec_ffs, 1)))
        self.sec_bytes = 0
        self.sec_ffs = 0

    def parse(self, final=False):
        buf = self.buf
        pos = 0
        while pos < len(buf):
            if self.mode == DATA:
                k = buf.find(UEL, pos)
                if k < 0:
                    end = len(buf) if final else len(buf) - uel_prefix_len(buf, pos)
                    self.data(pos, end)
                    pos = end
                    break
                self.data(pos, k)
                self.end_section()
                pos = k + len(UEL)
                self.mode = PJL
                continue
            # PJL mode, at the start of a line
            if buf.startswith(UEL, pos):
                pos += len(UEL)
                continue
            if buf.startswith(b"\n", pos):
                pos += 1
                continue
            if buf.startswith(b"\r\n", pos):
                pos += 2
                continue
            if len(buf) - pos > 4 and buf.startswith(b"@PJL", pos) and buf[pos + 4] in b" \t\r\n":
                lf = buf.find(b"\n", pos)
                cut = buf.find(UEL, pos, lf if lf >= 0 else len(buf))
                if cut >= 0:
                    self.log("pjl line cut by UEL: " + printable(buf[pos:cut].decode("latin-1")))
                    self.verbose(20006)
                    pos = cut
                    continue
                if lf < 0:
                    if len(buf) - pos > MAX_LINE:
                        self.log("pjl line longer than %d bytes: print data" % MAX_LINE)
                        self.verbose(20005)
                        self.start_section()
                        continue
                    if final:
                        self.log("pjl line without LF at end: "
                                 + printable(buf[pos:].decode("latin-1")))
                        pos = len(buf)
                    break
                line = bytes(buf[pos:lf + 1])
                pos = lf + 1
                self.command(line)
                continue
            tail = bytes(buf[pos:pos + 5])
            if not final and len(buf) - pos < 5 and any(s.startswith(tail) for s in PJL_STARTS):
                break  # could still become "@PJL " or a UEL: wait for more
            self.start_section()  # not PJL: print data
        del buf[:pos]

    def command(self, line):
        text = line.decode("latin-1").rstrip("\r\n")
        self.log("pjl " + printable(text))
        m = re.match(r"\s*(\S*)\s*(.*?)\s*$", text[4:], re.S)
        word, rest = m.group(1).upper(), m.group(2)
        words, opts = [], {}
        toks = pjl_tokens(rest)
        i = 0
        while i < len(toks):
            kind, val = toks[i]
            if kind == "w" and i + 1 < len(toks) and toks[i + 1][0] == "=":
                has = i + 2 < len(toks) and toks[i + 2][0] != "="
                opts.setdefault(val.upper(), toks[i + 2][1] if has else "")
                i += 3 if has else 2
                continue
            words.append(val)
            i += 1
        if word in ("", "COMMENT"):
            return
        if word == "ECHO":
            self.send(["@PJL ECHO " + rest if rest else "@PJL ECHO"])
        elif word == "INFO":
            self.info(words[0].upper() if words else "")
        elif word in ("INQUIRE", "DINQUIRE"):
            self.send(["@PJL %s %s" % (word, rest.upper()), "?"])
        elif word == "USTATUS":
            self.ustatus(opts)
        elif word == "USTATUSOFF":
            self.device, self.ujob, self.upage, self.timed = "OFF", False, False, 0
        elif word == "JOB":
            name = opts.get("NAME")
            self.jobs.append([name, 0])
            self.page_no = 0
            if self.ujob:
                self.send(["@PJL USTATUS JOB", "START"]
                          + (['NAME="%s"' % name] if name is not None else []))
        elif word == "EOJ":
            if not self.jobs:
                self.log("eoj without job: ignored")
                self.verbose(27002)
                return
            jname, pages = self.jobs.pop()
            name = opts.get("NAME", jname)
            if self.ujob:
                self.send(["@PJL USTATUS JOB", "END"]
                          + (['NAME="%s"' % name] if name is not None else [])
                          + ["PAGES=%d" % pages])
        elif word == "ENTER":
            self.start_section()
        elif word in ("SET", "DEFAULT", "INITIALIZE", "RESET", "RDYMSG",
                      "OPMSG", "STMSG"):
            pass
        else:
            self.log("unsupported command " + printable(word))
            self.verbose(20002)

    def info(self, cat):
        head = "@PJL INFO " + cat
        if cat == "ID":
            self.send([head, '"PORTWAY PJLSIM"'])
        elif cat == "STATUS":
            self.send(self.status_lines(head))
        elif cat == "PAGECOUNT":
            n = self.p.pagecount
            self.send([head, str(n) if self.a.pagecount_bare else "PAGECOUNT=%d" % n])
        elif cat == "CONFIG":
            self.send([head] + CONFIG)
        elif cat == "MEMORY":
            self.send([head, "TOTAL=8388608", "LARGEST=7340032"])
        elif cat == "USTATUS":
            self.send([head,
                       "DEVICE=%s [3 ENUMERATED]" % self.device, "\tOFF", "\tON", "\tVERBOSE",
                       "JOB=%s [2 ENUMERATED]" % ("ON" if self.ujob else "OFF"), "\tOFF", "\tON",
                       "PAGE=%s [2 ENUMERATED]" % ("ON" if self.upage else "OFF"), "\tOFF", "\tON",
                       "TIMED=%d [2 RANGE]" % self.timed, "\t5", "\t300"])
        else:
            self.send([head, "?"])

    def ustatus(self, opts):
        for var, val in opts.items():
            val = val.upper()
            good = True
            if var == "DEVICE" and val in ("ON", "OFF", "VERBOSE"):
                self.device = val
            elif var in ("JOB", "PAGE") and val in ("ON", "OFF"):
                setattr(self, "ujob" if var == "JOB" else "upage", val == "ON")
            elif var == "TIMED" and val.isdigit() and (int(val) == 0 or 5 <= int(val) <= 300):
                self.timed = int(val)
                self.next_timed = time.monotonic() + self.timed * self.a.timed_scale
            else:
                good = False
            self.log("ustatus %s=%s%s" % (printable(var), printable(val),
                                          "" if good else " ignored"))
            if not good:
                self.verbose(25001)

    # -- socket ------------------------------------------------------------

    def read(self):
        limit = 65536
        if self.events:
            limit = min(limit, self.events[0][0] - self.received)
        if self.a.hang_after:
            limit = min(limit, self.a.hang_after - self.received)
        try:
            data = self.sock.recv(max(limit, 1))
        except (BlockingIOError, InterruptedError):
            return
        except OSError as e:
            self.end_input("reset", e)
            return
        if not data:
            self.end_input("eof")
            return
        self.last_io = time.monotonic()
        self.received += len(data)
        self.file.write(data)
        self.buf += data
        self.parse()
        self.fire_events()
        if self.a.hang_after and self.received >= self.a.hang_after:
            self.hung = True
            self.log("hang at=%d" % self.received)

    def discard(self):
        """Read and drop what is left (its end of stream is in) so that the
        close is a FIN: closing with unread data would reset the connection
        and could destroy replies the client has not read yet."""
        n = 0
        for _ in range(100000):
            try:
                d = self.sock.recv(65536)
            except OSError:
                break
            if not d:
                break
            n += len(d)
        return n

    def end_input(self, why, err=None):
        self.eof = True
        if why == "reset":
            self.reset = True
            self.wr_closed = True
            self.out.clear()
        self.parse(final=True)
        if self.mode == DATA:
            self.end_section()
        self.log("%s bytes=%d%s" % (why, self.received, " (%s)" % err if err else ""))
        if not self.wr_closed:
            while self.garbage:
                self.queue_garbage()
        self.last_io = time.monotonic()

    def write(self):
        try:
            n = self.sock.send(self.out)
        except (BlockingIOError, InterruptedError):
            return
        except OSError as e:
            self.log("back channel lost (%s), %d bytes unsent" % (e, len(self.out)))
            self.wr_closed = True
            self.out.clear()
            return
        del self.out[:n]
        self.last_io = time.monotonic()

    def run(self):
        if self.a.drop_backchannel:
            self.sock.shutdown(socket.SHUT_WR)
            self.wr_closed = True
            self.log("back channel shut down")
        self.queue_garbage()
        self.fire_events()
        poller = select.poll()
        idle = self.a.idle_timeout
        while True:
            now = time.monotonic()
            if self.hold_until is not None and now >= self.hold_until:
                self.hold_until = None
                self.last_io = now
                self.log("hold end")
            if self.timed and not self.eof and now >= self.next_timed:
                self.send(self.status_lines("@PJL USTATUS TIMED"))
                iv = self.timed * self.a.timed_scale
                self.next_timed += iv
                if self.next_timed <= now:
                    self.next_timed = now + iv
            writing = bool(self.out) and not self.wr_closed
            if self.eof and not writing:
                break
            reading = not self.eof and not self.hung and self.hold_until is None
            deadlines = [now + 1.0]
            if reading or self.eof:
                if now >= self.last_io + idle:
                    if self.eof:
                        self.log("idle: %d reply bytes unsent" % len(self.out))
                        break
                    self.end_input("idle")
                    continue
                deadlines.append(self.last_io + idle)
            if self.hold_until is not None:
                deadlines.append(self.hold_until)
            if self.timed and not self.eof:
                deadlines.append(self.next_timed)
            timeout = max(0.0, min(deadlines) - now)
            mask = (select.POLLIN if reading else 0) | (select.POLLOUT if writing else 0)
            if self.hung and not self.eof:
                mask |= select.POLLRDHUP
            if not mask:  # holding, nothing to send
                time.sleep(min(timeout, 0.05))
                continue
            poller.register(self.sock, mask)
            ev = poller.poll(int(timeout * 1000) + 1)
            rev = ev[0][1] if ev else 0
            if writing and rev & (select.POLLOUT | select.POLLERR | select.POLLHUP):
                self.write()
            if reading and rev & (select.POLLIN | select.POLLERR | select.POLLHUP):
                self.read()
            elif self.hung and not self.eof and rev & (
                    select.POLLRDHUP | select.POLLERR | select.POLLHUP):
                if rev & select.POLLERR:
                    self.log("hang ended: client reset")
                    self.end_input("reset")
                else:
                    self.log("hang ended: client closed its sending side, %d unread"
                             " bytes discarded" % self.discard())
                    self.end_input("eof")
            elif not reading and not (rev & select.POLLOUT) and rev:
                time.sleep(min(timeout, 0.05))  # hold: peer's HUP would spin
        if self.a.linger and not self.reset:
            self.log("linger %gs" % self.a.linger)
            poller.register(self.sock, 0)  # only errors/hangup wake us
            poller.poll(int(self.a.linger * 1000))


class Sim:
    def __init__(self, args):
        self.args = args
        self.printer = Printer(args.pagecount)
        self.events = sorted(args.event, key=lambda e: e[0])
        self.logf = open(os.path.join(args.outdir, "log.txt"), "w", encoding="utf-8")

    def log(self, text):
        self.logf.write(text + "\n")
        self.logf.flush()

    def serve(self):
        a = self.args
        fam, addr = (socket.AF_INET6, "::1") if a.ipv6 else (socket.AF_INET, "127.0.0.1")
        srv = socket.socket(fam, socket.SOCK_STREAM)
        srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        srv.bind((addr, 0))
        srv.listen(4)
        port = srv.getsockname()[1]
        tmp = a.portfile + ".tmp"
        with open(tmp, "w") as f:
            f.write(str(port))
        os.replace(tmp, a.portfile)
        self.log("start %s %d" % (addr, port))
        jobs = conns = 0
        while jobs < a.connections:
            sock, peer = srv.accept()
            conns += 1
            if not ipaddress.ip_address(peer[0].split("%")[0]).is_loopback:
                self.log("conn %d refused %s" % (conns, peer[0]))
                sock.close()
                continue
            self.log("conn %d open %s" % (conns, peer[0]))
            sock.setblocking(False)
            part = os.path.join(a.outdir, ".job-%d.part" % (jobs + 1))
            with open(part, "wb") as out:
                s = Session(self, sock, conns, out)
                try:
                    s.run()
                finally:
                    sock.close()
            if s.received == 0:
                os.remove(part)
                self.log("conn %d empty" % conns)
            else:
                jobs += 1
                os.replace(part, os.path.join(a.outdir, "job-%d.bin" % jobs))
                self.log("conn %d job %d stored bytes=%d" % (conns, jobs, s.received))
            self.log("conn %d close" % conns)
        srv.close()
        self.log("exit")
        return 0


def event_arg(text):
    parts = text.split(":", 2)
    try:
        at, code = int(parts[0]), int(parts[1])
    except (ValueError, IndexError):
        raise argparse.ArgumentTypeError("want AT:CODE[:DISPLAY], got %r" % text)
    if at < 0 or not 10000 <= code <= 99999:
        raise argparse.ArgumentTypeError("AT >= 0 and a 5-digit CODE, got %r" % text)
    display = parts[2] if len(parts) > 2 else DISPLAYS.get(code, "CODE %d" % code)
    if any(c in display for c in '"\r\n\x0c') or len(display) > 80:
        raise argparse.ArgumentTypeError("DISPLAY: up to 80 characters, no quote/CR/LF/FF")
    return at, code, display


def ranged(kind, lo, hi):
    def conv(text):
        try:
            v = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError("not a number: %r" % text)
        if not lo <= v <= hi:
            raise argparse.ArgumentTypeError("%s is not in %s..%s" % (text, lo, hi))
        return v
    return conv


def main():
    ap = argparse.ArgumentParser(
        prog="pjlprinter.py", description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("outdir", metavar="OUTDIR", help="where job-N.bin and log.txt go")
    ap.add_argument("portfile", metavar="PORTFILE", help="gets the port number")
    ap.add_argument("--ipv6", action="store_true", help="listen on ::1, not 127.0.0.1")
    ap.add_argument("--connections", type=ranged(int, 1, 10000), default=8, metavar="N",
                    help="exit 0 after N jobs (connections that sent data); default 8")
    ap.add_argument("--event", type=event_arg, action="append", default=[],
                    metavar="AT:CODE[:DISPLAY]",
                    help="at byte AT of each connection the device code becomes CODE")
    ap.add_argument("--event-hold", type=ranged(float, 0, 300), default=0, metavar="SECONDS",
                    help="stop reading this long when an event makes the printer offline")
    ap.add_argument("--drop-backchannel", action="store_true",
                    help="shut the write side down at once; still store the job")
    ap.add_argument("--silent", action="store_true",
                    help="answer nothing, keep the connection open until the client's EOF")
    ap.add_argument("--garbage", type=ranged(int, 0, 10 ** 7), default=0, metavar="N",
                    help="send N junk bytes per connection between the replies")
    ap.add_argument("--hang-after", type=ranged(int, 1, 2 ** 40), default=0, metavar="BYTES",
                    help="stop reading after BYTES until the client closes")
    ap.add_argument("--timed-scale", type=ranged(float, 0.001, 1), default=1.0, metavar="F",
                    help="a USTATUS TIMED second lasts F seconds (default 1)")
    ap.add_argument("--linger", type=ranged(float, 0, 300), default=0, metavar="SECONDS",
                    help="stay connected this long after the client's EOF (default 0)")
    ap.add_argument("--idle-timeout", type=ranged(float, 0.1, 600), default=120,
                    metavar="SECONDS", help="end a job idle this long (default 120)")
    ap.add_argument("--pagecount", type=ranged(int, 0, 2 ** 31), default=0, metavar="N",
                    help="initial page counter (default 0)")
    ap.add_argument("--pagecount-bare", action="store_true",
                    help='INFO PAGECOUNT answers "n", not "PAGECOUNT=n"')
    args = ap.parse_args()
    if args.silent and args.garbage:
        ap.error("--silent sends nothing, --garbage would")
    signal.alarm(600)  # never outlive a test that forgot us
    return Sim(args).serve()


if __name__ == "__main__":
    sys.exit(main())
