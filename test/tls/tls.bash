# Helpers for the TLS real-peer tests (sourced after test/lib.sh, not run
# by test/run): credentials made with openssl, the network namespace with
# the tap device, and the test unikernel (build/test-images/tls_peer) on
# unix or spt.
#
# Credentials (tls_creds DIR): a root CA (RSA 2048) and an intermediate CA
# (ECDSA P-256) below it, the "chain of two"; leaves signed by the
# intermediate: rsa (RSA 2048; tls.test and 10.0.0.2), ec (ECDSA P-256;
# ec.test), expired (tls.test, valid in 2020 only); and selfsigned
# (tls.test, its own issuer). DIR/creds.tar holds what the unikernel
# reads, DIR/tls/ as a MirageOS application keeps it: server.pem and .key
# (rsa with the intermediate), ec.test.pem and .key, ca-roots.crt (the
# root).
# wait_log LOG REGEX [TENTHS] (test/net/netns.bash): until LOG matches.
. "$(dirname "${BASH_SOURCE[0]}")/../net/netns.bash"
TLS_TARGET=${TLS_TARGET:-unix}
TLS_IMAGE="$ROOT/build/test-images/tls_peer"
[ "$TLS_TARGET" = spt ] && TLS_IMAGE="$ROOT/build/test-images/tls_peer.spt"
TLS_NS=
TLS_PIDS=()

# tls_need NAME: skip every planned case (skip_rest) when something the
# test needs is missing; fail (and skip the rest) when the image is not
# built.
tls_need() {
    local name=$1 tool
    if [ "$(id -u)" -ne 0 ] || [ ! -c /dev/net/tun ]; then
        skip_rest "$name" "needs root and /dev/net/tun"
    fi
    for tool in ip openssl curl python3 nginx tar; do
        if ! command -v $tool >/dev/null && [ ! -x /usr/sbin/$tool ]; then
            skip_rest "$name" "$tool is not installed (scripts/install-deps.sh)"
        fi
    done
    if [ ! -x "$TLS_IMAGE" ]; then
        fail "${name}_built" "$TLS_IMAGE is missing (make tests)"
        skip_rest "$name" "no test image"
    fi
    if [ "$TLS_TARGET" = spt ] && [ ! -x "$ROOT/build/bin/mirage-spt" ]; then
        fail "${name}_built" "the spt tender is missing (make all)"
        skip_rest "$name" "no spt tender"
    fi
}

# tls_setup_failed NAME WHY: a failed setup, the rest skipped.
tls_setup_failed() {
    fail "$1" "$2"
    skip_rest "$1" "the setup failed"
}

# tls_begin NAME: what every real-peer test starts with: P, the prefix of
# its case names (NAME, NAME_spt on spt); tls_need; a scratch directory
# removed on exit with every process and the namespace; the credentials
# in $C (tls_creds); the namespace.
tls_begin() {
    P=$1
    [ "$TLS_TARGET" = spt ] && P=${1}_spt
    tls_need "$P"
    scratch
    trap tls_cleanup EXIT
    C=$T_TMP/c
    tls_creds "$C" ||
        tls_setup_failed "${P}_creds" "openssl could not make the credentials: $(tail -3 "$C/openssl.log")"
    tls_netns || tls_setup_failed "${P}_setup" "cannot create the namespace and tap"
}

tls_creds() {
    local d=$1
    mkdir -p "$d/tls" && (
        cd "$d" || exit 1
        set -e
        openssl req -x509 -newkey rsa:2048 -nodes -keyout root.key \
            -out root.pem -days 30 -subj "/CN=MirageC Test Root" \
            -addext "basicConstraints=critical,CA:TRUE" \
            -addext "keyUsage=critical,keyCertSign,cRLSign"
        openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
            -keyout inter.key -out inter.csr -subj "/CN=MirageC Test Intermediate"
        printf 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n' >inter.ext
        openssl x509 -req -in inter.csr -CA root.pem -CAkey root.key \
            -CAcreateserial -out inter.pem -days 30 -extfile inter.ext
        # leaf NAME KEYOPTS SAN [CA-NAME]: NAME.key, NAME.crt, NAME.chain
        leaf() {
            openssl req -newkey $2 -nodes -keyout $1.key -out $1.csr \
                -subj "/CN=$1"
            printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n' \
                "$3" >$1.ext
            openssl x509 -req -in $1.csr -CA inter.pem -CAkey inter.key \
                -CAcreateserial -out $1.crt -days 10 -extfile $1.ext
            cat $1.crt inter.pem >$1.chain
        }
        leaf rsa rsa:2048 "DNS:tls.test,IP:10.0.0.2"
        leaf ec "ec -pkeyopt ec_paramgen_curve:P-256" "DNS:ec.test"
        # expired: issued with explicit dates through `openssl ca`.
        openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
            -keyout expired.key -out expired.csr -subj "/CN=tls.test"
        mkdir -p ca && : >ca/index.txt && echo 01 >ca/serial
        cat >ca.cnf <<EOF
[ca]
default_ca = d
[d]
dir = ca
database = ca/index.txt
serial = ca/serial
new_certs_dir = ca
default_md = sha256
policy = p
copy_extensions = none
x509_extensions = e
[p]
commonName = supplied
[e]
subjectAltName = DNS:tls.test
EOF
        openssl ca -batch -config ca.cnf -cert inter.pem -keyfile inter.key \
            -in expired.csr -out expired.crt -notext \
            -startdate 20200101000000Z -enddate 20200201000000Z
        cat expired.crt inter.pem >expired.chain
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
            -keyout selfsigned.key -out selfsigned.crt -days 10 \
            -subj "/CN=tls.test" -addext "subjectAltName=DNS:tls.test"
        cp rsa.chain tls/server.pem && cp rsa.key tls/server.key
        cp ec.chain tls/ec.test.pem && cp ec.key tls/ec.test.key
        cp root.pem tls/ca-roots.crt
        tar cf creds.tar -C tls .
    ) >"$d/openssl.log" 2>&1
}

# SHA-256 of a certificate's SubjectPublicKeyInfo, in hex.
tls_spki_pin() {
    openssl x509 -in "$1" -pubkey -noout | openssl pkey -pubin -outform DER |
        openssl dgst -sha256 -r | cut -d' ' -f1
}

# tls_netns: a namespace with tap0 at 10.0.0.1/24 (the unikernel is
# 10.0.0.2).
tls_netns() {
    TLS_NS=mirage-tls-$TLS_TARGET-$$
    ip netns add "$TLS_NS" && ip -n "$TLS_NS" link set lo up &&
        ip -n "$TLS_NS" tuntap add dev tap0 mode tap &&
        ip -n "$TLS_NS" addr add 10.0.0.1/24 dev tap0 &&
        ip -n "$TLS_NS" link set tap0 up
}
in_ns() { ip netns exec "$TLS_NS" "$@"; }

# tls_run LOG CREDS-TAR [MEM] ARGS...: run the unikernel in the
# namespace in the background (the PID goes to TLS_PIDS and UNIKERNEL);
# MEM is spt's --mem (MiB) and ignored on unix.
tls_run() {
    local log=$1 tar=$2 mem=$3
    shift 3
    # (ip netns exec becomes the command: $! is its process.)
    if [ "$TLS_TARGET" = spt ]; then
        ip netns exec "$TLS_NS" "$ROOT/build/bin/mirage-spt" --mem="$mem" \
            --net:service=tap0 --block:storage="$tar" "$TLS_IMAGE" \
            --interface=service --ipv4=10.0.0.2/24 --storage=storage "$@" \
            >"$log" 2>&1 &
    else
        ip netns exec "$TLS_NS" "$TLS_IMAGE" --interface=tap0 \
            --ipv4=10.0.0.2/24 --storage="$tar" "$@" >"$log" 2>&1 &
    fi
    UNIKERNEL=$!
    TLS_PIDS+=("$UNIKERNEL")
}

# tls_client LOG CREDS-TAR ARGS...: run the unikernel as a client to its
# end (at most 60 s).
tls_client() {
    local log=$1 tar=$2
    shift 2
    if [ "$TLS_TARGET" = spt ]; then
        in_ns timeout 60 "$ROOT/build/bin/mirage-spt" --mem=32 \
            --net:service=tap0 --block:storage="$tar" "$TLS_IMAGE" \
            --interface=service --ipv4=10.0.0.2/24 --storage=storage "$@" \
            >"$log" 2>&1
    else
        in_ns timeout 60 "$TLS_IMAGE" --interface=tap0 --ipv4=10.0.0.2/24 \
            --storage="$tar" "$@" >"$log" 2>&1
    fi
}

# tls_bg LOG CMD...: a peer in the namespace in the background.
tls_bg() {
    local log=$1
    shift
    ip netns exec "$TLS_NS" "$@" >"$log" 2>&1 &
    TLS_PIDS+=("$!")
}

# tls_wait_port IP PORT: until something listens there (10 s at most).
tls_wait_port() {
    local i
    in_ns python3 - "$1" "$2" <<'PY'
import socket, sys, time
end = time.time() + 10
while time.time() < end:
    try:
        socket.create_connection((sys.argv[1], int(sys.argv[2])), 1).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.1)
sys.exit(1)
PY
}

tls_cleanup() {
    local p
    for p in "${TLS_PIDS[@]}"; do
        kill "$p" 2>/dev/null
        wait "$p" 2>/dev/null
    done
    TLS_PIDS=()
    [ -n "$TLS_NS" ] && ip netns del "$TLS_NS" 2>/dev/null
    TLS_NS=
    rm -rf "${T_TMP:-/nonexistent}"
}
