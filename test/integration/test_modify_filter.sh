#!/usr/bin/env bash
# modify:V1 through the real agent, with exact expected output: wrap, rename, copy, remove,
# set, add with dotted paths and every placeholder; records that are not JSON objects pass
# unchanged without wrap; bad options are refused naming the option and what is accepted.
. "$(dirname "$0")/lib.sh"

agent() { # agent CONFIG-JSON: stdin from $TMP/in
    expect_exit 0 "$MAFIO" -http-address=off "-data-dir=$TMP/state" -log-level=warn \
        -agent-id=web-7 -agent-group=eu -f "$1" <"$TMP/in"
}
printf '%s\n' 'plain "line"' '{"a":{"b":1},"old":"x","gone":1,"keep":{"gone":2}}' \
    '{"n":5,"x":"not an object"}' >"$TMP/in"
host="$(hostname)"

check "every operation and placeholder, in the documented order"
export MAFIO_TEST_REGION=north
agent '{"inputs":[{"plugin":"stdin:V1","tag":"app.web"}],
  "filters":[{"plugin":"modify:V1","id":"enrich","wrap":true,
    "rename":{"old":"new.place"},"copy":{"a.b":"copied"},"remove":["gone","a"],
    "set":{"host":"${hostname}","agent":"${agent.id}@${agent.group}","t":"<${tag}>",
           "by":"${component}","region":"${env:MAFIO_TEST_REGION}","lit":"$${tag}","n":1},
    "add":{"n":99,"x.y":true,"deep.er":[1,"two"]}}],
  "outputs":[{"plugin":"stdout:V1"}]}'
common="\"host\":\"$host\",\"agent\":\"web-7@eu\",\"t\":\"<app.web>\",\"by\":\"enrich\",\"region\":\"north\",\"lit\":\"\${tag}\""
cat >"$TMP/want" <<EOF
{"log":"plain \"line\"",$common,"n":1,"x":{"y":true},"deep":{"er":[1,"two"]}}
{"keep":{"gone":2},"new":{"place":"x"},"copied":1,$common,"n":1,"x":{"y":true},"deep":{"er":[1,"two"]}}
{"n":1,"x":"not an object",$common,"deep":{"er":[1,"two"]}}
EOF
expect_same_file "$TMP/want" "$OUT"

check "without wrap a line that is not a JSON object passes unchanged"
agent '{"inputs":[{"plugin":"stdin:V1"}],
  "filters":[{"plugin":"modify:V1","add":{"k":"v"}}],"outputs":[{"plugin":"stdout:V1"}]}'
printf '%s\n' 'plain "line"' '{"a":{"b":1},"old":"x","gone":1,"keep":{"gone":2},"k":"v"}' \
    '{"n":5,"x":"not an object","k":"v"}' >"$TMP/want2"
expect_same_file "$TMP/want2" "$OUT"

check "wrap under another key"
printf 'x\n' >"$TMP/in"
agent '{"inputs":[{"plugin":"stdin:V1"}],
  "filters":[{"plugin":"modify:V1","wrap":"message"}],"outputs":[{"plugin":"stdout:V1"}]}'
printf '{"message":"x"}\n' >"$TMP/want3"
expect_same_file "$TMP/want3" "$OUT"

bad() { # bad FILTER-JSON TEXT...: -check refuses it, naming what is wrong
    local filter="$1"
    shift
    expect_exit 1 "$MAFIO" -check -http-address=off "-data-dir=$TMP/state" \
        -f "{\"inputs\":[{\"plugin\":\"stdin:V1\"}],\"filters\":[$filter],\"outputs\":[{\"plugin\":\"stdout:V1\"}]}"
    for text in "$@"; do expect_stderr_contains "$text"; done
}
check "bad options are refused with the option's path and what is accepted"
bad '{"plugin":"modify:V1","set":{"a":"${nope}"}}' 'nope is not set' # the config loader's
bad '{"plugin":"modify:V1","set":{"a":"${env:}"}}' 'filters[0].set.a' '${env:}' '${hostname}'
bad '{"plugin":"modify:V1","add":{"a..b":1}}' 'filters[0].add' '"a..b"' 'dotted path'
bad '{"plugin":"modify:V1","rename":{"a":1}}' 'filters[0].rename.a' 'new key as a string'
bad '{"plugin":"modify:V1","set":{"a":"${env:MAFIO_SURELY_UNSET}"}}' 'MAFIO_SURELY_UNSET is not set'
bad '{"plugin":"modify:V1","wrap":3}' 'filters[0].wrap' 'key to wrap under'
bad '{"plugin":"modify:V1","set":[1]}' 'filters[0].set' 'an object'
pass
