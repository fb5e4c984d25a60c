# tcpsrv.sh - xapian-tcpsrv servers for the e2e tests of remote indexes
# (newsgrep --db HOST:PORT), sourced after lib.sh:
#
#   . "$(dirname "$0")/lib.sh"
#   . "$(dirname "$0")/tcpsrv.sh"
#   tcpsrv_require
#
# tcpsrv_require exits 77 when xapian-tcpsrv (xapian-tools) or setsid
# (util-linux) is missing; tests/CMakeLists.txt counts 77 as skipped for
# every e2e test.
#
# The functions:
#   tcpsrv_start DIR [OPTION...]  serves the index folder DIR on 127.0.0.1 and
#                                 a free port, put in $tcpsrv_port (the server's
#                                 output goes to $tcpsrv_log, under $TMP)
#   tcpsrv_stop PORT              stops it, with its connections, and waits
#   tcpsrv_pause PORT             SIGSTOPs it and its connections: a client
#   tcpsrv_resume PORT            gets no answer until SIGCONT
#   tcpsrv_pgid PORT              its process group
#   tcpsrv_group PGID             the live processes of a group, one per line
#   tcpsrv_greets PORT SECONDS    whether a new connection gets the server's
#                                 greeting within SECONDS
#   tcpsrv_stub PORT FILE         writes a Xapian stub for it ("remote
#                                 127.0.0.1:PORT"), for quest -d FILE
# Every server a test started is stopped when it exits, however (at_exit).
#
# What is served: the index folder itself, not its db.N. Xapian 1.4 opens a
# folder holding a file XAPIANDB through it as a stub, and newsgrep's stub is
# that file, one line "auto db.N". The server opens the databases anew for
# each connection (it forks a child per connection), so a new connection
# sees the index as it is then, a --rebuild's db.N+1 included (t24 checks
# it). A connection kept open sees a later update of db.N after
# Database::reopen(), but after a rebuild its reopen() fails with
# DatabaseNotFoundError ("REMOTE:DIR/db.N/iamglass: Failed to open glass
# revision file for reading", db.N swept), while it still answers from the
# old db.N, whose files its child holds open: a client that meets that error
# must connect again to see the rebuild. (Measured with Xapian 1.4.22, the
# kept connection with a small C++ client of Xapian::Remote::open.)
#
# Process groups: xapian-tcpsrv answers SIGTERM with kill(0, SIGTERM), which
# signals its whole process group; started like any command it would kill
# the test and whatever shares the group (ctest, a CI job). So each server
# is started with setsid, in a session and group of its own whose id is its
# pid, and is stopped and paused by its group, which its per-connection
# children share. It stays a child of the test (setsid does not fork in a
# shell without job control), so that ctest, which kills a test that
# times out with its whole process tree (found by parent, not by group),
# kills the server and its connections too (seen with CMake 3.25).

command -v at_exit >/dev/null || {
	echo "tcpsrv.sh: source lib.sh first" >&2
	exit 1
}

declare -A tcpsrv_pgids=() # port -> process group (= the server's pid)
tcpsrv_port='' tcpsrv_log=''
tcpsrv_logs=0
# Ports tcpsrv_start tries before random ones (a test of its retry sets it).
tcpsrv_try_ports=()

tcpsrv_require() {
	if ! command -v xapian-tcpsrv >/dev/null || ! command -v setsid >/dev/null; then
		echo "${0##*/}: skipped: needs xapian-tcpsrv (xapian-tools) and setsid (util-linux)"
		exit 77
	fi
}

# tcpsrv_group PGID: the pids of the group's live processes (not zombies).
tcpsrv_group() {
	ps -e -o pid=,pgid=,stat= | awk -v g="$1" '$2 == g && $3 !~ /^Z/ { print $1 }'
}

# tcpsrv_alive PID: whether PID runs (a zombie, exited but not yet waited
# for, does not).
tcpsrv_alive() {
	local state
	state=$(ps -o stat= -p "$1") && [[ $state != Z* ]]
}

tcpsrv_pgid() {
	[[ -n ${tcpsrv_pgids[$1]:-} ]] || die "no xapian-tcpsrv of this test on port $1"
	echo "${tcpsrv_pgids[$1]}"
}

# tcpsrv_listening PID LOG: waits until the server says it listens (0), or
# has exited or is still silent after 10 s (1).
tcpsrv_listening() {
	local pid=$1 log=$2 i
	for ((i = 0; i < 200; i++)); do
		grep -qs '^Listening\.\.\.' "$log" && return 0
		tcpsrv_alive "$pid" || return 1
		sleep 0.05
	done
	return 1
}

# tcpsrv_start DIR [OPTION...]: OPTIONs go to xapian-tcpsrv before DIR
# (--idle-timeout MSECS, say), but not --quiet: its "Listening..." line
# is what says the port is ours. A port is drawn at random below Linux's
# range of ephemeral ports (32768-60999) and another is tried when the
# server cannot bind it.
tcpsrv_start() {
	local dir=$1 try port pid
	shift
	[[ " $* " != *" --quiet "* ]] || die "tcpsrv_start: no --quiet: the server must say when it listens"
	# With job control each background job leads a group, so setsid would
	# fork and leave the server out of reach of $!.
	[[ $- != *m* ]] || die "tcpsrv_start: job control (set -m) is on"
	for ((try = 0; try < 20; try++)); do
		if ((try < ${#tcpsrv_try_ports[@]})); then
			port=${tcpsrv_try_ports[try]}
		else
			port=$((20000 + RANDOM % 12000))
		fi
		tcpsrv_logs=$((tcpsrv_logs + 1))
		tcpsrv_log=$TMP/tcpsrv-$port-$tcpsrv_logs.log
		setsid xapian-tcpsrv --interface 127.0.0.1 --port "$port" "$@" "$dir" \
			</dev/null >"$tcpsrv_log" 2>&1 &
		pid=$!
		if tcpsrv_listening "$pid" "$tcpsrv_log"; then
			# (setsid forks when it leads a group already: then $!
			# would not be the server.)
			[[ $(ps -o pgid= -p "$pid" | tr -d ' ') == "$pid" ]] || {
				kill -KILL "$pid"
				die "xapian-tcpsrv (pid $pid) did not get a process group of its own"
			}
			tcpsrv_pgids[$port]=$pid
			tcpsrv_port=$port
			return 0
		fi
		if tcpsrv_alive "$pid"; then
			kill -KILL -- "-$pid" 2>/dev/null
			wait "$pid"
			die "xapian-tcpsrv on $dir did not listen within 10 s: $(cat "$tcpsrv_log")"
		fi
		wait "$pid"
		grep -qs 'already in use' "$tcpsrv_log" ||
			die "xapian-tcpsrv on $dir failed: $(cat "$tcpsrv_log")"
	done
	die "xapian-tcpsrv found no free port in 20 tries"
}

# tcpsrv_kill PORT: stops the server's group (SIGTERM, SIGKILL after 5 s)
# and waits for the server; 1 if the group outlived both.
tcpsrv_kill() {
	local pgid=${tcpsrv_pgids[$1]} i
	unset "tcpsrv_pgids[$1]"
	kill -TERM -- "-$pgid" 2>/dev/null
	kill -CONT -- "-$pgid" 2>/dev/null # a paused group acts on SIGTERM once continued
	for ((i = 0; i < 100; i++)); do
		[[ -z $(tcpsrv_group "$pgid") ]] && break
		sleep 0.05
	done
	if [[ -n $(tcpsrv_group "$pgid") ]]; then
		kill -KILL -- "-$pgid" 2>/dev/null
		sleep 0.2
	fi
	wait "$pgid" 2>/dev/null
	[[ -z $(tcpsrv_group "$pgid") ]]
}

tcpsrv_stop() {
	local pgid
	pgid=$(tcpsrv_pgid "$1") || exit 1
	tcpsrv_kill "$1" || die "xapian-tcpsrv's group $pgid (port $1) outlived SIGKILL: $(tcpsrv_group "$pgid")"
}

tcpsrv_pause() {
	local pgid
	pgid=$(tcpsrv_pgid "$1") || exit 1
	kill -STOP -- "-$pgid" || die "cannot stop xapian-tcpsrv's group $pgid"
}

tcpsrv_resume() {
	local pgid
	pgid=$(tcpsrv_pgid "$1") || exit 1
	kill -CONT -- "-$pgid" || die "cannot continue xapian-tcpsrv's group $pgid"
}

# tcpsrv_stop_all: at exit, every server still running, without dying.
tcpsrv_stop_all() {
	local port
	for port in "${!tcpsrv_pgids[@]}"; do
		tcpsrv_kill "$port" || echo "tcpsrv.sh: a xapian-tcpsrv (port $port) outlived SIGKILL" >&2
	done
}
at_exit tcpsrv_stop_all

# tcpsrv_greets PORT SECONDS: connects and waits up to SECONDS for the first
# byte of the remote protocol's greeting, which a server sends at once.
tcpsrv_greets() {
	local fd got
	{ exec {fd}<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 1
	got=$(timeout "$2" head -c 1 <&"$fd" | wc -c)
	exec {fd}>&-
	[[ $got == 1 ]]
}

tcpsrv_stub() {
	printf 'remote 127.0.0.1:%s\n' "$1" >"$2" || die "cannot write $2"
}
