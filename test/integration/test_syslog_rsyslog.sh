#!/usr/bin/env bash
# Debian's rsyslog forwarding to syslog:V1 over TCP. The test runs its own rsyslogd in the
# foreground with a private configuration (no imuxsock: it never touches /dev/log or the system
# service): imfile reads a file of numbered lines and two omfwd actions forward every line to
# mafio, one octet-counted in RFC 5424 (RSYSLOG_SyslogProtocol23Format), one newline-framed in
# rsyslog's forwarding format (RFC 3164 layout, RFC 3339 timestamp). Every line arrives once
# over each, parsed into the expected JSON fields.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/syslog_lib.sh"
RSYSLOGD=/usr/sbin/rsyslogd
[ -x "$RSYSLOGD" ] || fail "$RSYSLOGD is needed (Debian's rsyslog; packaging/install-deps.sh installs it)"

P5424="$(free_port)"
P3164="$(free_port)"
[ "$P5424" != "$P3164" ] || P3164="$(free_port)"
O="$TMP/out.json"
start_syslog_agent "$O" "\"listen\":[\"tcp://127.0.0.1:$P5424\",\"tcp://127.0.0.1:$P3164\"],\"format\":\"json\""

N=1000
seq -f 'numbered line %g' 1 "$N" >"$TMP/in.log"
mkdir -p "$TMP/rs"
cat >"$TMP/rsyslog.conf" <<EOF
global(workDirectory="$TMP/rs" localHostname="rshost")
module(load="imfile")
input(type="imfile" File="$TMP/in.log" Tag="numbers:" Facility="local5" Severity="info")
action(type="omfwd" target="127.0.0.1" port="$P5424" protocol="tcp" TCP_Framing="octet-counted"
       template="RSYSLOG_SyslogProtocol23Format")
action(type="omfwd" target="127.0.0.1" port="$P3164" protocol="tcp"
       template="RSYSLOG_ForwardFormat")
EOF
check "rsyslogd accepts the configuration"
run "$RSYSLOGD" -N1 -f "$TMP/rsyslog.conf"
[ "$RC" -eq 0 ] || fail "rsyslogd -N1 refused the test configuration: $(cat "$OUT" "$ERR")"
"$RSYSLOGD" -n -f "$TMP/rsyslog.conf" -i "$TMP/rsyslogd.pid" >"$TMP/rsyslogd.log" 2>&1 &
RS=$!
BG_PIDS+=("$RS")

wait_records "$O" $((2 * N))
kill -TERM "$RS"
wait "$RS" 2>/dev/null

check "each line once over each framing, with the expected fields"
python3 - "$O" "$N" <<'EOF' || fail "records differ (above)"
import json, sys
path, n = sys.argv[1], int(sys.argv[2])
seen = {"rfc5424": [], "rfc3164": []}
bad = 0
for line in open(path, encoding="utf-8"):
    r = json.loads(line)
    proto = r.get("protocol")
    want = {"pri": 174, "facility": "local5", "severity": "info", "host": "rshost", "app": "numbers"}
    got = {k: r.get(k) for k in want}
    if proto not in seen or got != want or "timestamp" not in r or "parse_error" in r:
        bad += 1
        if bad < 5: print("unexpected record:", line.strip())
        continue
    seen[proto].append(r["message"])
expect = ["numbered line %d" % i for i in range(1, n + 1)]
for proto, msgs in seen.items():
    if msgs != expect:
        bad += 1
        print(f"{proto}: {len(msgs)} messages; first difference:",
              next(((a, b) for a, b in zip(msgs, expect) if a != b), "(length)"))
sys.exit(1 if bad else 0)
EOF
expect_metric malformed_messages 0
expect_metric connections_accepted 2
stop_agent
pass
