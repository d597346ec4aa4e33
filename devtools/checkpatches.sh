#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-mp-pack contributors

# Check patches before sending them: the lines they add, DPDK-style.

usage() {
	cat <<- END_OF_HELP
	usage: $(basename "$0") [-h] [-q] [-n N | -r range | -a | patch ...]

	Check the lines added by patches (git format-patch output) or commits:
	SPDX tag on new files, trailing whitespace, lines over 100 columns,
	forbidden tokens (in lib/: printf, stdout/stderr, rte_exit, rte_panic, raw
	__attribute__, __sync builtins; in lib/, app/ and examples/: __atomic
	builtins and __ATOMIC orders, pthread create/join/detach/setname/
	setaffinity and scheduling attributes; in lib/ and app/: the
	experimental API flag; everywhere: %ll[xud] instead of PRI*64 and the
	words DPDK retired in 20.11; in RST: figures not ending in ".*"),
	clang-format drift on the added lines of C/C++ files, codespell on the
	added text, and symbols added to a version.map outside its
	EXPERIMENTAL block.

	  -n N      check the last N commits
	  -r range  check the commits of a git range, e.g. origin/main..
	  -a        check the whole tree (tracked files of the work tree) as if
	            every line were new; an exception for one file that matches
	            nothing is then an error
	  -q        print only the problems
	  patch     patch files; "-" or no argument reads stdin

	Tools: it installs nothing. python3 (Debian package python3) runs the
	checks and git (package git) reads -n/-r/-a: without them it says which
	package to install and exits with status 2. codespell and clang-format
	are optional, as codespell is for DPDK's checkpatches.sh: without one,
	its check is skipped and a warning names the package to install (the
	patches are then checked without it; devtools/test.sh installs both).

	Exceptions (e.g. a guide that names the retired words to explain their
	replacement) are listed in devtools/checkpatches-exceptions.txt; words
	codespell should accept, in devtools/codespell-ignore.txt.
	Exit status: 0 when every patch passes.
	END_OF_HELP
}

[ "${1:-}" = --help ] && { usage ; exit 0 ; }

need() { # need <command> <Debian package>
	command -v "$1" >/dev/null 2>&1 && return 0
	echo "$(basename "$0"): $1 not found: install the Debian package $2" >&2
	exit 2
}

devtools=$(cd "$(dirname "$0")" && pwd)
if [ -x /usr/bin/python3 ] ; then
	engine="/usr/bin/python3 $devtools/checkpatches.py"
else
	need python3 python3
	engine="python3 $devtools/checkpatches.py"
fi

count=
range=
all=false
quiet=
while getopts hqn:r:a arg ; do
	case $arg in
	n) count=$OPTARG ;;
	r) range=$OPTARG ;;
	a) all=true ;;
	q) quiet=-q ;;
	h) usage ; exit 0 ;;
	*) usage >&2 ; exit 2 ;;
	esac
done
shift $((OPTIND - 1))

if [ -n "$count" ] || [ -n "$range" ] || $all ; then
	need git git
	top=$(git rev-parse --show-toplevel 2>/dev/null) || {
		echo "$(basename "$0"): not in a git repository" >&2
		exit 2
	}
	cd "$top" || exit 2
fi

if $all ; then
	empty=$(git hash-object -t tree /dev/null)
	git diff --no-color --no-ext-diff --no-renames --full-index -U0 "$empty" -- |
	$engine $quiet --worktree --title "whole tree ($(git describe --always --dirty))"
elif [ -n "$count" ] ; then
	git format-patch --stdout --no-color --full-index -U3 -"$count" HEAD |
	$engine $quiet
elif [ -n "$range" ] ; then
	git format-patch --stdout --no-color --full-index -U3 "$range" | $engine $quiet
else
	if [ $# -eq 0 ] && [ -t 0 ] ; then
		echo "$(basename "$0"): no patch given and stdin is a terminal" >&2
		usage >&2
		exit 2
	fi
	# shellcheck disable=SC2086 # engine is a command with its script
	$engine $quiet "$@"
fi
