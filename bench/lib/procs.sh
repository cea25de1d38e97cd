# Sourced by the network benchmarks (bench/tcp.sh, bench/http.sh): the
# processes a benchmark started, in the array PIDS, and kill_all, which
# ends them by PID (waiting for each) and empties the array.
PIDS=()
kill_all() {
    local p
    for p in "${PIDS[@]}"; do
        kill "$p" 2>/dev/null
        wait "$p" 2>/dev/null
    done
    PIDS=()
}
