#!/usr/bin/python3
"""Minimal QMP client for the guest runner.

  qmp.py SOCKET migrate-to FILE      migrate the VM into FILE, wait, create
                                     FILE.done, quit
  qmp.py SOCKET wait-running         wait until an incoming VM runs
  qmp.py SOCKET link NETDEV on|off   QMP set_link
  qmp.py SOCKET qom-set ID PROP VAL  qom-set on device ID (VAL as JSON if
                                     it parses: 3, true; else a string)
  qmp.py SOCKET unplug ID            device_del ID, wait until it is gone
                                     (the guest's hotplug driver powers
                                     the slot off)
"""

import json
import socket
import sys
import time


class Qmp:
    def __init__(self, path, timeout=120):
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX)
                self.sock.connect(path)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        self.file = self.sock.makefile('rw')
        self.recv()                             # greeting
        self.cmd('qmp_capabilities')

    def recv(self):
        while True:
            msg = json.loads(self.file.readline())
            if 'event' not in msg:
                return msg

    def cmd(self, command, **args):
        self.file.write(json.dumps({'execute': command, 'arguments': args}) + '\n')
        self.file.flush()
        reply = self.recv()
        if 'error' in reply:
            raise RuntimeError(f'{command}: {reply["error"]}')
        return reply['return']

    def wait(self, what, cond, timeout=120):
        deadline = time.monotonic() + timeout
        while not cond():
            if time.monotonic() > deadline:
                raise TimeoutError(what)
            time.sleep(0.1)


def main(argv):
    qmp = Qmp(argv[1])
    if argv[2] == 'migrate-to':
        qmp.cmd('migrate', uri='file:' + argv[3])
        qmp.wait('migration', lambda: qmp.cmd('query-migrate').get('status')
                 in ('completed', 'failed'))
        status = qmp.cmd('query-migrate')['status']
        if status != 'completed':
            print(f'migration {status}', file=sys.stderr)
            return 1
        open(argv[3] + '.done', 'w').close()    # tells the runner to go on
        qmp.cmd('quit')
    elif argv[2] == 'wait-running':
        qmp.wait('incoming VM running', lambda: qmp.cmd('query-status')['running'])
    elif argv[2] == 'link':
        qmp.cmd('set_link', name=argv[3], up=argv[4] == 'on')
    elif argv[2] == 'qom-set':
        try:
            value = json.loads(argv[5])
        except ValueError:
            value = argv[5]
        qmp.cmd('qom-set', path='/machine/peripheral/' + argv[3],
                property=argv[4], value=value)
        print(f'{argv[3]}.{argv[4]} = {value!r}')
    elif argv[2] == 'unplug':
        peripherals = lambda: [p['name'] for p in
                               qmp.cmd('qom-list', path='/machine/peripheral')]
        qmp.cmd('device_del', id=argv[3])
        qmp.wait(f'{argv[3]} unplugged', lambda: argv[3] not in peripherals())
        print(f'{argv[3]} unplugged')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
