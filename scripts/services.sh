#!/usr/bin/env bash
# The local services the PostgreSQL and worker tests use: PostgreSQL on
# 127.0.0.1:5432, Redis on 6379 and RabbitMQ on 5672. Starts any that is
# installed but not answering; says what is missing otherwise. Idempotent.
set -uo pipefail

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# ensure PORT NAME COMMAND...: start NAME with COMMAND unless PORT answers
ensure() {
  local port=$1 name=$2
  shift 2
  listening "$port" && return 0
  if ! command -v "$1" >/dev/null 2>&1; then
    echo "services: $name is not running on 127.0.0.1:$port and $1 is not installed" >&2
    return 1
  fi
  echo "services: starting $name"
  "$@" || return 1
  for _ in $(seq 1 60); do listening "$port" && return 0; sleep 1; done
  echo "services: $name did not come up on 127.0.0.1:$port" >&2
  return 1
}

status=0
ensure 5432 PostgreSQL pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql 2>/dev/null | head -n1)" main start \
  || status=1
mkdir -p /var/lib/redis /var/log/redis 2>/dev/null
ensure 6379 Redis redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
  --dir /var/lib/redis --logfile /var/log/redis/ci.log || status=1
ensure 5672 RabbitMQ rabbitmq-server -detached || status=1
exit $status
