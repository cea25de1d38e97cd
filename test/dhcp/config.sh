#!/usr/bin/env bash
# The catalogue entries of DHCP and DNS at configure time: what the keys
# choose (generic_stackv4v6's --dhcp and --net on unix and spt, a .dhcp_key
# of the application's own), the options that reach the generated code
# (.ns and .ns_port as --resolver's default, .arp), and a clear error,
# at the line of config.c, for each bad option: resolver_dns's .ns and
# .ns_port, an ipv4_config given under the other stack's name or with a
# gateway but no network, dhcp_ipv4_stack with an ipv4_config, a .dhcp_key
# that is not a bool, and DHCP with the socket stack.
. "$(dirname "$0")/../lib.sh"
plan 21
scratch
cd "$T_TMP" || exit 1

# app CONFIG_BODY: a config.c whose main runs the body (which ends by
# registering), in a fresh directory.
app() {
    rm -rf "$T_TMP/app" && mkdir -p "$T_TMP/app" && cd "$T_TMP/app" || exit 1
    {
        echo '#include <mirage/config.h>'
        echo 'int main(int argc, char **argv)'
        echo '{'
        printf '%s\n' "$1"
        echo '}'
    } >config.c
}
# main_c ARGS...: mirage/main.c after configuring with ARGS, or the errors.
main_c() {
    "$MIRAGE" configure "$@" >"$T_TMP/out" 2>&1 && cat mirage/main.c ||
        cat "$T_TMP/out"
}

# What generic_stackv4v6 --dhcp and --net choose.
app '    impl *m = mirage_main("start", typ_fn(stackv4v6_typ, job));
    return mirage_register(argc, argv, "s",
        jobs(apply(m, generic_stackv4v6(default_network()))));'
expect_match dhcp_key_off_unix_is_socket 'mirage_stack_connect_socket\(' \
    "$(main_c -t unix)"
out=$(main_c -t unix --dhcp=true)
if [[ $out == *'mirage_dhcp_connect_client('* ]] &&
    [[ $out == *'mirage_ipv4_connect_dhcp('* ]] &&
    [[ $out == *'mirage_stack_connect_dhcp('* ]] &&
    [[ $out != *'mirage_stack_connect_socket('* ]]; then
    pass dhcp_key_on_unix_is_the_dhcp_stack
else
    fail dhcp_key_on_unix_is_the_dhcp_stack "$(grep -o 'mirage_[a-z0-9_]*connect[a-z_]*' <<<"$out" | tr '\n' ' ')"
fi
out=$(main_c -t spt --dhcp=true --net=direct)
if [[ $out == *'mirage_stack_connect_dhcp('* ]] &&
    [[ $out != *'mirage_ipv4_connect_direct('* ]]; then
    pass dhcp_key_on_spt_is_the_dhcp_stack
else
    fail dhcp_key_on_spt_is_the_dhcp_stack "$(grep -o 'mirage_[a-z0-9_]*connect[a-z_]*' <<<"$out" | tr '\n' ' ')"
fi
out=$(main_c -t spt)
if [[ $out == *'mirage_ipv4_connect_direct('* ]] &&
    [[ $out != *'mirage_dhcp_connect_client('* ]]; then
    pass dhcp_key_off_spt_is_static
else
    fail dhcp_key_off_spt_is_static "$(grep -o 'mirage_[a-z0-9_]*connect[a-z_]*' <<<"$out" | tr '\n' ' ')"
fi
out=$("$MIRAGE" configure -t unix --dhcp=true --net=socket 2>&1)
rc=$?
expect_match dhcp_with_socket_refused \
    "^config\.c:6: error: DHCP needs the direct stack: --net=socket is the socket stack, whose addresses are the host's \(use --net=direct, or no DHCP\)$" \
    "$out"
if [ $rc -eq 1 ] && [ ! -e Makefile ]; then pass dhcp_with_socket_no_makefile; else
    fail dhcp_with_socket_no_makefile "status $rc, Makefile: $(ls Makefile 2>&1)"
fi
expect_match dhcp_with_host_on_spt_names_net \
    "^config\.c:[0-9]+: error: --net=host is unix-only: target 'spt' does not support the device it selects, socket_stackv4v6$" \
    "$("$MIRAGE" configure -t spt --dhcp=true --net=host 2>&1)"
expect_match dhcp_key_in_help '^  --dhcp=BOOL$' \
    "$("$MIRAGE" configure -t unix --help 2>&1)"

# The application's own key as .dhcp_key (here: on by default).
app '    key *k = key_bool("lease", true, "Use DHCP.");
    impl *m = mirage_main("start", typ_fn(stackv4v6_typ, job));
    return mirage_register(argc, argv, "s", jobs(apply(m,
        generic_stackv4v6(default_network(), .dhcp_key = key_value(k)))));'
expect_match dhcp_key_option_default_on 'mirage_stack_connect_dhcp\(' \
    "$(main_c -t spt)"
out=$(main_c -t spt --lease=false)
if [[ $out == *'mirage_ipv4_connect_direct('* ]] &&
    [[ $out != *'mirage_dhcp_connect_client('* ]]; then
    pass dhcp_key_option_off
else
    fail dhcp_key_option_off "$(grep -o 'mirage_[a-z0-9_]*connect[a-z_]*' <<<"$out" | tr '\n' ' ')"
fi
expect_match dhcp_key_option_replaces_dhcp "unknown option '--dhcp'" \
    "$("$MIRAGE" configure -t spt --dhcp=true 2>&1)"

# .ns and .ns_port are --resolver's default; .arp makes the ARP device.
app '    impl *m = mirage_main("start", typ_fn(resolver_typ, job));
    return mirage_register(argc, argv, "s", jobs(apply(m,
        resolver_dns(static_ipv4v6_stack(default_network(), .arp = my_arp),
                     .ns = "2001:db8::1", .ns_port = 5353))));'
sed -i '1a static impl *my_arp(impl *eth)\n{\n    return apply(impl("my_arp", typ_fn(ethernet_typ, arpv4_typ),\n        .connect = "mirage_arp_connect_direct(\&$out, $ethernet)",\n        .headers = strs("mirage/arp.h"), .libraries = strs("net")), eth);\n}' config.c
out=$(main_c -t spt)
expect_match resolver_ns_is_the_default '"\[2001:db8::1\]:5353"' "$out"
expect_match stack_arp_option 'rc = mirage_arp_connect_direct\(&d[0-9]+_my_arp, ' "$out"

# Bad options, each at its line.
app '    impl *net = default_network();
    impl *s = static_ipv4v6_stack(net);
    impl *r1 = resolver_dns(s, .ns = "10.0.0.300");
    impl *r2 = resolver_dns(s, .ns_port = 53);
    impl *r3 = resolver_dns(s, .ns = "10.0.0.1", .ns_port = 70000);
    impl *s1 = static_ipv4v6_stack(net, .config = {.network = "10.0.0.2/24"});
    impl *s2 = static_ipv4_stack(net, .ipv4_config = {.network = "10.0.0.2/24"});
    impl *s3 = static_ipv4_stack(net, .config = {.gateway = "10.0.0.1"});
    impl *s4 = dhcp_ipv4_stack(net, .config = {.network = "10.0.0.2/24"});
    impl *s5 = generic_stackv4(net, .dhcp_key = key_value(key_int("n", 1, "N")));
    (void)r1, (void)r2, (void)r3, (void)s1, (void)s2, (void)s3, (void)s4, (void)s5;
    impl *m = mirage_main("start", typ_fn(stackv4v6_typ, job));
    return mirage_register(argc, argv, "bad", jobs(apply(m, s)));'
out=$("$MIRAGE" configure -t unix 2>&1)
expect_match resolver_bad_ns \
    "config\.c:6: error: resolver_dns: bad \.ns '10\.0\.0\.300' \(expected an IPv4 or IPv6 address\)" "$out"
expect_match resolver_port_without_ns \
    "config\.c:7: error: resolver_dns: \.ns_port needs \.ns" "$out"
expect_match resolver_bad_port \
    "config\.c:8: error: resolver_dns: bad \.ns_port 70000 \(expected 1 to 65535\)" "$out"
expect_match v4v6_stack_takes_ipv4_config \
    "config\.c:9: error: static_ipv4v6_stack takes \.ipv4_config, not \.config" "$out"
expect_match v4_stack_takes_config \
    "config\.c:10: error: static_ipv4_stack takes \.config, not \.ipv4_config" "$out"
expect_match ipv4_config_gateway_needs_network \
    "config\.c:11: error: create_ipv4: an ipv4_config with a gateway needs a network" "$out"
expect_match dhcp_stack_takes_no_ipv4_config \
    "config\.c:12: error: dhcp_ipv4_stack takes no ipv4_config: DHCP configures it" "$out"
expect_match dhcp_key_must_be_bool \
    "config\.c:13: error: if_impl needs a bool key value, but key 'n' is a int key" "$out"
finish
