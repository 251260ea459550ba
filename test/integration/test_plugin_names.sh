#!/usr/bin/env bash
# Plugin names are checked before any file is opened: `name` is [a-z0-9_]+, `tag` [A-Za-z0-9_.]+.
#   1. -input=../x, a/b, /tmp/evil, a 4 KiB name, an uppercase name, an empty tag, a bad tag,
#      and the same for -output and -filter: exit 1, one clear message that says what is
#      accepted (mentions "a-z" and "0-9"), no crash. Bait files exist where a path-following loader would look,
#      so only the name check can refuse them.
#   2. -input=filereader:V9: exit 1, "not found"-style message listing the tags present.
#   3. -list-plugins: for each real plugin, its name:tag, kind, a version, a description and its
#      path.
. "$(dirname "$0")/lib.sh"

# Bait: real plugins where "../x", "a/b" and "$TMP/evil" would point if the name were used as a
# path, so a loader that skipped the name check would find a loadable file.
make_plugins_dir
stdin_so="$(ls "$MAFIO_PLUGINS"/stdin-*.so | head -n 1)"
mkdir -p "$PLUGDIR/a"
cp "$stdin_so" "$TMP/x-V1.so" && cp "$stdin_so" "$TMP/x.so"
cp "$stdin_so" "$PLUGDIR/a/b-V1.so" && cp "$stdin_so" "$PLUGDIR/a/b.so"
cp "$stdin_so" "$TMP/evil-V1.so" && cp "$stdin_so" "$TMP/evil.so"
long="$(head -c 4096 /dev/zero | tr '\0' a)"

bad_name() { # FLAG VALUE [TEXT the message must contain]
    local flag="$1" value="$2" text="${3:-}"
    log "---- $flag=$(_short_cmd "$value")"
    expect_exit 1 "$MAFIO" -plugins-dir "$PLUGDIR" "$flag=$value"
    check "stderr is not empty and is at most 20 lines"
    [ -s "$ERR" ] || fail "no message on stderr"
    [ "$(wc -l <"$ERR")" -le 20 ] || fail "$(wc -l <"$ERR") lines on stderr for one bad name"
    check "the message says which names are accepted (mentions a-z and 0-9)"
    grep -qF "a-z" "$ERR" && grep -qF "0-9" "$ERR" || fail "the message does not say what is accepted"
    [ -z "$text" ] || expect_stderr_contains "$text"
}

bad_name -input "../x" "../x"
bad_name -input "../x:V1" "../x"
bad_name -input "a/b" "a/b"
bad_name -input "$TMP/evil" "$TMP/evil"
bad_name -input "$long"
bad_name -input "$long:V1"
bad_name -input "stdin:$long"
bad_name -input "STDIN" "STDIN"
bad_name -input "Stdin:V1" "Stdin"
bad_name -input "stdin:" "stdin:"
bad_name -input "stdin:V1/../V1"
bad_name -input "stdin:V 1"
bad_name -output "../x" "../x"
bad_name -output "stdout,../x" "../x"
bad_name -filter "a/b" "a/b"

# A well-formed name that is not there: listed tags.
log "---- -input=filereader:V9"
expect_exit 1 "$MAFIO" -input=filereader:V9
expect_stderr_contains "filereader" "V9"
for f in "$MAFIO_PLUGINS"/filereader-*.so; do
    t="${f##*/filereader-}"
    expect_stderr_contains "${t%.so}"
done
log "---- -input=nosuchplugin"
expect_exit 1 "$MAFIO" -input=nosuchplugin
expect_stderr_contains "nosuchplugin" "not found"

# -list-plugins: every real plugin with name:tag, kind, version, description, path.
log "---- -list-plugins"
expect_exit 0 "$MAFIO" -list-plugins
kind_of() {
    case "$1" in
    stdin | filereader) echo input ;;
    valid) echo filter ;;
    stdout | logr) echo output ;;
    *) echo "" ;;
    esac
}
n=0
for so in "$MAFIO_PLUGINS"/*.so; do
    stem="$(basename "$so" .so)"
    name="${stem%%-*}"
    tag="${stem#*-}"
    n=$((n + 1))
    check "-list-plugins shows $name:$tag with its kind, a version, a description and $so"
    grep -qF "$name:$tag" "$OUT" || fail "$name:$tag is not listed: $(head -c 800 "$OUT")"
    # The plugin's entry: its line plus the next 4 (a one-line table or a small block).
    entry="$(grep -F -A4 "$name:$tag" "$OUT" | head -n 5)"
    grep -qF "$so" <<<"$entry" || fail "the entry of $name:$tag does not show its path $so: $entry"
    grep -qE '[0-9]+\.[0-9]+(\.[0-9]+)?' <<<"${entry//"$so"/}" || fail "the entry of $name:$tag shows no version: $entry"
    k="$(kind_of "$name")"
    if [ -n "$k" ]; then
        grep -qiw "$k" <<<"$entry" || fail "the entry of $name:$tag does not say its kind \"$k\": $entry"
    fi
    # A description: some string literal of the plugin itself (its description is one) appears in
    # the entry (its first 24 characters, in case a table cuts long descriptions).
    found=""
    while IFS= read -r str; do
        [[ "$str" == *"$name:$tag"* || "$str" == *mafio_plugin_entry* ]] && continue
        if grep -qF -- "${str:0:24}" <<<"$entry"; then found="$str"; break; fi
    done < <(strings -n 12 "$so" | grep -E '^[A-Za-z]' | grep ' ')
    [ -n "$found" ] || fail "the entry of $name:$tag shows none of the plugin's strings (no description?): $entry"
done
[ "$n" -ge 5 ] || fail "only $n real plugins in $MAFIO_PLUGINS, expected at least stdin filereader valid stdout logr"

pass
