#!/usr/bin/env bash
# Local Redis topologies on loopback ports, from Debian's redis-server (docs/topologies.md).
#
#   scripts/redis-topology.sh start|stop|status|env single|split|cluster|sentinel|all
#
#   single    one Redis                                  7300
#   split     a primary and two replicas                 7100 (primary), 7101, 7102
#   cluster   6 nodes: 3 masters, one replica each       7000-7005 (cluster bus 17000-17005)
#   sentinel  a primary, two replicas, three sentinels   7200 (primary), 7201, 7202; sentinels 7210-7212
#
# REDIS_TOPOLOGY_BASE_PORT (default 7000) moves them all: the ports above are that base plus
# 0-5, 100-102, 200-202, 210-212 and 300 (npm run test:topologies picks a free base per run;
# pass the same base to stop, status and env).
# Each node lives in .redis-topology/<topology>/<port>/ (pidfile, log, config). `start` is
# idempotent: it starts only the nodes that are not running (so it also brings back a node a
# test killed) and returns once the topology is serving. `stop` stops each node by the PID in
# its pidfile (never by name) and removes the folder. `env` prints the app's settings for it.
# No persistence: these are for tests and benchmarks.
# No pipefail: `... | grep -q` would fail whenever grep stops reading early.
set -eu

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BASE="${REDIS_TOPOLOGY_DIR:-$ROOT/.redis-topology}"
HOST=127.0.0.1
SENTINEL_NAME=flashgate

say() { echo "[redis-topology] $*" >&2; }
die() { say "error: $*"; exit 1; }

# Every port is this base plus an offset; the cluster bus adds 10000 more.
P="${REDIS_TOPOLOGY_BASE_PORT:-7000}"
[[ "$P" =~ ^[0-9]+$ && "$P" -ge 1024 && "$P" -le 55000 ]] || die "REDIS_TOPOLOGY_BASE_PORT=$P is not a port from 1024 to 55000"

ports_of() {
  case "$1" in
    single) echo $((P + 300)) ;;
    split) echo $((P + 100)) $((P + 101)) $((P + 102)) ;;
    cluster) echo $((P + 0)) $((P + 1)) $((P + 2)) $((P + 3)) $((P + 4)) $((P + 5)) ;;
    sentinel) echo $(sentinel_data_ports) $(sentinel_ports) ;;
    *) die "unknown topology '$1' (single, split, cluster, sentinel)" ;;
  esac
}
sentinel_data_ports() { echo $((P + 200)) $((P + 201)) $((P + 202)); }
sentinel_ports() { echo $((P + 210)) $((P + 211)) $((P + 212)); }

cli() { redis-cli -h "$HOST" -p "$1" "${@:2}"; }

# The PID in a node's pidfile, if that process is alive and is a redis-server on that port.
node_pid() {
  local dir="$BASE/$1/$2" pid
  [[ -f "$dir/redis.pid" ]] || return 1
  pid="$(cat "$dir/redis.pid")"
  [[ -n "$pid" && -r "/proc/$pid/cmdline" ]] || return 1
  # redis-server sets its title to "redis-server 127.0.0.1:<port>": a reused PID is not ours.
  local title
  title="$(tr '\0' ' ' <"/proc/$pid/cmdline")"
  [[ "$title" =~ redis.*:$2([^0-9]|$) ]] || return 1
  echo "$pid"
}

wait_for() { # wait_for <seconds> <description> <command...>
  local limit=$(($1 * 10)) what="$2"
  shift 2
  for ((i = 0; i < limit; i++)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  die "timed out after $((limit / 10)) s waiting for $what"
}

# wait_replica <topology> <port>: until the replica is in sync; on a timeout, show its log.
wait_replica() {
  local log="$BASE/$1/$2/redis.log"
  for ((i = 0; i < 300; i++)); do
    if link_up "$2"; then return 0; fi
    sleep 0.1
  done
  [[ -f "$log" ]] && tail -n 15 "$log" >&2
  cli "$2" info replication >&2 || true
  die "timed out after 30 s waiting for replica $2 in sync"
}

pong() { [[ "$(cli "$1" ping 2>/dev/null)" == PONG ]]; }
link_up() { cli "$1" info replication 2>/dev/null | grep -q '^master_link_status:up'; }

# start_node <topology> <port> [redis-server args...]: a data node, unless it already runs.
start_node() {
  local topology="$1" port="$2" dir="$BASE/$1/$2"
  shift 2
  if node_pid "$topology" "$port" >/dev/null; then return 0; fi
  if pong "$port"; then die "port $port is taken by a process this script did not start"; fi
  mkdir -p "$dir"
  rm -f "$dir/redis.pid"
  redis-server --bind "$HOST" --port "$port" --dir "$dir" --daemonize yes \
    --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" \
    --save "" --appendonly no --repl-diskless-sync-delay 0 --enable-debug-command local "$@"
  wait_for 10 "redis-server on port $port" pong "$port"
  say "$topology: started $port (pid $(cat "$dir/redis.pid"))"
}

start_sentinel() { # start_sentinel <port> <primary port>
  local port="$1" primary="$2" dir="$BASE/sentinel/$1"
  if node_pid sentinel "$port" >/dev/null; then return 0; fi
  if pong "$port"; then die "port $port is taken by a process this script did not start"; fi
  mkdir -p "$dir"
  rm -f "$dir/redis.pid"
  # Sentinel rewrites its own config file (the current primary, the other sentinels).
  if [[ ! -f "$dir/sentinel.conf" ]]; then
    cat >"$dir/sentinel.conf" <<EOF
bind $HOST
port $port
dir $dir
sentinel monitor $SENTINEL_NAME $HOST $primary 2
sentinel down-after-milliseconds $SENTINEL_NAME 1000
sentinel failover-timeout $SENTINEL_NAME 3000
sentinel parallel-syncs $SENTINEL_NAME 1
EOF
  fi
  redis-server "$dir/sentinel.conf" --sentinel --daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/redis.log"
  wait_for 10 "sentinel on port $port" pong "$port"
  say "sentinel: started sentinel $port (pid $(cat "$dir/redis.pid"))"
}

cluster_ok() { cli "$1" cluster info 2>/dev/null | grep -q '^cluster_state:ok'; }
cluster_formed() { [[ "$(cli "$P" cluster info 2>/dev/null | sed -n 's/^cluster_slots_assigned:\([0-9]*\).*/\1/p')" == 16384 ]]; }
cluster_replicas_up() {
  local p n=0
  for p in $(ports_of cluster); do
    if cli "$p" info replication | grep -q '^role:slave'; then
      link_up "$p" || return 1
      n=$((n + 1))
    fi
  done
  [[ $n -eq 3 ]]
}
sentinels_ready() {
  local p
  for p in $(sentinel_ports); do
    [[ "$(cli "$p" sentinel replicas "$SENTINEL_NAME" 2>/dev/null | grep -c '^name$')" -ge 2 ]] || return 1
    [[ "$(cli "$p" sentinel sentinels "$SENTINEL_NAME" 2>/dev/null | grep -c '^name$')" -ge 2 ]] || return 1
  done
}
sentinel_primary() { cli "$1" sentinel get-master-addr-by-name "$SENTINEL_NAME" 2>/dev/null | sed -n 2p; }
# The primary's port when every running sentinel names the same one.
agreed_primary() {
  local p answer seen=""
  for p in $(sentinel_ports); do
    node_pid sentinel "$p" >/dev/null || continue
    answer="$(sentinel_primary "$p")"
    [[ -n "$answer" ]] || return 1
    [[ -z "$seen" || "$seen" == "$answer" ]] || return 1
    seen="$answer"
  done
  [[ -n "$seen" ]] && echo "$seen"
}
# Settled: the sentinels agree on a primary that is one, the two other nodes replicate from
# it in sync, and every sentinel knows both replicas and the other sentinels.
sentinel_settled() {
  local primary p
  primary="$(agreed_primary)" || return 1
  cli "$primary" info replication | grep '^role:master' >/dev/null || return 1
  for p in $(sentinel_data_ports); do
    [[ "$p" == "$primary" ]] && continue
    cli "$p" info replication | grep "^master_port:$primary" >/dev/null || return 1
    link_up "$p" || return 1
  done
  sentinels_ready
}
wait_sentinel_settled() {
  for ((i = 0; i < 300; i++)); do
    if sentinel_settled; then return 0; fi
    sleep 0.1
  done
  for p in $(sentinel_data_ports); do echo "-- $p" >&2; cli "$p" info replication 2>&1 | head -6 >&2; done
  for p in $(sentinel_ports); do echo "-- sentinel $p: primary $(sentinel_primary "$p")" >&2; done
  die "timed out after 30 s waiting for the sentinel topology to settle"
}

start() {
  command -v redis-server >/dev/null || die "redis-server is not installed (apt-get install -y redis-server redis-tools)"
  case "$1" in
    single)
      start_node single $((P + 300))
      ;;
    split)
      start_node split $((P + 100))
      start_node split $((P + 101)) --replicaof "$HOST" $((P + 100))
      start_node split $((P + 102)) --replicaof "$HOST" $((P + 100))
      wait_replica split $((P + 101))
      wait_replica split $((P + 102))
      ;;
    cluster)
      local p nodes=()
      for p in $(ports_of cluster); do
        start_node cluster "$p" --cluster-enabled yes --cluster-config-file "$BASE/cluster/$p/nodes.conf" --cluster-node-timeout 2000
        nodes+=("$HOST:$p")
      done
      if ! cluster_formed; then
        say "cluster: creating 3 masters with one replica each"
        redis-cli --cluster create "${nodes[@]}" --cluster-replicas 1 --cluster-yes >"$BASE/cluster/$P/create.log" 2>&1 ||
          die "redis-cli --cluster create failed (see $BASE/cluster/$P/create.log)"
      fi
      for p in $(ports_of cluster); do wait_for 30 "cluster state ok on $p" cluster_ok "$p"; done
      wait_for 30 "every cluster replica in sync" cluster_replicas_up
      ;;
    sentinel)
      # After a failover the primary is whichever node the running sentinels agree on; a
      # restarted node starts as its replica (on a fresh start: base + 200, 7200 by default, and two replicas).
      local primary=$((P + 200)) p running=0
      for p in $(sentinel_ports); do node_pid sentinel "$p" >/dev/null && running=$((running + 1)); done
      if [[ $running -gt 0 ]]; then
        wait_for 15 "the running sentinels to agree on the primary" agreed_primary
        primary="$(agreed_primary)"
      fi
      start_node sentinel "$primary"
      for p in $(sentinel_data_ports); do
        [[ "$p" == "$primary" ]] || start_node sentinel "$p" --replicaof "$HOST" "$primary"
      done
      for p in $(sentinel_ports); do start_sentinel "$p" "$primary"; done
      wait_sentinel_settled
      ;;
  esac
  say "$1: up"
}

stop() {
  local topology="$1" port pid stopped=0
  for port in $(ports_of "$topology"); do
    if pid="$(node_pid "$topology" "$port")"; then
      kill "$pid" 2>/dev/null || true
      for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
      stopped=$((stopped + 1))
    fi
    rm -rf "${BASE:?}/$topology/$port"
  done
  # Only this base's nodes: the same topology on another base (another run) keeps running.
  rmdir "$BASE/$topology" 2>/dev/null || true
  say "$topology: stopped ($stopped node(s) were running)"
}

status() {
  local topology="$1" port pid
  for port in $(ports_of "$topology"); do
    if pid="$(node_pid "$topology" "$port")"; then
      echo "$topology $port running pid $pid $(cli "$port" info replication 2>/dev/null | sed -n 's/^role:\(.*\)\r$/\1/p')"
    else
      echo "$topology $port stopped"
    fi
  done
}

# The app's settings for a topology (KEY=value lines, for `env $(...)` or a .env file).
print_env() {
  case "$1" in
    single) printf 'REDIS_TOPOLOGY=single\nREDIS_URL=redis://%s:%s\n' "$HOST" $((P + 300)) ;;
    split)
      printf 'REDIS_TOPOLOGY=split\nREDIS_URL=redis://%s:%s\n' "$HOST" $((P + 100))
      printf 'REDIS_REPLICA_URLS=redis://%s:%s,redis://%s:%s\n' "$HOST" $((P + 101)) "$HOST" $((P + 102))
      ;;
    cluster) printf 'REDIS_TOPOLOGY=cluster\nREDIS_CLUSTER_NODES=%s\n' "$(for p in $(ports_of cluster); do printf '%s:%s,' "$HOST" "$p"; done | sed 's/,$//')" ;;
    sentinel)
      printf 'REDIS_TOPOLOGY=sentinel\nREDIS_SENTINEL_NAME=%s\n' "$SENTINEL_NAME"
      printf 'REDIS_SENTINELS=%s\n' "$(for p in $(sentinel_ports); do printf '%s:%s,' "$HOST" "$p"; done | sed 's/,$//')"
      ;;
  esac
}

[[ $# -eq 2 ]] || die "usage: $0 start|stop|status|env single|split|cluster|sentinel|all"
action="$1"
if [[ "$2" == all ]]; then topologies=(single split cluster sentinel); else ports_of "$2" >/dev/null; topologies=("$2"); fi
for t in "${topologies[@]}"; do
  case "$action" in
    start) start "$t" ;;
    stop) stop "$t" ;;
    status) status "$t" ;;
    env) print_env "$t" ;;
    *) die "unknown action '$action' (start, stop, status, env)" ;;
  esac
done
