"""Talk to the virtio devices test guest over raw taps: for each
TAP=MAC=NAME argument, send frames of EtherType 0x88b5 to MAC on TAP until
one comes back from MAC with NAME at the start of its payload (5 s each).
Prints "TAP NAME ok" or "TAP NAME no answer" per argument."""
import socket
import sys
import time

ETHERTYPE = 0x88B5


def mac_bytes(mac):
    return bytes(int(x, 16) for x in mac.split(":"))


def ask(tap, mac, name):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETHERTYPE))
    s.bind((tap, ETHERTYPE))
    s.settimeout(0.2)
    me = bytes([0x02, 0, 0, 0, 0, 0x99])
    frame = mac_bytes(mac) + me + ETHERTYPE.to_bytes(2, "big") + b"ping" + bytes(42)
    deadline = time.time() + 5
    while time.time() < deadline:
        s.send(frame)
        try:
            while True:
                got = s.recv(2048)
                if got[6:12] == mac_bytes(mac) and got[14:18] == name.encode():
                    return True
        except socket.timeout:
            pass
    return False


for arg in sys.argv[1:]:
    tap, mac, name = arg.split("=")
    print(tap, name, "ok" if ask(tap, mac, name) else "no answer", flush=True)
