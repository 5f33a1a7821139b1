#!/usr/bin/python3
"""Drive N transmit + receive pairs of 64-byte frames through a NIC model
over QEMU's qtest protocol; run by benchmarks/nic-devcost under callgrind.

    nic_devcost.py QEMU NIC PAIRS [WRAPPER...]

NIC is ioat-nic or igb.  QEMU (started through WRAPPER, e.g. valgrind, and
given the arguments in $QEMU_ARGS, e.g. -L for its firmware) runs
with -accel qtest, the NIC's netdev one end of a socket pair whose other
end this script holds.  Each pair: one data descriptor with a 64-byte frame
on TX ring 0 and TDT moved (the frame is read back from the socket), then
one RX descriptor posted, RDT moved, a 64-byte frame sent into the socket,
and the RX descriptor polled until DD.  Interrupts stay disabled: what is
measured is the datapath.  Prints "pairs N" when done.  Python standard
library only.
"""

import os
import socket
import struct
import sys
import tempfile

from qtest_client import PCI_SLOT, Qtest

BAR0 = 0xFE000000
TX_RING = 0x00100000
RX_RING = 0x00110000
TX_BUF = 0x00200000
RX_BUF = 0x00300000
RING = 256
MAC = bytes.fromhex("525400123456")
FRAME = MAC + bytes.fromhex("525400abcdef") + b"\x88\xb5" + bytes(range(50))

# Advanced TX data descriptor (the same layout on both): DTYP data, DEXT,
# RS, IFCS, EOP; PAYLEN in olinfo bits 31:14
TXD_CMD = (0x3 << 20) | (1 << 29) | (1 << 27) | (1 << 25) | (1 << 24)
RXD_DD = 1

# Per NIC: BAR0 offsets of queue 0's rings and the setup writes
NICS = {
    "ioat-nic": {
        "tdbal": 0x6000, "tdt": 0x6018, "rdbal": 0x1000, "rdt": 0x1018,
        "setup": [
            (0x6000, TX_RING), (0x6004, 0), (0x6008, RING * 16),
            (0x6010, 0), (0x6018, 0), (0x6028, 1 << 25),   # TXDCTL.ENABLE
            (0x4A80, 1),                                    # DMATXCTL.TE
            (0x1000, RX_RING), (0x1004, 0), (0x1008, RING * 16),
            (0x1010, 0), (0x1018, 0),
            (0x1014, 2 | (1 << 25)),        # SRRCTL 2 KiB, one buffer
            (0x1028, 1 << 25),              # RXDCTL.ENABLE
            (0x5080, 1 << 10),              # FCTRL.BAM
            (0x5000, 1 << 13),              # RXCSUM.PCSD, as ixgbe
            (0x3000, 1),                    # RXCTRL.RXEN
        ],
    },
    "igb": {
        "tdbal": 0xE000, "tdt": 0xE018, "rdbal": 0xC000, "rdt": 0xC018,
        "setup": [
            (0x0000, 1 << 6),               # CTRL.SLU
            # MDIC: PHY 1 BMCR = auto-negotiate, restart; link after 900 ms
            (0x0020, 0x1000 | 0x0200 | (1 << 21) | (1 << 26)),
            ("clock_step", 900000000),
            (0xE000, TX_RING), (0xE004, 0), (0xE008, RING * 16),
            (0xE010, 0), (0xE018, 0), (0xE028, 1 << 25),   # TXDCTL.ENABLE
            (0x0400, 1 << 1),               # TCTL.EN
            (0xC000, RX_RING), (0xC004, 0), (0xC008, RING * 16),
            (0xC010, 0), (0xC018, 0),
            (0xC00C, 2 | (1 << 25)),        # SRRCTL 2 KiB, one buffer
            (0xC028, 1 << 25),              # RXDCTL.ENABLE
            (0x5400, int.from_bytes(MAC[:4], "little")),    # RAL0
            (0x5404, (1 << 31) | (1 << 18) |                # RAH0: AV, pool 0
             int.from_bytes(MAC[4:], "little")),
            (0x5008, 1 << 15),              # RFCTL.EXTEN
            (0x5000, 1 << 13),              # RXCSUM.PCSD, as igb
            (0x0100, (1 << 1) | (1 << 15)), # RCTL.EN, BAM
        ],
    },
}


def recv_frame(sock):
    hdr = b""
    while len(hdr) < 4:
        hdr += sock.recv(4 - len(hdr))
    n = struct.unpack(">I", hdr)[0]
    data = b""
    while len(data) < n:
        data += sock.recv(n - len(data))
    return data


def main():
    if len(sys.argv) < 4 or sys.argv[2] not in NICS:
        sys.exit(__doc__.split("\n\n")[1])
    qemu, nic, pairs, wrapper = sys.argv[1], sys.argv[2], int(sys.argv[3]), \
        sys.argv[4:]
    regs = NICS[nic]
    ours, theirs = socket.socketpair()
    with tempfile.TemporaryDirectory() as work:
        argv = wrapper + [qemu] + os.environ.get("QEMU_ARGS", "").split() + [
            "-M", "pc", "-m", "256M", "-display", "none", "-nodefaults",
            "-accel", "qtest",
            "-netdev", "socket,id=n0,fd=%d" % theirs.fileno(),
            "-device", "%s,addr=%d,netdev=n0,mac=%s" % (nic, PCI_SLOT,
                                                       MAC.hex(":"))]
        q = Qtest("nic_devcost", argv, work, (theirs.fileno(),),
                  (600, 600))   # under callgrind
        theirs.close()
        q.cfg_write(0x10, BAR0)
        q.cfg_write(0x14, 0)
        q.cfg_write(0x04, 0x6)            # memory space, bus master
        for off, val in regs["setup"]:
            if off == "clock_step":
                q.cmd("clock_step %d" % val)
            else:
                q.write("l", BAR0 + off, val)
        q.mem(TX_BUF, FRAME)
        q.mem(TX_RING, bytes(RING * 16))
        q.mem(RX_RING, bytes(RING * 16))
        wire = struct.pack(">I", len(FRAME)) + FRAME
        for i in range(pairs):
            slot, nxt = i % RING, (i + 1) % RING
            q.mem(TX_RING + slot * 16,
                  struct.pack("<QII", TX_BUF, TXD_CMD | len(FRAME),
                              len(FRAME) << 14))
            q.write("l", BAR0 + regs["tdt"], nxt)
            if recv_frame(ours) != FRAME:
                sys.exit("nic_devcost: frame %d sent wrong" % i)
            q.mem(RX_RING + slot * 16, struct.pack("<QQ", RX_BUF, 0))
            q.write("l", BAR0 + regs["rdt"], nxt)
            ours.sendall(wire)
            for _ in range(100000):
                if q.read("l", RX_RING + slot * 16 + 8) & RXD_DD:
                    break
            else:
                sys.exit("nic_devcost: frame %d never received" % i)
        q.close()
    print("pairs", pairs)


if __name__ == "__main__":
    main()
