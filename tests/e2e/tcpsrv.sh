# tcpsrv.sh - xapian-tcpsrv servers for the end-to-end tests, sourced after
# lib.sh.  Each server serves one index folder on 127.0.0.1 and a free port.
#
# xapian-tcpsrv answers SIGTERM with kill(0, SIGTERM): it kills its whole
# process group.  So each runs in a session of its own (setsid) and is
# stopped by its group, which takes the children it forks per connection
# too; an EXIT trap stops every server the test started, whatever happens.
# A test that uses these calls tcpsrv_require first: without xapian-tcpsrv
# it is skipped (exit 77, SKIP_RETURN_CODE in tests/CMakeLists.txt).

declare -A tcpsrv_group=() # port -> process group

tcpsrv_require() {
	command -v xapian-tcpsrv >/dev/null || {
		echo "SKIP: xapian-tcpsrv is missing (Debian: apt-get install xapian-tools)"
		exit 77
	}
	command -v setsid >/dev/null || die "setsid is missing"
}

tcpsrv_stop_all() {
	local port
	for port in "${!tcpsrv_group[@]}"; do
		tcpsrv_stop "$port"
	done
}
trap tcpsrv_stop_all EXIT

# tcpsrv_start DIR: serves index folder DIR; its port in $tcpsrv_port.
tcpsrv_start() {
	local dir=$1 port pid tries
	for tries in 1 2 3 4 5 6 7 8 9 10; do
		port=$((20000 + RANDOM % 40000))
		[[ -n ${tcpsrv_group[$port]:-} ]] && continue
		setsid xapian-tcpsrv --interface 127.0.0.1 --port "$port" "$dir" \
			>"$TMP/tcpsrv-$port.log" 2>&1 </dev/null &
		pid=$! # (a background job leads no group: setsid does not fork)
		local i
		for i in $(seq 200); do
			if grep -q "Listening" "$TMP/tcpsrv-$port.log"; then
				[[ $(ps -o sid= -p "$pid" | tr -d ' ') == "$pid" ]] ||
					die "xapian-tcpsrv on $port is not in a session of its own"
				tcpsrv_group[$port]=$pid
				tcpsrv_port=$port
				return 0
			fi
			kill -0 "$pid" 2>/dev/null || continue 2 # the port was taken
			sleep 0.05
		done
		kill -KILL -- "-$pid" 2>/dev/null
	done
	die "xapian-tcpsrv did not start: $(cat "$TMP/tcpsrv-$port.log" 2>/dev/null)"
}

# tcpsrv_stop PORT: stops the server and its children, and waits for them.
tcpsrv_stop() {
	local group=${tcpsrv_group[$1]:-}
	[[ -n $group ]] || return 0
	kill -CONT -- "-$group" 2>/dev/null
	kill -TERM -- "-$group" 2>/dev/null
	local i
	for i in $(seq 100); do
		pgrep -g "$group" >/dev/null || break
		sleep 0.05
	done
	kill -KILL -- "-$group" 2>/dev/null
	unset "tcpsrv_group[$1]"
}

# tcpsrv_pause PORT / tcpsrv_resume PORT: a server that stops answering.
tcpsrv_pause() { kill -STOP -- "-${tcpsrv_group[$1]}"; }
tcpsrv_resume() { kill -CONT -- "-${tcpsrv_group[$1]}"; }
