#!/usr/bin/env python3
"""sockrun.py [--net NAME]...
              [--when TEXT (--send NAME | --send-late NAME | --run SHELL)]...
              [--limit SECONDS] -- COMMAND...

Runs COMMAND (a tender) with a datagram socket pair standing in for each
network device NAME: a word of COMMAND ending in "=@NAME" ends in "=@FD"
instead, FD being the tender's end of the pair. A datagram is one Ethernet frame, so the test
is the peer: when the guest prints a line containing TEXT, a 60-byte
frame of 'x' is sent to it on NAME (--send; --send-late: half a second
later, so that a guest that printed TEXT just before blocking is blocked
by then), or SHELL is run (--run).
Prints what the command printed (stdout and stderr) and exits with its
status; 124 if it outlived the limit (default 60 s) and was killed."""
import os
import socket
import subprocess
import sys
import time


def main():
    args = sys.argv[1:]
    nets, actions, limit = {}, [], 60.0
    while args and args[0] != "--":
        opt = args.pop(0)
        if opt == "--net":
            nets[args.pop(0)] = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
        elif opt == "--when":
            text, kind, what = args.pop(0), args.pop(0), args.pop(0)
            actions.append([text, kind, what, False])
        elif opt == "--limit":
            limit = float(args.pop(0))
        else:
            sys.exit("sockrun.py: unknown option " + opt)
    cmd = args[1:]
    fds = []
    for name, (ours, theirs) in nets.items():
        fds.append(theirs.fileno())
        tail = "=@" + name
        cmd = [w[: -len(name)] + str(theirs.fileno()) if w.endswith(tail) else w
               for w in cmd]
    child = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             pass_fds=fds)
    for _, theirs in nets.values():
        theirs.close()
    os.set_blocking(child.stdout.fileno(), False)
    out, deadline, late = b"", time.monotonic() + limit, []
    while child.poll() is None and time.monotonic() < deadline:
        chunk = child.stdout.read() or b""
        out += chunk
        for a in actions:
            if not a[3] and a[0].encode() in out:
                a[3] = True
                if a[1] == "--send":
                    nets[a[2]][0].send(b"x" * 60)
                elif a[1] == "--send-late":
                    late.append((time.monotonic() + 0.5, a[2]))
                else:
                    subprocess.run(a[2], shell=True, check=False)
        for when, name in [x for x in late if x[0] <= time.monotonic()]:
            late.remove((when, name))
            nets[name][0].send(b"x" * 60)
        if not chunk:
            time.sleep(0.02)
    status = child.poll()
    if status is None:
        child.kill()
        child.wait()
        status = 124
    out += child.stdout.read() or b""
    sys.stdout.write(out.decode(errors="replace"))
    sys.exit(status if status >= 0 else 128 - status)


main()
