#!/usr/bin/env bash
# The local services the PostgreSQL and worker tests use: PostgreSQL on
# 127.0.0.1:5432, Redis on 6379 and RabbitMQ on 5672. Starts any that is
# installed but not answering; says what is missing otherwise. Idempotent.
set -uo pipefail

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_for() {  # port, name
  for _ in $(seq 1 60); do listening "$1" && return 0; sleep 1; done
  echo "services: $2 did not come up on 127.0.0.1:$1" >&2
  return 1
}

status=0
if ! listening 5432; then
  if command -v pg_ctlcluster >/dev/null 2>&1; then
    echo "services: starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start
    wait_for 5432 PostgreSQL || status=1
  else
    echo "services: PostgreSQL is not running on 127.0.0.1:5432 and pg_ctlcluster is not installed" >&2
    status=1
  fi
fi
if ! listening 6379; then
  if command -v redis-server >/dev/null 2>&1; then
    echo "services: starting Redis"
    mkdir -p /var/lib/redis /var/log/redis
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
      --dir /var/lib/redis --logfile /var/log/redis/ci.log
    wait_for 6379 Redis || status=1
  else
    echo "services: Redis is not running on 127.0.0.1:6379 and redis-server is not installed" >&2
    status=1
  fi
fi
if ! listening 5672; then
  if command -v rabbitmq-server >/dev/null 2>&1; then
    echo "services: starting RabbitMQ"
    rabbitmq-server -detached
    wait_for 5672 RabbitMQ || status=1
  else
    echo "services: RabbitMQ is not running on 127.0.0.1:5672 and rabbitmq-server is not installed" >&2
    status=1
  fi
fi
exit $status
