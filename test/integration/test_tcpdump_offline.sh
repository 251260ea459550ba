#!/usr/bin/env bash
# tcpdump:V1 reading capture files (read_file): a generated capture of crafted conversations
# (tcpdump_pcap_gen.py: reordered, duplicated and overlapping segments, a request line split
# over segments, pipelining, chunked and Content-Length bodies, an HTTP/1.0 response ending at
# close, IPv6, sequence wrap, garbage, an unanswered request, a RST-ended tcp_ports connection)
# gives exactly the expected records, under every link type, as pcap and as pcapng. Also:
# format original, and what -check says about permissions and bad options. Needs no privilege.
. "$(dirname "$0")/lib.sh"

GEN="$MAFIO_SOURCE_DIR/test/integration/tcpdump_pcap_gen.py"

same_records() { # EXPECTED GOT: the same JSON objects, in any order
    python3 - "$1" "$2" <<'PY'
import json, sys
def load(p):
    return sorted(json.dumps(json.loads(l), sort_keys=True) for l in open(p) if l.strip())
want, got = load(sys.argv[1]), load(sys.argv[2])
if want != got:
    for x in sorted(set(want) - set(got)): print("missing:    " + x)
    for x in sorted(set(got) - set(want)): print("unexpected: " + x)
    sys.exit(1)
PY
}

for link in ethernet sll sll2 null raw; do
    for ext in pcap pcapng; do
        cap="$TMP/$link.$ext"
        python3 "$GEN" "$cap" "$TMP/expected-$link.jsonl" "$link" || fail "the generator failed"
        cat >"$TMP/off.json" <<JSON
{"inputs": [{"plugin": "tcpdump:V1", "read_file": "$cap", "http_ports": ["8080"],
             "tcp_ports": 5432, "snaplen": "65535"}],
 "outputs": [{"plugin": "stdout"}]}
JSON
        expect_exit 0 "$MAFIO" -config "$TMP/off.json" -http-address "" -data-dir "$TMP/data-$link-$ext"
        check "$link $ext: records equal the expected $(wc -l <"$TMP/expected-$link.jsonl") exactly"
        diffs="$(same_records "$TMP/expected-$link.jsonl" "$OUT")" || fail "$link $ext: records differ:
$diffs"
    done
done

# format original: the original agent's Key:value text, one record per request.
cat >"$TMP/orig.json" <<JSON
{"inputs": [{"plugin": "tcpdump:V1", "read_file": "$TMP/ethernet.pcap", "http_ports": 8080,
             "format": "original"}],
 "filters": [], "outputs": [{"plugin": "stdout"}]}
JSON
expect_exit 0 "$MAFIO" -config "$TMP/orig.json" -http-address "" -data-dir "$TMP/data-orig"
check "format original writes SrcIp:...\\nSrcPort:... blocks"
python3 - "$OUT" <<'PY' || fail "format original: unexpected text (see above)"
import sys
text = open(sys.argv[1]).read()
want = ("SrcIp:10.0.0.1\nSrcPort:40001\nDstIp:10.0.0.2\nDstPort:8080\nMethod:GET\nUrl:/a/b?c=d\n"
        "Host:example.test\nStatus:200\nLatencyMs:3.000\nReqBytes:58\nRespBytes:50\n"
        "PackageType:http\nTime:2023-11-14T22:13:20.005000Z\n")
if want not in text or text.count("SrcIp:") != 8:
    print(text)
    sys.exit(1)
PY

# Permissions: live capture without CAP_NET_RAW is refused by -check in one line saying how to
# grant it; read_file needs no capability.
cat >"$TMP/live.json" <<JSON
{"inputs": [{"plugin": "tcpdump:V1", "interfaces": "lo", "http_ports": 8080}],
 "outputs": [{"plugin": "stdout"}]}
JSON
# A wrapper (run's timeout cannot call a shell function): as root, capsh drops the capability.
if [ "$(id -u)" -eq 0 ]; then
    command -v capsh >/dev/null || fail "capsh (Debian libcap2-bin) is needed to drop CAP_NET_RAW as root"
    printf '#!/bin/sh\nexec capsh --drop=cap_net_raw -- -c '"'"'exec "$@"'"'"' -- "$@"\n' >"$TMP/no-net-raw"
else
    printf '#!/bin/sh\nexec "$@"\n' >"$TMP/no-net-raw"
fi
chmod +x "$TMP/no-net-raw"
without_net_raw="$TMP/no-net-raw"
expect_exit 1 "$without_net_raw" "$MAFIO" -check -config "$TMP/live.json" -data-dir "$TMP/d1"
expect_stderr_contains "inputs[0]: live capture needs the CAP_NET_RAW capability" \
    "run mafio as root" "setcap cap_net_raw+ep" "AmbientCapabilities=CAP_NET_RAW"
check "the refusal is one line"
[ "$(grep -c 'CAP_NET_RAW' "$ERR")" -eq 1 ] || fail "expected one line about CAP_NET_RAW"
expect_exit 1 "$without_net_raw" "$MAFIO" -config "$TMP/live.json" -http-address "" -data-dir "$TMP/d2"
expect_stderr_contains "live capture needs the CAP_NET_RAW capability"
expect_exit 0 "$without_net_raw" "$MAFIO" -check -config "$TMP/orig.json" -data-dir "$TMP/d3"

# Bad options are named by their path.
cat >"$TMP/bad.json" <<JSON
{"inputs": [{"plugin": "tcpdump:V1", "read_file": "$TMP/absent.pcap", "http_ports": 80}],
 "outputs": [{"plugin": "stdout"}]}
JSON
expect_exit 1 "$MAFIO" -check -config "$TMP/bad.json" -data-dir "$TMP/d4"
expect_stderr_contains "inputs[0].read_file: cannot open \"$TMP/absent.pcap\""
cat >"$TMP/bad2.json" <<JSON
{"inputs": [{"plugin": "tcpdump:V1", "read_file": "$TMP/ethernet.pcap", "http_ports": 80,
             "ttl_per_minutes": "60"}], "outputs": [{"plugin": "stdout"}]}
JSON
expect_exit 1 "$MAFIO" -check -config "$TMP/bad2.json" -data-dir "$TMP/d5"
expect_stderr_contains "inputs[0].ttl_per_minutes: expected an integer from 0 to 50"
cat >"$TMP/bad3.json" <<JSON
{"inputs": [{"plugin": "tcpdump:V1", "read_file": "$TMP/ethernet.pcap", "http_ports": 80,
             "bpf": "host and"}], "outputs": [{"plugin": "stdout"}]}
JSON
expect_exit 1 "$MAFIO" -check -config "$TMP/bad3.json" -data-dir "$TMP/d6"
expect_stderr_contains "inputs[0].bpf: libpcap refuses \"host and\""
# An extra bpf narrows the capture: only 10.0.0.3's pipelined requests remain.
cat >"$TMP/narrow.json" <<JSON
{"inputs": [{"plugin": "tcpdump:V1", "read_file": "$TMP/ethernet.pcap", "http_ports": 8080,
             "bpf": "host 10.0.0.3"}], "filters": [], "outputs": [{"plugin": "stdout"}]}
JSON
expect_exit 0 "$MAFIO" -config "$TMP/narrow.json" -http-address "" -data-dir "$TMP/d7"
check "bpf host 10.0.0.3 keeps its 3 requests only"
[ "$(grep -c '"src":"10.0.0.3"' "$OUT")" -eq 3 ] && [ "$(wc -l <"$OUT")" -eq 3 ] ||
    fail "expected 3 records from 10.0.0.3, got: $(cat "$OUT")"

pass
