#!/usr/bin/env bash
# test/tls/client.sh with the test unikernel on spt (mirage-spt, the
# credentials archive as its "storage" block device). hvt is not run
# here: this machine's nested KVM emulates guest instructions and fails
# on the SSE instructions of Debian's BearSSL archive (README, TLS).
TLS_TARGET=spt exec bash "$(dirname "$0")/client.sh"
