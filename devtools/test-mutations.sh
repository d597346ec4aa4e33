#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-mp-pack contributors

# Mutation testing: make small semantic changes to the library and the
# apps, one at a time, and check that the tests notice each of them.

usage() {
	cat <<- END_OF_HELP
	usage: $(basename "$0") [-h] [-l] [-B] [-f TABLE] [-d DIR] [-t SECONDS] [-j N]
	       [MUTATION...]

	Applies each mutation of devtools/mutations.txt (or of the MUTATIONs
	given, by name or number) to a copy of the source tree, builds the copy
	incrementally, runs the tests the mutation lists, and prints one line
	per mutation: killed (which test failed, or the build), or SURVIVED.
	Ends with "N of M killed". The source tree itself is never changed.

	Before the mutations, the listed tests run once on the unchanged copy
	(the baseline): each must pass there, or a kill would mean nothing.
	Multi-process tests need hugepages (usertools/pack-env.sh).

	  -l          list the mutations and exit; fails when the original code
	              of one does not occur exactly once in its file
	  -B          no baseline run
	  -f TABLE    the mutation table (default: devtools/mutations.txt)
	  -d DIR      work directory: DIR/src is the copy, DIR/build its build
	              (default: \$MP_PACK_MUTATIONS_DIR or build-mutations/
	              in the source tree)
	  -t SECONDS  bound on the tests of one mutation (default 900)
	  -j N        tests run in parallel by meson test (default 2)
	Exit status: 0 when every mutation is killed, 1 when one survived,
	2 on a usage or table error.
	END_OF_HELP
}

[ "${1:-}" = --help ] && { usage ; exit 0 ; }

srcdir=$(cd "$(dirname "$0")/.." && pwd)
table=$srcdir/devtools/mutations.txt
work=${MP_PACK_MUTATIONS_DIR:-$srcdir/build-mutations}
list=false
baseline=true
bound=900
jobs=2
while getopts hlBf:d:t:j: arg ; do
	case $arg in
	l) list=true ;;
	B) baseline=false ;;
	f) table=$OPTARG ;;
	d) work=$OPTARG ;;
	t) bound=$OPTARG ;;
	j) jobs=$OPTARG ;;
	h) usage ; exit 0 ;;
	*) usage >&2 ; exit 2 ;;
	esac
done
shift $((OPTIND - 1))

# Meson and its Python tools want Debian's python3, not a pyenv one first on PATH.
py=python3
[ -x /usr/bin/python3 ] && py=/usr/bin/python3
meson=meson
[ -x /usr/bin/meson ] && meson=/usr/bin/meson

# The table, the copy and the test logs, in Python:
#   check TABLE TOP            every original occurs exactly once
#   list TABLE TOP             one line per mutation, for people
#   select TABLE TOP [SEL...]  NUM<TAB>NAME<TAB>FILE<TAB>TESTS<TAB>WHAT
#   apply TABLE TOP NUM        mutate the file under TOP
#   sync FROM TO               copy the files git knows of, changed ones only
#   failed LOG...              the tests of Meson JSON logs that did not pass
mut() {
	"$py" - "$@" << 'END_OF_PYTHON'
import json
import os
import re
import signal
import subprocess
import sys

signal.signal(signal.SIGPIPE, signal.SIG_DFL)


def die(msg):
    sys.stderr.write('test-mutations: %s\n' % msg)
    sys.exit(2)


def parse(path):
    muts = []
    try:
        lines = open(path, encoding='utf-8').read().splitlines()
    except OSError as e:
        die('cannot read the table: %s' % e)
    for n, ln in enumerate(lines, 1):
        if not ln.strip() or ln.startswith('#'):
            continue
        where = '%s:%d' % (path, n)
        if ln.startswith('== '):
            name, _, what = ln[3:].partition(': ')
            if not re.fullmatch(r'[a-z0-9][a-z0-9-]*', name) or not what.strip():
                die('%s: expected "== NAME: description"' % where)
            muts.append({'name': name, 'what': what.strip(), 'where': where,
                         'file': None, 'tests': [], 'old': [], 'new': []})
        elif not muts:
            die('%s: text before the first "== NAME: description"' % where)
        elif ln.startswith('file: '):
            muts[-1]['file'] = ln[6:].strip()
        elif ln.startswith('tests: '):
            muts[-1]['tests'] = ln[7:].split()
        elif ln.startswith('- ') or ln.startswith('+ '):
            muts[-1]['old' if ln[0] == '-' else 'new'].append(ln[2:].strip())
        else:
            die('%s: cannot parse: %s' % (where, ln))
    names = set()
    for m in muts:
        if m['name'] in names:
            die('%s: mutation %s listed twice' % (m['where'], m['name']))
        names.add(m['name'])
        if not m['file'] or not m['tests'] or not m['old']:
            die('%s: mutation %s needs a file, tests and - lines' % (m['where'], m['name']))
    return muts


def pattern(m):
    return r'\n[ \t]*'.join(re.escape(s) for s in m['old'])


def occurrences(m, top):
    path = os.path.join(top, m['file'])
    try:
        text = open(path, encoding='utf-8').read()
    except OSError as e:
        return None, str(e)
    return text, len(re.findall(pattern(m), text))


def check(muts, top):
    bad = 0
    for m in muts:
        text, k = occurrences(m, top)
        if text is None:
            print('%s: %s: %s' % (m['where'], m['name'], k))
            bad += 1
        elif k != 1:
            print('%s: %s: the original code occurs %d times in %s, not once:\n    %s'
                  % (m['where'], m['name'], k, m['file'], '\n    '.join(m['old'])))
            bad += 1
    if bad:
        die('%d mutation(s) out of date: fix the table' % bad)


def select(muts, sel):
    if not sel:
        return list(enumerate(muts, 1))
    out = []
    for s in sel:
        hits = [(i, m) for i, m in enumerate(muts, 1) if s in (m['name'], str(i))]
        if not hits:
            die('no mutation %s (see -l)' % s)
        out += hits
    return out


def apply(m, top):
    text, k = occurrences(m, top)
    if k != 1:
        die('%s: the original code occurs %s times' % (m['name'], k))
    match = re.search(pattern(m), text)
    start = text.rfind('\n', 0, match.start()) + 1
    indent = re.match(r'[ \t]*', text[start:]).group(0)
    # Nothing to put back: leave an empty statement, so an if keeps its body.
    new = ('\n' + indent).join(m['new']) if m['new'] else ';'
    with open(os.path.join(top, m['file']), 'w', encoding='utf-8') as f:
        f.write(text[:match.start()] + new + text[match.end():])


def sync(src, dst):
    files = subprocess.run(['git', '-C', src, 'ls-files', '-z', '-co', '--exclude-standard'],
                           capture_output=True, check=True).stdout.split(b'\0')
    changed = 0
    for f in (os.fsdecode(x) for x in files if x):
        s, d = os.path.join(src, f), os.path.join(dst, f)
        if not os.path.isfile(s) or os.path.islink(s):
            continue
        data = open(s, 'rb').read()
        if os.path.isfile(d) and open(d, 'rb').read() == data:
            continue    # unchanged: keep its time stamp, and the build
        os.makedirs(os.path.dirname(d), exist_ok=True)
        with open(d, 'wb') as out:
            out.write(data)
        os.chmod(d, os.stat(s).st_mode & 0o777)
        changed += 1
    print(changed)


def failed(logs):
    bad = []
    for log in logs:
        if not os.path.exists(log):
            bad.append('%s(no log)' % os.path.basename(log))
            continue
        for ln in open(log, encoding='utf-8'):
            r = json.loads(ln)
            if r['result'] != 'OK':
                bad.append('%s(%s)' % (r['name'].split(' / ')[-1], r['result'].lower()))
    print(' '.join(bad))


def main(cmd, args):
    if cmd == 'sync':
        return sync(*args)
    if cmd == 'failed':
        return failed(args)
    muts = parse(args[0])
    top = args[1]
    check(muts, top)
    if cmd == 'list':
        for i, m in enumerate(muts, 1):
            print('%2d %s: %s\n     %s; tests: %s' % (i, m['name'], m['what'], m['file'],
                                                     ' '.join(m['tests'])))
    elif cmd == 'select':
        for i, m in select(muts, args[2:]):
            print('\t'.join([str(i), m['name'], m['file'], ' '.join(m['tests']), m['what']]))
    elif cmd == 'apply':
        apply(muts[int(args[2]) - 1], top)


main(sys.argv[1], sys.argv[2:])
END_OF_PYTHON
}

if $list ; then
	[ $# -eq 0 ] || { usage >&2 ; exit 2 ; }
	mut list "$table" "$srcdir"
	exit $?
fi

now() { date +%s ; }
t_start=$(now)
copy=$work/src
build=$work/build
logs=$work/logs
chosen=$work/chosen.txt
mkdir -p "$copy" "$logs" || exit 2

# The copy follows the tree: only the files that changed are written.
echo "== copying $srcdir to $copy"
n=$(mut sync "$srcdir" "$copy") || exit 2
echo "   $n file(s) updated"
# The table as it is now: it may be edited while this runs.
cp "$table" "$work/table.txt" || exit 2
table=$work/table.txt
mut select "$table" "$copy" "$@" > "$chosen" || exit 2
total=$(wc -l < "$chosen")

killed=0
done_count=0

# The file under mutation, saved before, put back after (and on a signal).
saved=$work/saved
current=
restore() {
	if [ -n "$current" ] ; then
		cat "$saved" > "$copy/$current"
		current=
	fi
}
# shellcheck disable=SC2317 # run by the trap
interrupted() {
	trap - INT TERM HUP
	# meson test runs in its own process group (under timeout): stop it
	tpid=$(cat "$work/test.pid" 2>/dev/null)
	[ -n "$tpid" ] && kill -TERM "$tpid" 2>/dev/null
	while [ -n "$tpid" ] && kill -0 "$tpid" 2>/dev/null ; do sleep 1 ; done
	rm -f "$work/test.pid"
	restore
	echo
	echo "interrupted: $killed of $done_count killed so far; the source tree is unchanged"
	exit 130
}
trap interrupted INT TERM HUP

build_copy() {
	if [ ! -f "$build/build.ninja" ] ; then
		(cd "$copy" && $meson setup "$build" -Dwerror=false -Dtests=true) > "$1" 2>&1 ||
			return 1
	fi
	nice ninja -C "$build" >> "$1" 2>&1
}

# run_tests LOGBASE TESTS...: run the tests (Meson test names together, each
# suite and each e2e selection on its own) within the bound; sets bad to
# those that did not pass, empty when all did. It runs in this shell, so
# that a signal stops it at once.
run_tests() {
	base=$1
	shift
	names=
	others=
	for t in "$@" ; do
		case $t in
		*::*|suite:*) others="$others $t" ;;
		*) names="$names $t" ;;
		esac
	done
	k=0
	bad=
	deadline=$(( $(now) + bound ))
	for t in ${names:+_names} $others ; do
		# shellcheck disable=SC2086 # a list of test names
		case $t in
		_names) set -- $names ;;
		suite:*) set -- --suite "${t#suite:}" ;;
		*) set -- "${t%%::*}" --test-args "-k '$(echo "${t#*::}" | sed 's/,/ or /g')'" ;;
		esac
		k=$((k + 1))
		log=$build/meson-logs/$base-$k.json
		rm -f "$log"
		left=$(( deadline - $(now) ))
		[ $left -gt 0 ] || left=1
		timeout -s TERM -k 60 "$left" nice $meson test -C "$build" --no-rebuild \
			--num-processes "$jobs" --print-errorlogs --logbase "$base-$k" "$@" \
			>> "$logs/$base.log" 2>&1 &
		echo $! > "$work/test.pid"
		wait $!
		rc=$?
		rm -f "$work/test.pid"
		these=$(mut failed "$log")
		if [ $rc -eq 124 ] || [ $rc -eq 137 ] ; then
			these="$these time-bound(${t%%::*})"
		elif [ $rc -ne 0 ] && [ -z "$these" ] ; then
			these="meson-test-error($t)"
		fi
		bad="$bad${these:+ $these}"
	done
	bad=${bad# }
}

if $baseline ; then
	echo "== baseline: the tests of the mutations, without any mutation"
	t0=$(now)
	if ! build_copy "$logs/baseline-build.log" ; then
		echo "the unchanged copy does not build (see $logs/baseline-build.log)"
		exit 2
	fi
	# shellcheck disable=SC2046 # the tests, one word each
	run_tests baseline $(cut -f4 "$chosen" | tr ' ' '\n' | sort -u)
	if [ -n "$bad" ] ; then
		echo "   fails without any mutation: $bad (see $logs/baseline.log)"
		echo "   a kill would mean nothing: fix the tree or the table first"
		exit 2
	fi
	echo "   every listed test passes, in $(( $(now) - t0 ))s"
fi

echo "== $total mutation(s), one at a time (logs in $logs)"
survivors=
tab=$(printf '\t')
while IFS=$tab read -r num name file tests what <&3 ; do
	t0=$(now)
	rm -f "$logs/$name.log"
	cp "$copy/$file" "$saved" || exit 2
	current=$file
	mut apply "$table" "$copy" "$num" || { restore ; exit 2 ; }
	if build_copy "$logs/$name.log" ; then
		t1=$(now)
		# shellcheck disable=SC2086 # a list of tests
		run_tests "$name" $tests
		verdict=${bad:+killed by $bad}
	else
		t1=$(now)
		verdict="killed by the build (see $logs/$name.log)"
	fi
	restore
	t2=$(now)
	done_count=$((done_count + 1))
	if [ -n "$verdict" ] ; then
		killed=$((killed + 1))
	else
		verdict="SURVIVED ($what): $tests passed"
		survivors="$survivors $name"
	fi
	printf '%2s %-32s %s (build %ss, tests %ss)\n' "$num" "$name" "$verdict" \
		$((t1 - t0)) $((t2 - t1))
done 3< "$chosen"
trap - INT TERM HUP

echo
echo "$killed of $done_count killed in $(( $(now) - t_start ))s"
if [ -n "$survivors" ] ; then
	echo "survived:$survivors (each is a missing test: add it, keep the mutation)"
	exit 1
fi
exit 0
