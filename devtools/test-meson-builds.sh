#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-mp-pack contributors

# Build the pack in every configuration a patch must survive, and time each.

usage() {
	cat <<- END_OF_HELP
	usage: $(basename "$0") [-h] [-n] [-j N] [-s STEPS] [-l]

	Builds, each in its own directory under \$MP_PACK_BUILDS_DIR (default:
	build-matrix/ in the source tree), with -Werror:
	  gcc-debug-shared gcc-debug-static gcc-release-shared gcc-release-static
	  clang-debug-shared clang-debug-static clang-release-shared
	  clang-release-static
	      (static: -Ddefault_library=static, librte_mpsupport linked
	      statically; Debian's static DPDK clashes with static libpcap
	      over bpf_validate, so DPDK stays shared here and is linked
	      statically by the make step instead)
	  asan        gcc with ASan and UBSan (warnings allowed: the debug builds
	              above fail on them), then meson test --suite fast-tests
	              --suite mp-tests in it
	  tsan        gcc with TSan, then the mpsupport unit and multi-process
	              tests in it
	  fuzz        clang with -Dfuzz=true: each libFuzzer target of
	              app/test/fuzz runs for \$FUZZ_SECONDS (default 60) on a
	              copy of its seed corpus; a crash fails the step and leaves
	              its input in fuzz/fuzz-artifacts/
	  install     meson install of gcc-release-shared into a staging prefix
	  make        each example built with plain make and pkg-config, shared
	              and static, against the staged librte_mpsupport and the
	              system (or PKG_CONFIG_PATH) libdpdk, by devtools/examples.mk
	  mutations   devtools/test-mutations.sh: each mutation of
	              devtools/mutations.txt must make a test fail (about 40
	              minutes; its copy and build are kept under mutations/)
	  dpdk-tree   a build against a DPDK build tree through its
	              meson-uninstalled pkg-config files; only when
	              \$DPDK_BUILD_DIR is set
	Prints the time each step takes, and a summary.

	  -n        dry run: print the commands, run nothing
	  -j N      ninja and make jobs (default 2)
	  -s STEPS  comma-separated subset of the steps above
	  -l        list the steps and exit
	Exit status: 0 when every step passes.
	END_OF_HELP
}

[ "${1:-}" = --help ] && { usage ; exit 0 ; }

dry=false
jobs=2
only=
list=false
while getopts hnj:s:l arg ; do
	case $arg in
	n) dry=true ;;
	j) jobs=$OPTARG ;;
	s) only=$OPTARG ;;
	l) list=true ;;
	h) usage ; exit 0 ;;
	*) usage >&2 ; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 0 ] || { usage >&2 ; exit 2 ; }

srcdir=$(cd "$(dirname "$0")/.." && pwd)
builds=${MP_PACK_BUILDS_DIR:-$srcdir/build-matrix}
stage=$builds/staging
pkgdir=$stage/usr/lib/pkgconfig
# Meson and its Python tools want Debian's python3, not a pyenv one first on PATH.
meson="meson"
[ -x /usr/bin/meson ] && meson=/usr/bin/meson

steps=
for cc in gcc clang ; do
	for bt in debug release ; do
		for lib in shared static ; do
			steps="$steps $cc-$bt-$lib"
		done
	done
done
steps="$steps asan tsan fuzz install make mutations"
[ -n "${DPDK_BUILD_DIR:-}" ] && steps="$steps dpdk-tree"

if $list ; then
	for s in $steps ; do echo "$s" ; done
	exit 0
fi
if [ -n "$only" ] ; then
	for s in $(echo "$only" | tr ',' ' ') ; do
		case " $steps " in
		*" $s "*) ;;
		*) echo "unknown step: $s (see -l)" >&2 ; exit 2 ;;
		esac
	done
	steps=$(echo "$only" | tr ',' ' ')
fi

# Print a command and run it unless dry; output goes to the step's log.
run() {
	echo "    $*"
	$dry && return 0
	"$@" >> "$log" 2>&1
}

now() { date +%s ; }

summary=
failed=0
step_start() {
	name=$1
	log=$builds/$name.log
	echo "== $name"
	$dry || { mkdir -p "$builds" ; : > "$log" ; }
	t0=$(now)
}
step_end() {
	rc=$1
	dt=$(( $(now) - t0 ))
	if [ "$rc" -eq 0 ] ; then
		res=ok
	else
		res="FAILED (see $log)"
		failed=$((failed + 1))
		$dry || tail -n 20 "$log" | sed 's/^/    | /'
	fi
	echo "   $name: $res in ${dt}s"
	summary="$summary$(printf '%-22s %6ss  %s' "$name" "$dt" "$res")
"
}

# build NAME CC CXX MESON-OPTIONS...: configure (or reconfigure) and build.
build() {
	dir=$builds/$1 ; c=$2 ; cxx=$3
	shift 3
	if [ -f "$dir/build.ninja" ] ; then
		verb=configure
	else
		verb=setup
	fi
	(cd "$srcdir" && run env CC="$c" CXX="$cxx" $meson $verb "$dir" -Dwerror=true "$@") ||
		return 1
	run nice ninja -C "$dir" -j "$jobs"
}

# DPDK's static link line names libsystemd: its -dev package must be there.
need_static_deps() {
	$dry && return 0
	[ -e /usr/lib/x86_64-linux-gnu/libsystemd.so ] && return 0
	pkg-config --exists libsystemd && return 0
	if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1 ; then
		echo "    apt-get install libsystemd-dev (static DPDK links with -lsystemd)"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q libsystemd-dev \
			>> "$log" 2>&1
	fi
}

matrix_step() {
	IFS=- read -r cc bt lib <<- EOF
	$1
	EOF
	if [ "$cc" = gcc ] ; then cxx=g++ ; else cxx=clang++ ; fi
	opts="-Dbuildtype=$bt"
	if [ "$lib" = static ] ; then
		need_static_deps
		opts="$opts -Ddefault_library=static"
	else
		opts="$opts -Ddefault_library=shared"
	fi
	# The shared release build is the one installed by the install step.
	[ "$1" = gcc-release-shared ] && opts="$opts -Dprefix=$stage/usr -Dlibdir=lib"
	# shellcheck disable=SC2086 # opts is a list of options
	build "$1" "$cc" "$cxx" $opts
}

asan_step() {
	# Warnings are the other builds' job (the same debug flags are built
	# with -Werror there); this one exists to run the tests under ASan.
	build asan gcc g++ -Dbuildtype=debug -Db_sanitize=address,undefined \
		-Db_lundef=false -Dwerror=false || return 1
	# Leak checking at exit is off: DPDK's memory outlives rte_eal_cleanup()
	# by design in a multi-process group. A secondary must map the primary's
	# memory at the same addresses, which ASan's own reservations take in a
	# process started later: every test process places DPDK's memory high,
	# above ASan's shadow and below its allocator.
	eal_extra="${MP_PACK_EAL_EXTRA:+$MP_PACK_EAL_EXTRA }--base-virtaddr=0x200000000000"
	run env ASAN_OPTIONS=detect_leaks=0:abort_on_error=0 MP_PACK_EAL_EXTRA="$eal_extra" \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		nice $meson test -C "$builds/asan" --suite fast-tests --suite mp-tests \
		--print-errorlogs --timeout-multiplier 3 --num-processes 1
}

tsan_step() {
	# The library's threads (exit notification, tracker) and the processes
	# it forks share its state: run its unit and multi-process tests under
	# TSan. The suppressions (app/test/mpsupport/tsan.supp) cover only
	# DPDK's ring code.
	build tsan gcc g++ -Dbuildtype=debugoptimized -Db_sanitize=thread \
		-Db_lundef=false -Dwerror=false -Dexamples= || return 1
	run nice $meson test -C "$builds/tsan" --suite mpsupport \
		--print-errorlogs --timeout-multiplier 3 --num-processes 1
}

fuzz_step() {
	secs=${FUZZ_SECONDS:-60}
	build fuzz clang clang++ -Dfuzz=true -Dexamples= -Dbuildtype=debugoptimized ||
		return 1
	run env FUZZ_SECONDS="$secs" nice $meson test -C "$builds/fuzz" --suite fuzz-smoke \
		--print-errorlogs --num-processes 1 --timeout-multiplier $((secs / 30 + 2))
	$dry || grep -h 'executions in' "$builds/fuzz/meson-logs/testlog.txt" | sed 's/^/    /'
}

install_step() {
	if ! $dry && [ ! -f "$builds/gcc-release-shared/build.ninja" ] ; then
		matrix_step gcc-release-shared || return 1
	fi
	run rm -rf "$stage"
	run $meson install -C "$builds/gcc-release-shared" --quiet
}

# Quoted names inside the calls NAME(...) of a meson fragment.
fragment_strings() {
	awk -v name="$2" '
	{ text = text $0 "\n" }
	END {
		while ((i = index(text, name "(")) > 0) {
			text = substr(text, i + length(name) + 1)
			call = substr(text, 1, index(text, ")") - 1)
			while (match(call, /\047[^\047]*\047/)) {
				print substr(call, RSTART + 1, RLENGTH - 2)
				call = substr(call, RSTART + RLENGTH)
			}
		}
	}' "$1"
}

make_step() {
	if ! $dry && [ ! -d "$pkgdir" ] ; then
		install_step || return 1
	fi
	need_static_deps
	status=0
	for frag in $(cd "$srcdir" && find examples -mindepth 2 -name meson.build | sort) ; do
		exdir=$(dirname "$frag")
		app=dpdk-$(basename "$exdir")
		srcs=$(fragment_strings "$srcdir/$frag" files | tr '\n' ' ')
		incs=$(fragment_strings "$srcdir/$frag" include_directories | tr '\n' ' ')
		[ -n "$srcs" ] || continue
		run env PKG_CONFIG_PATH="$pkgdir${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}" \
			make -s -j "$jobs" -f "$srcdir/devtools/examples.mk" \
			APP="$app" SRCDIR="$srcdir/$exdir" SRCS="$srcs" INCDIRS="$incs" \
			BUILDDIR="$builds/make/$app" shared static || status=1
		# The binary must find librte_mpsupport in the staging prefix.
		if ! $dry && [ -x "$builds/make/$app/$app-shared" ] &&
				ldd "$builds/make/$app/$app-shared" | grep -q 'not found' ; then
			echo "$app-shared: unresolved libraries" >> "$log"
			status=1
		fi
		# The static one must not need librte_mpsupport.so at all.
		bin=$builds/make/$app/$app-static
		if ! $dry && [ -x "$bin" ] && ldd "$bin" | grep -q librte_mpsupport ; then
			echo "$app-static: links librte_mpsupport.so" >> "$log"
			status=1
		fi
	done
	return $status
}

mutations_step() {
	# Its own copy of the tree and build, kept between runs: incremental.
	run nice "$srcdir/devtools/test-mutations.sh" -d "$builds/mutations" -j "$jobs"
}

dpdk_tree_step() {
	d=$DPDK_BUILD_DIR
	if [ ! -d "$d/meson-uninstalled" ] ; then
		echo "    no $d/meson-uninstalled: not a DPDK build tree"
		return 1
	fi
	(
		PKG_CONFIG_PATH="$d/meson-uninstalled${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
		export PKG_CONFIG_PATH
		echo "    PKG_CONFIG_PATH=$PKG_CONFIG_PATH"
		build dpdk-tree gcc g++ -Ddpdk_fallback=false
	) || return 1
	$dry && return 0
	# The examples must use the tree's EAL, not an installed one.
	for bin in "$builds"/dpdk-tree/examples/dpdk-* ; do
		[ -f "$bin" ] && [ -x "$bin" ] || continue
		if ! ldd "$bin" | grep librte_eal | grep -qF "$(cd "$d" && pwd)" ; then
			echo "    $bin does not load librte_eal from $d"
			return 1
		fi
	done
}

total0=$(now)
$dry && echo "(dry run: nothing is executed)"
for s in $steps ; do
	step_start "$s"
	case $s in
	gcc-*|clang-*) matrix_step "$s" ;;
	asan) asan_step ;;
	tsan) tsan_step ;;
	fuzz) fuzz_step ;;
	install) install_step ;;
	make) make_step ;;
	mutations) mutations_step ;;
	dpdk-tree) dpdk_tree_step ;;
	esac
	step_end $?
done
echo
echo "== summary (builds in $builds)"
printf '%s' "$summary"
echo "total: $(( $(now) - total0 ))s, $failed failed step(s)"
[ $failed -eq 0 ]
