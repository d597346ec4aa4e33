#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-mp-pack contributors

# Check commit messages against the project's rules, which are DPDK's.

usage() {
	cat <<- END_OF_HELP
	usage: $(basename "$0") [-h] [-v] [-n N | -m FILE | range]

	Check the messages of git commits against DPDK's commit rules:
	  - subject "component: lowercase summary", at most 60 characters,
	    no trailing punctuation, no code identifier with an underscore
	    (a word naming a path the commit changes, e.g. simple_mp, is fine),
	  - body lines at most 75 characters (tags and URLs excepted),
	  - known tags, spelled right, in DPDK's order,
	  - "Fixes: <12 hex digits> (\"<subject>\")" naming a real commit, and
	    present whenever the subject says "fix",
	  - a "Signed-off-by: Name <address>" tag.

	  -n N      check the last N commits
	  -m FILE   check one message read from FILE ("-" for stdin); usable
	            as a commit-msg hook
	  -v        also print the commits that pass
	  range     a git revision range, e.g. HEAD~3.. or origin/main..

	Without -n, -m or a range, every commit of HEAD is checked, or only those
	after the baseline commit named by \$MP_PACK_GIT_LOG_BASE or by the file
	devtools/git-log-baseline (a commit id on its first line), if any.
	Merge commits are skipped. Exit status: 0 when every message passes.
	END_OF_HELP
}

[ "${1:-}" = --help ] && { usage ; exit 0 ; }
verbose=false
count=
msgfile=
while getopts hvn:m: arg ; do
	case $arg in
	n) count=$OPTARG ;;
	m) msgfile=$OPTARG ;;
	v) verbose=true ;;
	h) usage ; exit 0 ;;
	*) usage >&2 ; exit 2 ;;
	esac
done
shift $((OPTIND - 1))

# The rules, in awk: reads one message (subject on the first line), prints
# one line per problem, each starting with "  ".
check_message() {
	awk '
	function problem(msg) { print "  " msg; bad = 1 }
	function tagrank(t) {
		return (t in rank) ? rank[t] : -1
	}
	BEGIN {
		n = split("Coverity issue|Bugzilla ID|Fixes|Cc|Reported-by|" \
			"Suggested-by|Signed-off-by|Co-developed-by|Acked-by|" \
			"Reviewed-by|Tested-by", names, "|")
		for (i = 1; i <= n; i++) {
			rank[names[i]] = i
			lower[tolower(names[i])] = names[i]
		}
		lastrank = 0
		hex12 = "[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]"
		hex12 = hex12 hex12
		sob = "^Signed-off-by: [^<>]*[^ <>] <[^<> @]+@[^<> ]+>$"
	}
	# A commit-msg hook gets comments, and after "git commit -v" a diff.
	msgmode && /^# -+ >8 -+$/ { cut = 1 }
	cut || (/^#/ && msgmode) { next }
	NR == 1 {
		subject = $0
		if (length(subject) > 60)
			problem("Headline too long (" length(subject) " > 60 characters)")
		if (subject ~ /[.,;:!?]$/)
			problem("Headline ends with punctuation")
		if (subject ~ /[ \t]$/ || subject ~ /^[ \t]/ || subject ~ /  / || subject ~ /\t/)
			problem("Headline has stray whitespace")
		if (subject !~ /^[^ :]+: [^ ]/) {
			problem("Wrong headline format: expected \"component: summary\"")
		} else {
			prefix = subject
			sub(/: .*/, "", prefix)
			summary = subject
			sub(/^[^ :]+: /, "", summary)
			if (prefix !~ /^[a-z0-9][a-z0-9_.\/-]*$/ || prefix ~ /\/$/)
				problem("Wrong headline prefix \"" prefix "\": " \
					"lowercase component name expected")
			if (prefix ~ /^(lib|drivers)\//)
				problem("Wrong headline prefix \"" prefix "\": name the " \
					"library without \"" \
					substr(prefix, 1, index(prefix, "/")) "\"")
			if (summary ~ /^[A-Z][a-z]/)
				problem("Wrong headline uppercase: \"" summary "\" " \
					"should start lowercase")
			# Checked against the changed paths by the shell.
			nw = split(summary, words, /[^A-Za-z0-9_.\/-]+/)
			for (i = 1; i <= nw; i++)
				if (words[i] ~ /_/)
					print "UNDERSCORE " words[i]
		}
		if (tolower(subject) ~ /(^|[^a-z])fix/)
			isfix = 1
		next
	}
	NR == 2 && $0 != "" {
		problem("Missing blank line after the headline")
	}
	{
		line = $0
		tag = ""
		if (match(line, /^[A-Za-z][A-Za-z -]*[A-Za-z]:/) &&
				line ~ /^[A-Za-z][A-Za-z -]*[A-Za-z]: ?[^ ]/) {
			tag = substr(line, 1, RLENGTH - 1)
			known = tolower(tag) in lower
			if (known && !(tag in rank)) {
				problem("Wrong tag \"" tag ":\", expected \"" \
					lower[tolower(tag)] ":\"")
				tag = lower[tolower(tag)]
			} else if (!known && tag ~ /-by$/) {
				problem("Unknown tag \"" tag ":\"")
			}
			if (tag in rank) {
				if (rank[tag] < lastrank)
					problem("Wrong tag order: \"" tag ":\" after \"" \
						lasttag ":\"")
				else {
					lastrank = rank[tag]
					lasttag = tag
				}
				if (line !~ /^[A-Za-z -]+: [^ ]/)
					problem("Wrong tag format: " line)
				if (tag == "Fixes") {
					nfixes++
					if (line !~ ("^Fixes: " hex12 " \\(\".*\"\\)$"))
						problem("Wrong \"Fixes\" format: " line)
					else
						print "FIXES " substr(line, 8, 12) " " \
							substr(line, 23, length(line) - 24)
				}
				if (tag == "Signed-off-by") {
					if (line ~ sob)
						signed = 1
					else
						problem("Wrong \"Signed-off-by\" format, " \
							"expected \"Name <address>\": " line)
				}
				next
			}
		}
		if (length(line) > 75 && line !~ /:\/\//)
			problem("Line too long (" length(line) " > 75 characters): " \
				substr(line, 1, 40) "...")
	}
	END {
		if (isfix && !nfixes)
			problem("Missing \"Fixes\" tag for a fix")
		if (!signed)
			problem("Missing \"Signed-off-by\" tag")
		exit bad
	}' msgmode="$1"
}

# Check one message on stdin; $1: label, $2: message mode, $3: the paths the
# commit changes. Verifies Fixes references with git. A word with an
# underscore in the headline is a code identifier unless it names a file or
# directory the commit changes (an example such as simple_mp, as in DPDK).
check_one() {
	out=$(check_message "$2")
	label=$1
	errs=$(printf '%s\n' "$out" | grep '^  ')
	for word in $(printf '%s\n' "$out" | sed -n 's/^UNDERSCORE //p') ; do
		if ! printf '%s\n' "$3" | grep -qF -- "$word" ; then
			errs=$(printf '%s\n  Wrong headline underscore: "%s" %s' "$errs" "$word" \
				"is a code identifier, not a path the commit changes")
		fi
	done
	errs=$(printf '%s\n' "$errs" | grep .)
	fixes=$(printf '%s\n' "$out" | sed -n 's/^FIXES //p')
	if [ -n "$fixes" ] ; then
		errs=$(printf '%s\n' "$errs" ; printf '%s\n' "$fixes" | while read -r id title ; do
			full=$(git rev-parse -q --verify "$id^{commit}" 2>/dev/null)
			if [ -z "$full" ] ; then
				echo "  Wrong \"Fixes\" reference: no commit $id"
			elif [ "$(git log -1 --format=%s "$full")" != "$title" ] ; then
				echo "  Wrong \"Fixes\" reference: $id is" \
					"\"$(git log -1 --format=%s "$full")\""
			fi
		done)
		errs=$(printf '%s\n' "$errs" | grep .)
	fi
	if [ -n "$errs" ] ; then
		printf '%s\n%s\n' "$label" "$errs"
		return 1
	fi
	$verbose && printf '%s: ok\n' "$label"
	return 0
}

if [ -n "$msgfile" ] ; then
	if [ "$msgfile" = - ] ; then
		msg=$(cat)
	else
		msg=$(cat "$msgfile") || exit 2
	fi
	first=$(printf '%s\n' "$msg" | grep -v '^#' | head -n1)
	paths=$(git diff --cached --name-only 2>/dev/null)
	printf '%s\n' "$msg" | check_one "message: $first" 1 "$paths"
	exit $?
fi

git rev-parse --git-dir >/dev/null 2>&1 || {
	echo "$(basename "$0"): not in a git repository" >&2
	exit 2
}

if [ -n "$count" ] ; then
	range="-n $count HEAD"
elif [ $# -gt 0 ] ; then
	range="$*"
else
	base=${MP_PACK_GIT_LOG_BASE:-}
	top=$(git rev-parse --show-toplevel)
	if [ -z "$base" ] && [ -s "$top/devtools/git-log-baseline" ] ; then
		base=$(sed -n '1{s/[^0-9a-f].*//;p;}' "$top/devtools/git-log-baseline")
	fi
	if [ -n "$base" ] ; then
		range="$base..HEAD"
	else
		range=HEAD
	fi
fi

# shellcheck disable=SC2086 # the range may be several words
commits=$(git log --no-merges --format=%H $range) || exit 2
total=0
bad=0
for commit in $commits ; do
	total=$((total + 1))
	label="$(git log -1 --format='%h %s' "$commit")"
	paths=$(git diff-tree --no-commit-id --name-only -r --root "$commit")
	git log -1 --format='%B' "$commit" | check_one "$label" "" "$paths" ||
		bad=$((bad + 1))
done
echo "$((total - bad))/$total valid commit messages"
[ $bad -eq 0 ]
