# Sourced by test/http/peers.sh and bench/http.sh: nginx as a peer.
#
# nginx_start NS DIR ROOT LISTEN [LINE...]: write DIR/nginx.conf (1
# worker, access log off, sendfile, the files of ROOT, listening on
# LISTEN, each LINE added inside the server block; the modules named in
# NGINX_MODULES loaded) and start nginx in network namespace NS, its
# files under DIR. NGINX_PID is nginx's own PID (to kill it by).
nginx_start() {
    local ns=$1 dir=$2 root=$3 listen=$4 m
    shift 4
    mkdir -p "$dir"
    {
        for m in ${NGINX_MODULES:-}; do echo "load_module $m;"; done
        cat <<EOF
daemon off;
user root;
worker_processes 1;
pid $dir/pid;
error_log $dir/error.log;
events { worker_connections 4096; }
http {
    access_log off;
    sendfile on;
    keepalive_requests 1000000;
    client_body_temp_path $dir/body;
    proxy_temp_path $dir/proxy;
    fastcgi_temp_path $dir/fastcgi;
    uwsgi_temp_path $dir/uwsgi;
    scgi_temp_path $dir/scgi;
    server {
        listen $listen;
        root $root;
EOF
        for m in "$@"; do echo "        $m"; done
        echo '    }'
        echo '}'
    } >"$dir/nginx.conf"
    ip netns exec "$ns" nginx -e "$dir/error.log" -p "$dir" -c "$dir/nginx.conf" &
    NGINX_PID=$!
}
