# shellcheck shell=bash
# A private RabbitMQ node for the tests and `make bench`, never the system service: its own node
# name, loopback ports, Erlang cookie (HOME), epmd port, mnesia and log dirs, all in one temp
# dir. Sourced after lib.sh (tests) or with TMP, free_port, log and fail defined (the bench).
#
#   rmq_start DIR      starts the node (data in DIR); sets RMQ_NODE, RMQ_PORT, RMQ_URL
#   rmq_stop_app / rmq_start_app   the broker application only (the node keeps running)
#   rmq_kill           kills the node hard (the mnesia dir is kept); rmq_start again restarts it
#   rmq_stop           stops the node and its epmd (also done by rmq_cleanup, for traps)
#   rmqctl ARGS...     rabbitmqctl against the node
#   rmq_scenario_setup what a rabbitmq:V1 test needs (the plugin, the consumer tool in $CONSUME,
#                      rabbitmq-server), failing when one is missing; the node stopped on exit
#
# The node runs as the current user through the unpacked server scripts: Debian's
# /usr/sbin/rabbitmq-server wrapper switches to the rabbitmq user and writes /var/log/rabbitmq.
RMQ_BIN="${RMQ_BIN:-/usr/lib/rabbitmq/bin}"
RMQ_NODE="" RMQ_PORT="" RMQ_URL="" RMQ_DIR="" RMQ_EPMD_PORT="" RMQ_DIST_PORT="" RMQ_PID=""
RMQ_TLS_PORT="" RMQ_TLS_CA=""

rmq_available() { [ -x "$RMQ_BIN/rabbitmq-server" ] && [ -x "$RMQ_BIN/rabbitmqctl" ]; }

_rmq_env() {
    env HOME="$RMQ_DIR/home" RABBITMQ_NODENAME="$RMQ_NODE" RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 \
        RABBITMQ_NODE_PORT="$RMQ_PORT" RABBITMQ_DIST_PORT="$RMQ_DIST_PORT" \
        ERL_EPMD_PORT="$RMQ_EPMD_PORT" ERL_EPMD_ADDRESS=127.0.0.1 \
        RABBITMQ_MNESIA_BASE="$RMQ_DIR/mnesia" RABBITMQ_LOG_BASE="$RMQ_DIR/log" \
        RABBITMQ_ENABLED_PLUGINS_FILE="$RMQ_DIR/enabled_plugins" \
        RABBITMQ_CONFIG_FILE="$RMQ_DIR/rabbitmq" RABBITMQ_ADVANCED_CONFIG_FILE="$RMQ_DIR/advanced.config" \
        RABBITMQ_CONF_ENV_FILE="$RMQ_DIR/rabbitmq-env.conf" RABBITMQ_PID_FILE="$RMQ_DIR/node.pid" \
        "$@"
}
rmqctl() { _rmq_env timeout -k 5 60 "$RMQ_BIN/rabbitmqctl" -n "$RMQ_NODE" "$@"; }

rmq_start() {
    if [ -z "$RMQ_DIR" ]; then
        RMQ_DIR="$1"
        mkdir -p "$RMQ_DIR/home" "$RMQ_DIR/mnesia" "$RMQ_DIR/log"
        # The cookie must be private to its owner or Erlang refuses it.
        (umask 077 && head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$RMQ_DIR/home/.erlang.cookie")
        printf '[].\n' >"$RMQ_DIR/enabled_plugins"
        : >"$RMQ_DIR/rabbitmq-env.conf"
        printf '[].\n' >"$RMQ_DIR/advanced.config"
        RMQ_NODE="mafio-test-$$-$RANDOM@localhost"
        RMQ_PORT="$(free_port)" RMQ_DIST_PORT="$(free_port)" RMQ_EPMD_PORT="$(free_port)"
        printf 'listeners.tcp.1 = 127.0.0.1:%s\n' "$RMQ_PORT" >"$RMQ_DIR/rabbitmq.conf"
        # RMQ_TLS=1: also a TLS listener (RMQ_TLS_PORT) with a CA and a server certificate for
        # "localhost" made here (RMQ_TLS_CA: the CA file a client verifies with).
        if [ "${RMQ_TLS:-0}" = 1 ]; then
            local t="$RMQ_DIR/tls"
            mkdir -p "$t"
            openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=mafio-test-ca \
                -keyout "$t/ca.key" -out "$t/ca.pem" >/dev/null 2>&1 || fail "openssl: CA"
            openssl req -newkey rsa:2048 -nodes -subj /CN=localhost -keyout "$t/server.key" \
                -out "$t/server.csr" >/dev/null 2>&1 || fail "openssl: server key"
            printf 'subjectAltName=DNS:localhost\n' >"$t/san.ext"
            openssl x509 -req -in "$t/server.csr" -CA "$t/ca.pem" -CAkey "$t/ca.key" \
                -CAcreateserial -days 2 -extfile "$t/san.ext" -out "$t/server.pem" >/dev/null 2>&1 ||
                fail "openssl: server certificate"
            RMQ_TLS_PORT="$(free_port)" RMQ_TLS_CA="$t/ca.pem"
            printf 'listeners.ssl.1 = 127.0.0.1:%s\nssl_options.cacertfile = %s\nssl_options.certfile = %s\nssl_options.keyfile = %s\nssl_options.verify = verify_none\nssl_options.fail_if_no_peer_cert = false\n' \
                "$RMQ_TLS_PORT" "$t/ca.pem" "$t/server.pem" "$t/server.key" >>"$RMQ_DIR/rabbitmq.conf"
        fi
        RMQ_URL="amqp://guest:guest@127.0.0.1:$RMQ_PORT/"
    fi
    # Without the test's descriptors: a node that held the write end of a test's FIFO would
    # keep the agent reading it from ever seeing the end of its input.
    (
        for fd in 3 4 5 6 7 8 9; do eval "exec $fd>&-"; done
        _rmq_env "$RMQ_BIN/rabbitmq-server"
    ) </dev/null >>"$RMQ_DIR/log/server.out" 2>&1 &
    RMQ_PID=$!
    local deadline=$((SECONDS + ${RMQ_START_TIMEOUT:-90}))
    # await_startup needs the node to answer at all; poll until it does (bounded).
    until rmqctl await_startup --timeout 5 >/dev/null 2>&1; do
        if ! kill -0 "$RMQ_PID" 2>/dev/null || [ "$SECONDS" -ge "$deadline" ]; then
            tail -n 30 "$RMQ_DIR/log/server.out" >&2
            fail "the private RabbitMQ node $RMQ_NODE did not start (logs in $RMQ_DIR/log)"
        fi
        sleep 0.5
    done
}

rmq_stop_app() { rmqctl stop_app >/dev/null || fail "rabbitmqctl stop_app failed"; }
rmq_start_app() { rmqctl start_app >/dev/null || fail "rabbitmqctl start_app failed"; }

_rmq_beam_pids() { pgrep -f -- "-sname $RMQ_NODE|-name $RMQ_NODE|$RMQ_DIR/" 2>/dev/null; }

rmq_kill() {
    local p
    for p in $(_rmq_beam_pids); do kill -KILL "$p" 2>/dev/null; done
    [ -n "$RMQ_PID" ] && wait "$RMQ_PID" 2>/dev/null
    RMQ_PID=""
}

# epmd was started by the node for this port only; nothing else uses it.
_rmq_kill_epmd() {
    [ -n "$RMQ_EPMD_PORT" ] || return 0
    local p
    ERL_EPMD_PORT="$RMQ_EPMD_PORT" epmd -kill >/dev/null 2>&1 || true
}

rmq_stop() {
    [ -n "$RMQ_NODE" ] || return 0
    rmqctl stop >/dev/null 2>&1 || true
    rmq_kill
    _rmq_kill_epmd
}
rmq_cleanup() { rmq_stop; }

# rmq_numbered FROM TO: numbered records "<n> record <n> ..." on stdout, one per line.
rmq_numbered() {
    awk -v a="$1" -v b="$2" 'BEGIN { for (i = a; i <= b; i++) printf "%d record %d of the rabbitmq test\n", i, i }'
}

# rmq_messages QUEUE: the messages the broker holds in QUEUE (ready + unacknowledged), 0 if none.
rmq_messages() {
    rmqctl list_queues -q --no-table-headers name messages 2>/dev/null |
        awk -v q="$1" '$1 == q { print $2; found = 1 } END { if (!found) print 0 }'
}

rmq_scenario_setup() {
    CONSUME="${MAFIO_BUILD_DIR:?}/bin/mafio-rmqconsume"
    [ -x "$CONSUME" ] || fail "$CONSUME is missing (built with the tests: target mafio-rmqconsume)"
    [ -e "$MAFIO_PLUGINS/rabbitmq-V1.so" ] || fail "rabbitmq-V1.so is not in $MAFIO_PLUGINS"
    rmq_available || fail "rabbitmq-server is not installed (packaging/install-deps.sh installs it)"
    trap 'rmq_cleanup; _cleanup' EXIT
}
