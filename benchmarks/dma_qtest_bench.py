#!/usr/bin/python3
"""Copy throughput of ioat-dma driven through QEMU's qtest protocol.

Run by benchmarks/dma-throughput; python3 standard library only.

    dma_qtest_bench.py [--iothread[=PROPS]] [--memcpy-lib LIB]
                       QEMU SPAN_MIB REPS SIZE...

Starts QEMU with -accel qtest (no CPU runs: the device alone does the
copying), enables the device's BAR0 with PCI configuration cycles, and for
each SIZE builds a chain of min(SPAN / SIZE, 8192) copy descriptors,
descriptor i copying SIZE bytes from SRC + i * SIZE to DST + i * SIZE (the
work memcpy_bench.c does), the last one with a completion write.  Each run
writes CHAINADDR, starts the clock, rings DMACOUNT and polls CHANSTS until
the channel leaves ACTIVE.  Prints the best of REPS runs as
"qtest SIZE DESCRIPTORS GB/s" (GB = 10^9 bytes).
"""

import base64
import ctypes
import statistics
import struct
import sys
import tempfile
import time

from qtest_client import PCI_SLOT, Qtest

MAX_DESCS = 8192

# Guest-physical layout of the qtest machine (-m 2G): ring, completion
# record, source and destination spans.
BAR0 = 0xFE000000
RING = 0x00100000
COMPLETION = 0x00800000
SRC = 0x10000000
DST = 0x40000000

# Registers of channel 0 (docs/system/devices/ioat-dma.rst).
CHAN = BAR0 + 0x80
CHANCTRL = CHAN + 0x00
DMACOUNT = CHAN + 0x06
CHANSTS = CHAN + 0x08
CHAINADDR = CHAN + 0x10
CHANCMP = CHAN + 0x18
CHANERR = CHAN + 0x28

CHANSTS_STATE = 0x7
STATE_ACTIVE, STATE_DONE = 0, 1
DESC_COMPL_WRITE = 1 << 3


def chain(size, n):
    """n copy descriptors in one contiguous ring, each pointing to the next."""
    descs = bytearray()
    for i in range(n):
        ctl = DESC_COMPL_WRITE if i == n - 1 else 0
        descs += struct.pack("<IIQQQ32x", size, ctl, SRC + i * size,
                             DST + i * size, RING + (i + 1) % n * 64)
    return bytes(descs)


def run_chain(q, n):
    """Run the n-descriptor chain at RING once; returns seconds."""
    q.write("l", CHAINADDR, RING)
    q.write("l", CHAINADDR + 4, 0)
    start = time.perf_counter()
    q.write("w", DMACOUNT, n)
    while True:
        sts = q.read("q", CHANSTS)
        if sts & CHANSTS_STATE != STATE_ACTIVE:
            break
    elapsed = time.perf_counter() - start
    if sts & CHANSTS_STATE != STATE_DONE:
        q.fail("channel stopped in state %d, CHANERR %#x"
               % (sts & CHANSTS_STATE, q.read("l", CHANERR)))
    return elapsed


def main():
    args = sys.argv[1:]
    iothread = None
    memcpy = None
    while args and args[0].startswith("--"):
        opt = args.pop(0)
        if opt.split("=")[0] == "--iothread":
            iothread = ",".join(["iothread,id=engine"] + opt.split("=", 1)[1:])
        elif opt == "--memcpy-lib" and args:
            memcpy = ctypes.CDLL(args.pop(0)).memcpy_bench_pass
            memcpy.restype = ctypes.c_double
            memcpy.argtypes = [ctypes.c_uint, ctypes.c_size_t]
        else:
            sys.exit(__doc__.split("\n\n")[1])
    if len(args) < 4:
        sys.exit(__doc__.split("\n\n")[1])
    qemu, span, reps = args[0], int(args[1]) << 20, int(args[2])
    sizes = [int(s, 0) for s in args[3:]]
    device = "ioat-dma,addr=%d" % PCI_SLOT
    engine = []
    if iothread:
        device += ",iothread=engine"
        engine = ["-object", iothread]

    with tempfile.TemporaryDirectory(prefix="ioat-dma-bench.") as workdir:
        q = Qtest("dma_qtest_bench",
                  [qemu, "-M", "pc", "-m", "2G", "-display", "none",
                   "-nodefaults", "-accel", "qtest"] + engine +
                  ["-device", device], workdir)
        q.cfg_write(0x10, BAR0)     # BAR0, 64-bit: low then high half
        q.cfg_write(0x14, 0)
        q.cfg_write(0x04, 0x6)      # memory space and bus master
        q.write("w", CHANCTRL, 0)   # no interrupts, nothing to service them
        q.write("l", CHANCMP, COMPLETION)
        q.write("l", CHANCMP + 4, 0)
        # Touch both spans so no first-access cost is timed.
        q.cmd("memset %#x %d 0x5a" % (SRC, span))
        q.cmd("memset %#x %d 0" % (DST, span))

        for size in sizes:
            n = min(span // size, MAX_DESCS)
            ring = chain(size, n)
            q.cmd("b64write %#x %d %s"
                  % (RING, len(ring), base64.b64encode(ring).decode()))
            q.cmd("writeb %#x 0" % (DST + n * size - 1))
            label = "qtest-iothread" if iothread else "qtest"
            if memcpy:
                # One of each first: neither pays a first touch in a pair.
                memcpy(span >> 20, size)
                run_chain(q, n)
                rates = []
                for _ in range(reps):
                    host = memcpy(span >> 20, size)
                    rates.append(n * size / run_chain(q, n) / 1e9)
                    print("pair %d %.3f %.3f" % (size, host, rates[-1]),
                          flush=True)
                rate = statistics.median(rates)
            else:
                rate = max(n * size / run_chain(q, n)
                           for _ in range(reps)) / 1e9
            if q.read("b", DST + n * size - 1) != 0x5A:
                q.fail("the last %d-byte copy did not land" % size)
            print("%s %d %d %.3f" % (label, size, n, rate), flush=True)
        q.close()


if __name__ == "__main__":
    main()
