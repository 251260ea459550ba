#!/usr/bin/env bash
# `format: json` of stdout:V1 and logr:V1 through the real agent: every line written is one JSON
# object; plain lines are wrapped with the record time the input set (read time), the input's
# tag (mafio.batch_tag.v1) and the line, escaped; JSON object records pass with "ts" added.
. "$(dirname "$0")/lib.sh"

printf 'plain "quoted"\tline\n{"level":"info","n":{"ts":1}}\nbad \xff\x01 bytes\n{"ts":"mine","a":[1]}\n' >"$TMP/in.log"
before_ns=$(date +%s%N)

check "stdout format json: one object per line, tag and read time set"
expect_exit 0 "$MAFIO" -http-address=off "-data-dir=$TMP/state" -log-level=warn -f "{
  \"inputs\": [{\"plugin\": \"filereader:V2\", \"path\": \"$TMP/in.log\", \"exit_on_eof\": true,
               \"tag\": \"app.web\"}],
  \"filters\": [],
  \"outputs\": [{\"plugin\": \"stdout:V1\", \"format\": \"json\"},
                {\"plugin\": \"logr:V1\", \"path\": \"$TMP/out.json\", \"format\": \"json\"}]}"
after_ns=$(date +%s%N)
cp "$OUT" "$TMP/stdout.json"

for f in "$TMP/stdout.json" "$TMP/out.json"; do
    check "$(basename "$f"): the records as JSON, exactly"
    python3 - "$f" "$before_ns" "$after_ns" <<'PY' || fail "$f: unexpected JSON lines (above)"
import json, sys, datetime
path, before, after = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
lines = open(path, 'rb').read().decode('utf-8').split('\n')
assert lines[-1] == '', 'the file must end with a newline'
objs = [json.loads(l) for l in lines[:-1]]
assert len(objs) == 4, objs
def ns(ts):
    d = datetime.datetime.strptime(ts[:19], '%Y-%m-%dT%H:%M:%S').replace(tzinfo=datetime.timezone.utc)
    assert ts.endswith('Z') and len(ts) == 30, ts
    return int(d.timestamp()) * 10**9 + int(ts[20:29])
for o in objs:
    if o.get('ts') != 'mine':
        t = ns(o['ts'])
        assert before - 10**9 <= t <= after + 10**9, (o, before, after)
want = [
    {'tag': 'app.web', 'log': 'plain "quoted"\tline'},
    {'level': 'info', 'n': {'ts': 1}},
    {'tag': 'app.web', 'log': 'bad \ufffd\x01 bytes'},
    {'ts': 'mine', 'a': [1]},
]
for o, w in zip(objs, want):
    got = {k: v for k, v in o.items() if not (k == 'ts' and v != 'mine')}
    assert got == w, (got, w)
# Wrapped lines put ts, tag and log in that order; objects keep theirs after the added ts.
assert list(objs[0]) == ['ts', 'tag', 'log'], list(objs[0])
assert list(objs[1]) == ['ts', 'level', 'n'], list(objs[1])
print('ok')
PY
done

check "format raw (the default) still writes the bytes as they are"
expect_exit 0 "$MAFIO" -http-address=off "-data-dir=$TMP/state2" -log-level=warn -f "{
  \"inputs\": [{\"plugin\": \"filereader:V2\", \"path\": \"$TMP/in.log\", \"exit_on_eof\": true}],
  \"filters\": [], \"outputs\": [{\"plugin\": \"stdout:V1\"}]}"
expect_same_file "$TMP/in.log" "$OUT"

check "a format that does not exist is refused, naming the option and what is accepted"
expect_exit 1 "$MAFIO" -check -http-address=off "-data-dir=$TMP/state3" -f '{"inputs":[{"plugin":"stdin:V1"}],
  "outputs":[{"plugin":"stdout:V1","format":"xml"}]}'
expect_stderr_contains "format"
expect_stderr_contains "xml"
expect_stderr_contains "json"
pass
