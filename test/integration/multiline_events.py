#!/usr/bin/env python3
"""Numbered multi-line events for the multiline:V1 tests (test_multiline_live.sh).

Event n of source NAME is the line "NAME n start" followed by n % 4 lines "\\tat NAME.f<n>_<k>"
(java preset continuation lines). The writer puts each event into the file in two writes, so
that a reader often sees only part of one: what multiline must hold across batches.

  write PATH NAME FIRST COUNT [RATE]   append events FIRST..FIRST+COUNT-1 (RATE events/s, or all
                                        at once)
  complete OUT NAME:COUNT...           exit 0 once every line of events 0..COUNT-1 is in OUT
  check OUT NAME:COUNT... [--whole-below N] [--max-split S]
                                        OUT (logr:V1 format json) holds every line of those events
                                        exactly once and in order, and no record mixes two events
                                        (or two sources); events below N are each one whole
                                        record; at most S events (in all) are cut into parts.
"""
import json
import re
import sys
import time

START = re.compile(r'^(\w+) (\d+) start$')
CONT = re.compile(r'^\tat (\w+)\.f(\d+)_(\d+)$')


def event_lines(name, n):
    return ['%s %d start' % (name, n)] + ['\tat %s.f%d_%d' % (name, n, k) for k in range(n % 4)]


def write(path, name, first, count, rate=0.0):
    t0 = time.monotonic()
    with open(path, 'a') as f:
        for i, n in enumerate(range(first, first + count)):
            lines = event_lines(name, n)
            cut = (len(lines) + 1) // 2
            f.write(''.join(l + '\n' for l in lines[:cut]))
            f.flush()
            f.write(''.join(l + '\n' for l in lines[cut:]))
            f.flush()
            if rate > 0:
                ahead = (i + 1) / rate - (time.monotonic() - t0)
                if ahead > 0.002:
                    time.sleep(ahead)


def parse(line):
    m = START.match(line)
    if m:
        return m.group(1), int(m.group(2)), -1
    m = CONT.match(line)
    if m:
        return m.group(1), int(m.group(2)), int(m.group(3))
    return None


def records(out):
    try:
        with open(out) as f:
            return [json.loads(l)['log'] for l in f if l.strip()]
    except FileNotFoundError:
        return []


def analyse(out, wanted):
    """Returns (problems, per-source delivered lines, events cut into parts, parts per event)."""
    problems = []
    got = {name: [] for name in wanted}
    parts = {}
    for r in records(out):
        keys = [parse(l) for l in r.split('\n')]
        if None in keys:
            problems.append('a record with a line that no event has: %r' % r[:120])
            continue
        ev = {(k[0], k[1]) for k in keys}
        if len(ev) != 1:
            problems.append('a record mixes events %s: %r' % (sorted(ev)[:4], r[:160]))
        ks = [k[2] for k in keys]
        if ks != list(range(ks[0], ks[0] + len(ks))):
            problems.append('a record whose lines are not consecutive: %r' % r[:160])
        for name, n, _ in keys:
            if name in got:
                got[name].append((n, _))
        for e in ev:
            parts[e] = parts.get(e, 0) + 1
    return problems, got, parts


def expected(name, count):
    return [(n, k) for n in range(count) for k in range(-1, n % 4)]


def main():
    cmd = sys.argv[1]
    if cmd == 'write':
        write(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]),
              float(sys.argv[6]) if len(sys.argv) > 6 else 0.0)
        return 0
    out, rest = sys.argv[2], sys.argv[3:]
    whole_below, max_split = 0, 0
    wanted = {}
    i = 0
    while i < len(rest):
        if rest[i] == '--whole-below':
            whole_below = int(rest[i + 1])
            i += 2
        elif rest[i] == '--max-split':
            max_split = int(rest[i + 1])
            i += 2
        else:
            name, count = rest[i].split(':')
            wanted[name] = int(count)
            i += 1
    problems, got, parts = analyse(out, wanted)
    if cmd == 'complete':
        return 0 if all(set(expected(n, c)) <= set(got[n]) for n, c in wanted.items()) else 1
    lines = 0
    for name, count in wanted.items():
        want = expected(name, count)
        have = got[name]
        lines += len(have)
        seen = set()
        dups = [k for k in have if k in seen or seen.add(k)]
        missing = sorted(set(want) - seen)
        if dups:
            problems.append('%s: %d line(s) delivered twice, e.g. %s' % (name, len(dups), dups[:3]))
        if missing:
            problems.append('%s: %d line(s) missing, e.g. %s' % (name, len(missing), missing[:3]))
        if not dups and not missing and have != want:
            problems.append('%s: every line once, but out of order' % name)
        cut = sorted(n for (s, n), p in parts.items() if s == name and p > 1 and n < whole_below)
        if cut:
            problems.append('%s: events below %d cut into parts: %s' % (name, whole_below, cut[:5]))
    split = sum(1 for p in parts.values() if p > 1)
    if split > max_split:
        problems.append('%d event(s) cut into parts, at most %d expected' % (split, max_split))
    print('events: %s; %d lines delivered, %d records, %d event(s) cut into parts' %
          (', '.join('%s:%d' % kv for kv in wanted.items()), lines, len(records(out)), split))
    for p in problems[:10]:
        print('FAIL: ' + p)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
