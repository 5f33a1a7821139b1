"""QEMU's qtest text protocol for the benchmarks' drivers
(dma_qtest_bench.py, nic_devcost.py); python3 standard library only.

Qtest(name, argv, workdir) starts QEMU (argv, to which "-qtest unix:..."
is added) and waits for it to connect; a failure, or QEMU going away,
exits with a message naming @name and QEMU's stderr.  QEMU is killed when
the driver exits, whichever way (a driver that died of an exception left
its QEMU running).
"""

import atexit
import os
import socket
import subprocess
import sys

PCI_SLOT = 4    # every benchmark puts its device here


class Qtest:
    def __init__(self, name, argv, workdir, pass_fds=(), timeout_s=(30, 60)):
        """timeout_s: for QEMU to connect, and for each reply"""
        self.name = name
        path = os.path.join(workdir, "qtest.sock")
        server = socket.socket(socket.AF_UNIX)
        server.bind(path)
        server.listen(1)
        server.settimeout(timeout_s[0])
        self.stderr = open(os.path.join(workdir, "qemu.err"), "w+")
        self.proc = subprocess.Popen(argv + ["-qtest", "unix:" + path],
                                     stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL,
                                     stderr=self.stderr, pass_fds=pass_fds)
        atexit.register(self.proc.kill)
        try:
            self.conn, _ = server.accept()
        except socket.timeout:
            self.fail("QEMU did not connect to the qtest socket")
        self.conn.settimeout(timeout_s[1])
        self.io = self.conn.makefile("rb")

    def fail(self, msg):
        self.proc.kill()
        self.proc.wait()
        self.stderr.seek(0)
        sys.exit("%s: %s\n%s" % (self.name, msg, self.stderr.read()))

    def cmd(self, line):
        self.conn.sendall((line + "\n").encode())
        while True:
            reply = self.io.readline().decode()
            if not reply:
                self.fail("QEMU closed the qtest connection after: " + line[:80])
            if reply.startswith("OK"):
                return reply.split()
            if reply.startswith(("FAIL", "ERR")):
                self.fail("%s -> %s" % (line[:80], reply.strip()))
            # anything else (IRQ notifications) is ignored

    def write(self, width, addr, val):
        self.cmd("write%s %#x %#x" % (width, addr, val))

    def read(self, width, addr):
        return int(self.cmd("read%s %#x" % (width, addr))[1], 16)

    def mem(self, addr, data):
        self.cmd("write %#x %d 0x%s" % (addr, len(data), data.hex()))

    def cfg_write(self, reg, val):
        self.cmd("outl 0xcf8 %#x" % (0x80000000 | (PCI_SLOT << 11) | reg))
        self.cmd("outl 0xcfc %#x" % val)

    def close(self):
        """SIGTERM: QEMU shuts down and exits (valgrind writes its data)."""
        self.proc.terminate()
        self.proc.wait(timeout=600)
        self.conn.close()
