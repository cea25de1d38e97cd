#!/usr/bin/env bash
# Every tender's command line (solo5-tender compatible): --help documents
# each option, --version, and each bad option, device mismatch or bad
# backend is one line naming the problem, with status 1.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tenders.bash"
tenders_plan 35 # for each tender: help 9, version 1, 25 checks
tenders_require
scratch
truncate -s 8192 "$T_TMP/disk"
truncate -s 1000 "$T_TMP/odd"
long=$(head -c 8200 /dev/zero | tr '\0' x)
while read -r tender target; do
    make_bad_images "$target" "$T_TMP/$tender" >/dev/null
    good="$T_TMP/$tender/good"
    help=$("$tender" --help)
    expect "${tender}_help_status" 0 $?
    for opt in --mem= --net:NAME=IFACE --net:NAME=@FD --net-mac:NAME= \
        --block:NAME=PATH --block-sector-size:NAME= --help --version; do
        expect_match "${tender}_help_documents_$opt" "$opt" "$help"
    done
    expect_match "${tender}_version" "^$tender [0-9]+\.[0-9]+\.[0-9]+$" \
        "$("$tender" --version)"

    # check NAME REGEX ARGS...: the tender fails with status 1 and one line.
    check() {
        local name=$1 regex=$2 out rc
        shift 2
        out=$("$tender" "$@" 2>&1)
        rc=$?
        if [ $rc -eq 1 ] && [ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ] &&
            printf '%s' "$out" | grep -Eq -- "^$tender: $regex"; then
            pass "${tender}_$name"
        else
            fail "${tender}_$name" "status $rc, output [$out], want /$regex/"
        fi
    }
    check no_image "no image given" --mem=64
    check unknown_option "unknown option --frobnicate" --frobnicate "$good"
    check mem_zero "--mem: expected a size in MiB" --mem=0 "$good"
    check mem_junk "--mem: expected a size in MiB" --mem=12x "$good"
    check mem_huge "--mem: expected a size in MiB" --mem=99999999999999999999 "$good"
    check net_no_name "--net: expected --net:NAME=VALUE" --net:=tap0 "$good"
    check net_bad_name "--net: expected --net:NAME=VALUE" --net:a-b=tap0 "$good"
    check net_no_value "--net:service: empty value" --net:service= "$good"
    check net_twice "--net:service: device 'service' given twice" \
        --net:service=a --net:service=b "$good"
    check net_and_block "--block:service: device 'service' given twice" \
        --net:service=a --block:service=b "$good"
    check bad_mac "--net-mac:service: expected one MAC address" \
        --net-mac:service=00:11:22:33:44 "$good"
    check sector_not_pow2 "--block-sector-size:storage: expected one power of two" \
        --block-sector-size:storage=1000 "$good"
    check sector_too_big "--block-sector-size:storage: expected one power of two" \
        --block-sector-size:storage=65536 "$good"
    check cmdline_too_long "command line too long" "$good" "$long"
    check undeclared_device "device 'other' is not in the image's manifest" \
        --block:other="$T_TMP/disk" "$good"
    check wrong_kind "device 'service' is a network device, not block" \
        --block:service="$T_TMP/disk" "$good"
    check mac_on_block "--net-mac:storage: 'storage' is a block device" \
        --net:service=@5 --block:storage="$T_TMP/disk" \
        --net-mac:storage=02:00:00:00:00:01 "$good" 5</dev/null
    check sector_on_net "--block-sector-size:service: 'service' is a network device" \
        --net:service=@1 --block:storage="$T_TMP/disk" \
        --block-sector-size:service=4096 "$good"
    check unattached_block "block device 'storage' is not attached" \
        --net:service=@5 "$good" 5</dev/null
    check missing_tap "tap nosuchtap0: no such interface" \
        --net:service=nosuchtap0 --block:storage="$T_TMP/disk" "$good"
    check bad_fd "tap @1: not an open descriptor above 2" \
        --net:service=@1 --block:storage="$T_TMP/disk" "$good"
    check bad_fd_syntax "tap @x: expected @FD" \
        --net:service=@x --block:storage="$T_TMP/disk" "$good"
    check missing_block "block $T_TMP/nope: No such file or directory" \
        --net:service=@5 --block:storage="$T_TMP/nope" "$good" 5</dev/null
    check odd_capacity "block $T_TMP/odd: size 1000 is not a positive multiple" \
        --net:service=@5 --block:storage="$T_TMP/odd" "$good" 5</dev/null
    check capacity_vs_sector "block $T_TMP/disk: size 8192 is not a positive multiple of the sector size 16384" \
        --net:service=@5 --block:storage="$T_TMP/disk" \
        --block-sector-size:storage=16384 "$good" 5</dev/null
done <<<"$(tenders)"
finish
