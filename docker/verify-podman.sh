#!/usr/bin/env bash
# Verifies the container image on a machine without a Docker engine, with podman/buildah from Debian packages:
#
#   1. a local debian:bookworm-slim base made with debootstrap (no registry is needed),
#   2. the release binaries built on the host (static Swift runtime),
#   3. the runtime stage of docker/Dockerfile built from them (docker/Dockerfile.runtime-local),
#   4. the image run with --network host against the local RabbitMQ and PostgreSQL: conciergectl migrate, topology
#      and queues; a worker answering /healthz, /readyz and /metrics as the non-root user; the image's HEALTHCHECK;
#      a graceful stop on SIGTERM.
#
# It prints what it verified and what it could not. Run by hand, as root, on Debian 12 (it is not part of
# scripts/test or CI). Takes a few minutes the first time (debootstrap ~90 s, the release build), less afterwards.
#
# Environment:
#   CONCIERGE_PODMAN_WORK  work directory (default /var/tmp/concierge-podman): rootfs, build context, containers.conf
#   CONCIERGE_SCRATCH      SwiftPM scratch path for the release build (default .build-release in the repository)
#   CONCIERGE_BIN_DIR      use release binaries already built there instead of building
#   CONCIERGE_IMAGE        tag to build (default localhost/concierge:local)
#   DEBIAN_MIRROR          mirror for debootstrap (default: the first one in apt's sources)
#   AMQP_URL, POSTGRES_URL the services to run against (default: the local ones scripts/services starts, with a
#                          freshly created database concierge_verify_podman)
#   CONCIERGE_SKIP_APT=1   never call apt-get
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD

WORK=${CONCIERGE_PODMAN_WORK:-/var/tmp/concierge-podman}
IMAGE=${CONCIERGE_IMAGE:-localhost/concierge:local}
BASE_IMAGE=localhost/debian:bookworm-slim
export AMQP_URL=${AMQP_URL:-amqp://concierge:concierge@127.0.0.1:5672/%2f}
# Without POSTGRES_URL, a fresh local database, so `conciergectl migrate` really applies every migration.
FRESH_DB=
if [ -z "${POSTGRES_URL:-}" ]; then
  FRESH_DB=concierge_verify_podman
  export POSTGRES_URL=postgres://concierge:concierge@127.0.0.1:5432/$FRESH_DB
fi
PRODUCTS=(conciergectl concierge-classifier concierge-responder concierge-escalation concierge-payout)
HEALTH_PORT=${CONCIERGE_VERIFY_PORT:-18080}

verified=()
log() { printf '[verify-podman] %s\n' "$*" >&2; }
ok() { verified+=("$*"); printf '[verify-podman] OK  %s\n' "$*" >&2; }
fail() { printf '[verify-podman] FAIL %s\n' "$*" >&2; exit 1; }

mkdir -p "$WORK"

# --- tools -----------------------------------------------------------------------------------------------------
need=()
# libcurl4-openssl-dev: a static Swift runtime links FoundationNetworking (the responder's LLM client) against libcurl.
for p in podman buildah debootstrap runc libcurl4-openssl-dev; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  [ "${CONCIERGE_SKIP_APT:-0}" = 1 ] && fail "missing packages: ${need[*]}"
  log "installing ${need[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
# crun cannot run here (cgroups in hybrid mode) and the sandbox refuses to raise rlimits: runc and fixed ulimits.
cat > "$WORK/containers.conf" <<'CONF'
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]

[engine]
runtime = "runc"
CONF
export CONTAINERS_CONF=$WORK/containers.conf
ok "podman $(podman --version | awk '{print $3}'), buildah $(buildah --version | awk '{print $3}'), runc runtime"

# --- base image ------------------------------------------------------------------------------------------------
if podman image exists "$BASE_IMAGE"; then
  log "base image $BASE_IMAGE exists (podman rmi it to rebuild)"
else
  # The first Debian mirror apt uses: "URIs:" in deb822 .sources files, or a "deb" line in .list files.
  mirror=${DEBIAN_MIRROR:-$( { sed -nE 's/^URIs:[[:space:]]*([^[:space:]]+).*/\1/p' /etc/apt/sources.list.d/*.sources
                               sed -nE 's/^deb[[:space:]]+(\[[^]]*\][[:space:]]+)?([^[:space:]]+).*/\2/p' \
                                 /etc/apt/sources.list /etc/apt/sources.list.d/*.list; } 2>/dev/null \
                             | grep -E '/debian/?$' | head -1 || true)}
  mirror=${mirror:-http://deb.debian.org/debian}
  rootfs=$WORK/rootfs
  rm -rf "$rootfs"
  log "debootstrap --variant=minbase bookworm from $mirror (about 90 s)"
  debootstrap --variant=minbase bookworm "$rootfs" "$mirror" > "$WORK/debootstrap.log" 2>&1 \
    || fail "debootstrap (see $WORK/debootstrap.log)"
  # What the official slim image also does: no docs, no apt caches.
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  tar -C "$rootfs" -c . | podman import --change 'CMD ["bash"]' - "$BASE_IMAGE" >/dev/null
  rm -rf "$rootfs"
fi
ok "base image $BASE_IMAGE (debootstrap minbase bookworm, $(podman image inspect --format '{{.Size}}' "$BASE_IMAGE" | awk '{printf "%.0f MB", $1/1e6}'))"

# --- host binaries ---------------------------------------------------------------------------------------------
if [ -n "${CONCIERGE_BIN_DIR:-}" ]; then
  bin=$CONCIERGE_BIN_DIR
else
  scratch=${CONCIERGE_SCRATCH:-$REPO/.build-release}
  log "swift build -c release --static-swift-stdlib --scratch-path $scratch"
  swift build -c release --static-swift-stdlib --scratch-path "$scratch" >"$WORK/swift-build.log" 2>&1 \
    || { tail -30 "$WORK/swift-build.log" >&2; fail "swift build (see $WORK/swift-build.log)"; }
  bin=$(swift build -c release --static-swift-stdlib --scratch-path "$scratch" --show-bin-path)
fi
for p in "${PRODUCTS[@]}"; do [ -x "$bin/$p" ] || fail "missing $bin/$p"; done
bundles=("$bin"/*.resources)
[ -d "${bundles[0]}" ] || fail "no resource bundle (*.resources) in $bin"
# Each module that owns tables ships its migrations in its own bundle (Migrator+Fleet.swift lists them).
for module in ConciergeRuntime ClassifierWorker ResponderWorker EscalationWorker PayoutWorker AgentCredentials ConciergeSchema; do
  [ -d "$bin/concierge_$module.resources/Migrations" ] || fail "no migrations in $bin/concierge_$module.resources"
done
if ldd "$bin/conciergectl" | grep -q 'libswiftCore'; then
  fail "$bin/conciergectl links the Swift runtime dynamically: build with --static-swift-stdlib"
fi
ok "host release binaries in $bin (Swift runtime static; bundle $(basename "${bundles[0]}"))"

# --- build context and image -----------------------------------------------------------------------------------
context=$WORK/context
rm -rf "$context"
mkdir -p "$context/staging/bin"
for p in "${PRODUCTS[@]}"; do cp "$bin/$p" "$context/staging/bin/" && strip --strip-debug "$context/staging/bin/$p"; done
cp -R "${bundles[@]}" "$context/staging/bin/"
cp docker/concierge-healthcheck "$context/staging/bin/"
cp -R config "$context/staging/config"
rm -rf "$context/staging/config/samples"
log "podman build -f docker/Dockerfile.runtime-local (apt-get inside reaches the Debian mirror)"
podman build --format docker --build-arg RUNTIME_IMAGE="$BASE_IMAGE" -f docker/Dockerfile.runtime-local \
  -t "$IMAGE" "$context" > "$WORK/podman-build.log" 2>&1 || { tail -30 "$WORK/podman-build.log" >&2; fail "podman build"; }
size=$(podman image inspect --format '{{.Size}}' "$IMAGE" | awk '{printf "%.0f MB", $1/1e6}')
ok "runtime stage built: $IMAGE ($size)"

user=$(podman image inspect --format '{{.Config.User}}' "$IMAGE")
[ "$user" = "10001:10001" ] || fail "image user is '$user', expected 10001:10001"
hc=$(podman image inspect --format '{{json .Config.Healthcheck.Test}}' "$IMAGE")
echo "$hc" | grep -q concierge-healthcheck || fail "no HEALTHCHECK in image config ($hc)"
ok "image config: USER $user, HEALTHCHECK $hc"

# One-shot runs need no health-check timer (podman would try to set one up through systemd, absent here).
run() { podman run --rm --no-healthcheck --network host -e AMQP_URL -e POSTGRES_URL "$@"; }
missing_libs=$(run "$IMAGE" bash -c 'for p in '"${PRODUCTS[*]}"'; do ldd "/opt/concierge/bin/$p"; done' | grep 'not found' || true)
[ -z "$missing_libs" ] || fail "unresolved libraries in the image: $missing_libs"
ok "every executable's shared libraries resolve inside the image (librabbitmq4, libpq5, glibc)"
whoami_in=$(run "$IMAGE" id -u)
[ "$whoami_in" = 10001 ] || fail "container runs as uid $whoami_in"
ok "container runs as non-root uid 10001"

# --- against the local services --------------------------------------------------------------------------------
if [ -n "$FRESH_DB" ]; then
  su postgres -c "dropdb --if-exists $FRESH_DB && createdb -O concierge $FRESH_DB" || fail "cannot create database $FRESH_DB"
  ok "fresh database $FRESH_DB"
fi
out=$(run "$IMAGE" conciergectl migrate) || fail "conciergectl migrate"
ok "conciergectl migrate in the container: $out"
out=$(run "$IMAGE" conciergectl topology) || fail "conciergectl topology"
ok "conciergectl topology in the container: $out"
out=$(run "$IMAGE" conciergectl queues) || fail "conciergectl queues"
printf '%s\n' "$out" | sed 's/^/    /' >&2
printf '%s\n' "$out" | grep -q 'concierge.classifier' || fail "conciergectl queues did not list concierge.classifier"
ok "conciergectl queues in the container lists the fleet's queues"

name=concierge-verify-$$
cleanup() { podman rm -f "$name" >/dev/null 2>&1 || true; }
trap cleanup EXIT
podman run -d --name "$name" --network host -e AMQP_URL -e POSTGRES_URL -e HTTP_PORT="$HEALTH_PORT" \
  -e SHUTDOWN_GRACE_SECONDS=5 "$IMAGE" concierge-classifier >/dev/null 2>"$WORK/podman-run.log"
probe() { curl -fsS --max-time 2 "http://127.0.0.1:$HEALTH_PORT$1"; }
for i in $(seq 1 60); do probe /healthz >/dev/null 2>&1 && break; sleep 0.5; done
probe /healthz >/dev/null || { podman logs "$name" | tail -20 >&2; fail "/healthz did not answer"; }
ok "concierge-classifier in the container answers GET /healthz on :$HEALTH_PORT"
for i in $(seq 1 60); do probe /readyz >/dev/null 2>&1 && break; sleep 0.5; done
probe /readyz >/dev/null || { podman logs "$name" | tail -20 >&2; fail "/readyz not ready"; }
ok "concierge-classifier is ready (GET /readyz 200: consuming concierge.classifier)"
probe /metrics | grep -q '^concierge_' || fail "/metrics has no concierge_ series"
ok "GET /metrics serves concierge_* Prometheus series"
# Without systemd podman runs no periodic checks; `podman healthcheck run` executes the image's check once.
if podman healthcheck run "$name" >/dev/null 2>>"$WORK/podman-run.log"; then
  ok "the image's HEALTHCHECK (concierge-healthcheck /healthz) passes: podman healthcheck run"
else
  podman inspect --format '{{json .State.Healthcheck}}' "$name" >&2 || true
  fail "podman healthcheck run $name"
fi
podman exec "$name" concierge-healthcheck /readyz || fail "concierge-healthcheck /readyz in the container"
if podman exec "$name" concierge-healthcheck /no-such-path 2>/dev/null; then fail "the health check accepts a 404"; fi
ok "concierge-healthcheck: /readyz passes, a 404 fails"
consumers=$(rabbitmqctl -q list_queues name consumers 2>/dev/null | awk '$1=="concierge.classifier"{print $2}' || true)
if [ -n "$consumers" ] && [ "$consumers" -ge 1 ]; then
  ok "RabbitMQ lists $consumers consumer(s) on concierge.classifier while the container runs"
fi
start=$(date +%s)
podman stop --time 15 "$name" >/dev/null 2>>"$WORK/podman-run.log"
code=$(podman inspect --format '{{.State.ExitCode}}' "$name")
took=$(( $(date +%s) - start ))
[ "$code" = 0 ] || { podman logs "$name" | tail -20 >&2; fail "worker exited $code after SIGTERM"; }
ok "SIGTERM: the worker stopped gracefully in ${took}s with exit code 0"
podman rm -f "$name" >/dev/null 2>&1

# The other workers: each starts from the same image, becomes ready and stops cleanly on SIGTERM.
for worker in concierge-responder concierge-escalation concierge-payout; do
  name=concierge-verify-$$-${worker#concierge-}
  podman run -d --name "$name" --network host -e AMQP_URL -e POSTGRES_URL -e HTTP_PORT="$HEALTH_PORT" \
    -e SHUTDOWN_GRACE_SECONDS=5 "$IMAGE" "$worker" >/dev/null 2>>"$WORK/podman-run.log"
  for i in $(seq 60); do probe /readyz >/dev/null 2>&1 && break; sleep 0.5; done
  probe /readyz >/dev/null || { podman logs "$name" 2>&1 | tail -20 >&2; fail "$worker: /readyz not ready"; }
  podman stop --time 15 "$name" >/dev/null 2>>"$WORK/podman-run.log"
  code=$(podman inspect --format '{{.State.ExitCode}}' "$name")
  [ "$code" = 0 ] || { podman logs "$name" 2>&1 | tail -20 >&2; fail "$worker exited $code after SIGTERM"; }
  podman rm -f "$name" >/dev/null 2>&1
  ok "$worker in the container: ready (GET /readyz 200), then exit 0 on SIGTERM"
done

echo
echo "Verified with podman $(podman --version | awk '{print $3}') on $(. /etc/os-release; echo "$PRETTY_NAME"):"
for v in "${verified[@]}"; do echo "  - $v"; done
cat <<'NOTE'
Not verified here (no Docker engine, no registry): the build stage (FROM swift image, static build inside it),
the official debian:bookworm-slim/rabbitmq/postgres images, docker compose (networking by service name,
depends_on conditions, replicas).
NOTE
