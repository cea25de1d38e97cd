#!/usr/bin/env bash
# Installs the Debian packages MirageC builds and tests with. Idempotent:
# installs only what is missing, and does nothing when all is present.
# `install-deps.sh bench` also installs what the benchmarks use.
set -eu
PACKAGES=(
    gcc make binutils libc6-dev    # the build
    clang-format                   # the formatting check
    libseccomp-dev                 # the spt and hvt tenders' sandboxes
    libbearssl-dev                 # reference SHA-256 and AES in crypto tests
    graphviz                       # checks `mirage describe --dot`
    iproute2 procps psmisc         # network tests: namespaces and taps
    dosfstools mtools              # FAT tests: mkfs.fat, fsck.fat, mcopy
    clang libclang-rt-14-dev socat # fuzz targets (libFuzzer); spt tap test
    iputils-ping netcat-openbsd    # network tests: ping and nc as peers
    python3 tar strace git         # test peers, image makers, syscall checks
    gdb                            # hvt core files and sandbox checks
    dnsmasq-base busybox           # DHCP and DNS peers (dnsmasq, udhcpd, udhcpc)
    radvd                          # IPv6 router advertisements (SLAAC peer)
    libhttp-parser-dev             # HTTP parser's differential test oracle
    curl wrk nginx-light rsyslog   # HTTP and syslog tests' real peers
    openssl ca-certificates        # TLS peers' credentials; the roots http-fetch and syslog trust
    qemu-system-x86 grub-pc-bin xorriso # virtio: QEMU; GRUB for multiboot
)
if [ "${1:-}" = bench ]; then
    PACKAGES+=(hyperfine time binutils)
fi
missing=()
for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
        missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps: missing Debian packages: ${missing[*]}" >&2
    echo "install-deps: run as root: apt-get install ${missing[*]}" >&2
    exit 1
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -q "${missing[@]}" || {
    apt-get update -q
    apt-get install -y -q "${missing[@]}"
}
