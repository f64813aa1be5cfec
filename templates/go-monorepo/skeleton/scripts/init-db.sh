#!/usr/bin/env bash
# Creates one database and one login role per service, idempotently:
#   <name>_db owned by <name>_svc, CONNECT revoked from PUBLIC, so each service
#   user can open its own database and no other service's.
#
# Service names come from the arguments, else $SERVICES (space separated), else
# the directories services/<name>-service. Hyphens become underscores
# (order-history -> order_history_db / order_history_svc); the result must
# match ^[a-z][a-z0-9_]*$ and fit PostgreSQL's 63-byte identifiers.
#
# Passwords come from the environment: <NAME>_DB_PASSWORD (ORDER_HISTORY_DB_PASSWORD),
# else SERVICE_DB_PASSWORD. Re-running updates the password, creates what is
# missing and changes nothing else.
#
# Connection: the usual libpq variables (PGHOST, PGPORT, PGUSER, PGPASSWORD),
# POSTGRES_USER inside the postgres container (docker-entrypoint-initdb.d).
set -euo pipefail

die() { printf 'init-db: %s\n' "$*" >&2; exit 1; }

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

services=()
if (($# > 0)); then
  services=("$@")
elif [[ -n "${SERVICES:-}" ]]; then
  read -r -a services <<<"$SERVICES"
elif [[ -d "$script_dir/../services" ]]; then
  for dir in "$script_dir"/../services/*-service/; do
    [[ -d "$dir" ]] || continue
    name="$(basename "$dir")"
    services+=("${name%-service}")
  done
fi
# (No length-of expansions in this file: nunjucks renders it and reads a brace followed by a hash as a comment.)
if [[ -z "${services[*]:-}" ]]; then
  echo "init-db: no services given (arguments, \$SERVICES or services/*-service); nothing to do"
  exit 0
fi

export PGUSER="${PGUSER:-${POSTGRES_USER:-postgres}}"
export PGDATABASE="${PGDATABASE:-postgres}"

for service in "${services[@]}"; do
  ident="${service//-/_}"
  if [[ ! "$ident" =~ ^[a-z][a-z0-9_]*$ ]]; then
    die "service name '$service' is invalid: use lowercase letters, digits, '-' or '_', starting with a letter (e.g. order or order-history)"
  fi
  if (($(printf '%s' "$ident" | wc -c) > 59)); then
    die "service name '$service' is too long: at most 59 characters"
  fi
  db="${ident}_db"
  user="${ident}_svc"
  password_var="${ident^^}_DB_PASSWORD"
  password="${!password_var:-${SERVICE_DB_PASSWORD:-}}"
  if [[ -z "$password" ]]; then
    die "no password for $user: set $password_var or SERVICE_DB_PASSWORD"
  fi

  # psql variables (:'x' literal, :"x" identifier) quote every value, and
  # \gexec runs CREATE only when the object is missing.
  psql -X -q -v ON_ERROR_STOP=1 -v db="$db" -v usr="$user" -v pw="$password" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN', :'usr')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'usr') \gexec
ALTER ROLE :"usr" WITH LOGIN PASSWORD :'pw';
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'usr')
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \gexec
ALTER DATABASE :"db" OWNER TO :"usr";
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"db" TO :"usr";
SQL
  echo "init-db: $db ready (owner $user)"
done
