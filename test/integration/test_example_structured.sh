#!/usr/bin/env bash
# examples/structured.json, as the README tells a new user to run it: the example access log
# parsed (regex with types and the record time), enriched (modify), filtered (grep on a field)
# and written as JSON lines: exactly the example's 4xx and 5xx requests, each with its fields.
. "$(dirname "$0")/lib.sh"
cd "$MAFIO_SOURCE_DIR" || fail "no source dir"
cfg="$TMP/structured.json"
sed "s#/tmp/mafio-structured/state#$TMP/state#" examples/structured.json >"$cfg"
expect_exit 0 "$MAFIO" -check -config "$cfg"
expect_exit 0 "$MAFIO" -config "$cfg" -agent-id=example-1 -log-level=warn
python3 - "$OUT" examples/data/access.log "$(hostname)" <<'PY' || fail "unexpected records (above)"
import json, re, sys, datetime
out, log, host = sys.argv[1], sys.argv[2], sys.argv[3]
want = []
for line in open(log, encoding='utf-8'):
    m = re.match(r'^(\S+) \S+ (\S+) \[([^\]]+)\] "(\S+) (\S+) ([^"]+)" (\d{3}) (\d+) "([^"]*)" "([^"]*)" rt=([0-9.]+)$', line.rstrip('\n'))
    assert m, line
    if m.group(7)[0] in '45':
        want.append(m)
got = [json.loads(l) for l in open(out, encoding='utf-8')]
assert len(got) == len(want) and want, (len(got), len(want))
for g, m in zip(got, want):
    t = datetime.datetime.strptime(m.group(3), '%d/%b/%Y:%H:%M:%S %z').astimezone(datetime.timezone.utc)
    assert g['ts'] == t.strftime('%Y-%m-%dT%H:%M:%S.000000000Z'), (g['ts'], t)
    assert (g['remote_addr'], g['method'], g['path'], g['status'], g['size'], g['rt']) == \
        (m.group(1), m.group(4), m.group(5), int(m.group(7)), int(m.group(8)), float(m.group(11))), g
    assert g['host'] == host and g['agent_id'] == 'example-1' and g['source'] == 'web.access', g
print('ok: %d records, each a 4xx/5xx request of the example log with its fields' % len(got))
PY
pass
