#!/usr/bin/python3
"""Host side of the guest network tests: a TCP server on 127.0.0.1 that the
guest reaches through slirp at 10.0.2.2:<port>.

One request per connection, a text line first:
  PUSH <n>     the guest sends n bytes; the reply is their SHA-256 (hex)
  PULL <n>     the server sends n bytes of its fixed pseudo-random stream
  DIGEST <n>   the reply is the SHA-256 of the first n bytes of that stream

The same port number on UDP serves TFTP read requests (RFC 1350, with the
blksize and tsize options of RFC 2348/2349): the file named "<n>" is the
first n bytes of that stream, sent from this port in lock step (one DATA
per ACK, resent after a second, five tries).  It gives the guest a UDP
stream with a known source port that busybox's tftp can receive and the
guest can check against DIGEST.

The chosen port is printed on the first line of stdout.  The server stops
by itself after --lifetime seconds.
"""

import argparse
import hashlib
import random
import select
import socket
import socketserver
import struct
import sys
import threading
import time

BLOCK = random.Random(0x10a7).randbytes(1 << 20)


def stream_chunks(n):
    while n > 0:
        chunk = BLOCK[:min(n, len(BLOCK))]
        n -= len(chunk)
        yield chunk


class Handler(socketserver.StreamRequestHandler):
    def handle(self):
        words = self.rfile.readline(64).split()
        if len(words) != 2 or not words[1].isdigit():
            return
        cmd, n = words[0], int(words[1])
        if cmd == b'PUSH':
            digest, left = hashlib.sha256(), n
            while left > 0:
                data = self.rfile.read1(min(left, 1 << 16))
                if not data:
                    break
                digest.update(data)
                left -= len(data)
            self.wfile.write(digest.hexdigest().encode() + b'\n')
        elif cmd == b'PULL':
            for chunk in stream_chunks(n):
                self.wfile.write(chunk)
        elif cmd == b'DIGEST':
            digest = hashlib.sha256()
            for chunk in stream_chunks(n):
                digest.update(chunk)
            self.wfile.write(digest.hexdigest().encode() + b'\n')


TFTP_RRQ, TFTP_DATA, TFTP_ACK, TFTP_ERROR, TFTP_OACK = 1, 3, 4, 5, 6


class TftpSession:
    """One read transfer to one client address."""

    def __init__(self, data, blksize):
        self.data, self.blksize = data, blksize
        self.block = 0          # the block the client must acknowledge
        self.packet = b''       # the last packet sent
        self.deadline = 0.0
        self.tries = 0

    def data_packet(self, block):
        chunk = self.data[(block - 1) * self.blksize:block * self.blksize]
        return struct.pack('!HH', TFTP_DATA, block & 0xffff) + chunk

    def last_block(self):
        return len(self.data) // self.blksize + 1


def tftp_request(pkt):
    """(filename, options) of a read request, or None."""
    if len(pkt) < 4 or struct.unpack('!H', pkt[:2])[0] != TFTP_RRQ:
        return None
    fields = pkt[2:].split(b'\0')
    if len(fields) < 3:
        return None
    opts = {k.lower(): v for k, v in zip(fields[2:-1:2], fields[3:-1:2])}
    return fields[0], opts


def tftp_serve(sock, stop):
    sessions = {}

    def send(addr, session, packet):
        session.packet, session.tries = packet, 1
        session.deadline = time.monotonic() + 1.0
        sock.sendto(packet, addr)

    while not stop.is_set():
        now = time.monotonic()
        wait = min([s.deadline - now for s in sessions.values()] + [0.5])
        if select.select([sock], [], [], max(wait, 0))[0]:
            try:
                pkt, addr = sock.recvfrom(65536)
            except OSError:
                continue
            req = tftp_request(pkt)
            if req is not None:
                name, opts = req
                if not name.isdigit():
                    sock.sendto(struct.pack('!HH', TFTP_ERROR, 1) +
                                b'no such file\0', addr)
                    continue
                n = int(name)
                blksize = 512
                if b'blksize' in opts and opts[b'blksize'].isdigit():
                    blksize = min(max(int(opts[b'blksize']), 8), 65464)
                session = sessions[addr] = TftpSession(
                    b''.join(stream_chunks(n)), blksize)
                acked = b''
                if b'blksize' in opts:
                    acked += b'blksize\0%d\0' % blksize
                if b'tsize' in opts:
                    acked += b'tsize\0%d\0' % n
                if acked:
                    send(addr, session, struct.pack('!H', TFTP_OACK) + acked)
                else:
                    session.block = 1
                    send(addr, session, session.data_packet(1))
            elif (len(pkt) >= 4 and addr in sessions and
                  struct.unpack('!HH', pkt[:4]) ==
                  (TFTP_ACK, sessions[addr].block & 0xffff)):
                session = sessions[addr]
                if session.block == session.last_block():
                    del sessions[addr]
                else:
                    session.block += 1
                    send(addr, session, session.data_packet(session.block))
        now = time.monotonic()
        for addr, session in list(sessions.items()):
            if session.deadline <= now:
                if session.tries >= 5:
                    del sessions[addr]
                else:
                    session.tries += 1
                    session.deadline = now + 1.0
                    sock.sendto(session.packet, addr)


def start_tftp(port):
    """Serve TFTP on UDP port PORT in a thread; a port already in use only
    costs the UDP service."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        sock.bind(('127.0.0.1', port))
    except OSError as e:
        print(f'hostserver: no TFTP on UDP port {port}: {e}', file=sys.stderr)
        sock.close()
        return None
    stop = threading.Event()
    threading.Thread(target=tftp_serve, args=(sock, stop), daemon=True).start()
    return stop


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--lifetime', type=float, default=900)
    args = ap.parse_args()
    with Server(('127.0.0.1', 0), Handler) as server:
        port = server.server_address[1]
        tftp = start_tftp(port)
        print(port, flush=True)
        threading.Timer(args.lifetime, server.shutdown).start()
        server.serve_forever()
        if tftp is not None:
            tftp.set()
    return 0


if __name__ == '__main__':
    sys.exit(main())
