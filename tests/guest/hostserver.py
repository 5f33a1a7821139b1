#!/usr/bin/python3
"""Host side of the guest network tests: a TCP server on 127.0.0.1 that the
guest reaches through slirp at 10.0.2.2:<port>.

One request per connection, a text line first:
  PUSH <n>     the guest sends n bytes; the reply is their SHA-256 (hex)
  PULL <n>     the server sends n bytes of its fixed pseudo-random stream
  DIGEST <n>   the reply is the SHA-256 of the first n bytes of that stream

The chosen port is printed on the first line of stdout.  The server stops
by itself after --lifetime seconds.
"""

import argparse
import hashlib
import random
import socketserver
import sys
import threading

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


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--lifetime', type=float, default=900)
    args = ap.parse_args()
    with Server(('127.0.0.1', 0), Handler) as server:
        print(server.server_address[1], flush=True)
        threading.Timer(args.lifetime, server.shutdown).start()
        server.serve_forever()
    return 0


if __name__ == '__main__':
    sys.exit(main())
