#!/usr/bin/env bash
# Sets a fresh Debian 12 machine up to run real containers with Podman, as described in
# /work/shared/machine/containers.md, and builds the local test image the container tests use.
# Idempotent and fast when already done: every step first checks whether it is needed.
# Run as root.
set -euo pipefail

TEST_IMAGE="localhost/galley-test/busybox:1"

say() { echo "[setup-containers] $*"; }

if [ "$(id -u)" -ne 0 ]; then
  say "must run as root" >&2
  exit 1
fi

# 1. Packages. apt-get update is slow, so only when something is actually missing.
missing=()
command -v podman >/dev/null 2>&1 || missing+=(podman)
command -v runc >/dev/null 2>&1 || missing+=(runc)
# busybox-static provides /bin/busybox (a static binary, so it runs in a FROM scratch image).
[ -x /bin/busybox ] || missing+=(busybox-static)
if [ "${#missing[@]}" -gt 0 ]; then
  say "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q "${missing[@]}"
else
  say "podman, runc and busybox-static already installed"
fi

# 2. Engine configuration. crun (podman's default) refuses cgroup v1 hybrid mode, so use runc with
# cgroupfs; podman's default rlimits exceed what this kind of machine lets a process set
# (setrlimit: Operation not permitted), so lower them.
conf=/etc/containers/containers.conf
wanted='[containers]
default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]
[engine]
cgroup_manager = "cgroupfs"
runtime = "runc"'
if [ -f "$conf" ] && [ "$(cat "$conf")" = "$wanted" ]; then
  say "$conf already configured"
else
  say "writing $conf (cgroupfs, runc, lowered ulimits)"
  mkdir -p /etc/containers
  printf '%s\n' "$wanted" > "$conf"
fi

# 3. Test image. No registry is reachable here, so build it FROM scratch out of the static busybox.
if podman image exists "$TEST_IMAGE"; then
  say "image $TEST_IMAGE already present"
else
  say "building $TEST_IMAGE from /bin/busybox"
  ctx="$(mktemp -d)"
  trap 'rm -rf "$ctx"' EXIT
  mkdir -p "$ctx/bin"
  cp /bin/busybox "$ctx/bin/busybox"
  for applet in sh echo sleep cat env httpd; do
    ln -sf busybox "$ctx/bin/$applet"
  done
  printf 'FROM scratch\nCOPY bin /bin\nCMD ["/bin/sh","-c","echo hello; exit 3"]\n' > "$ctx/Containerfile"
  podman build -q -t "$TEST_IMAGE" "$ctx"
fi

# 4. The demo image the README's first session cooks: greets, then (by env) serves HTTP, sleeps, exits.
DEMO_IMAGE="localhost/galley/demo:1"
if podman image exists "$DEMO_IMAGE"; then
  say "image $DEMO_IMAGE already present"
else
  say "building $DEMO_IMAGE from /bin/busybox"
  demo="$(mktemp -d)"
  mkdir -p "$demo/bin" "$demo/www"
  cp /bin/busybox "$demo/bin/busybox"
  for applet in sh echo sleep cat env httpd date; do
    ln -sf busybox "$demo/bin/$applet"
  done
  echo "hello from a Galley job" > "$demo/www/index.html"
  cat > "$demo/Containerfile" <<'CONTAINERFILE'
FROM scratch
COPY bin /bin
COPY www /www
CMD ["/bin/sh", "-c", "echo \"hello ${WHO:-world} from node ${GALLEY_NODE_INDEX:-0} of ${GALLEY_NODE_COUNT:-1} (mode ${MODE:-default})\"; if [ -n \"$HTTPD\" ]; then exec httpd -f -p 8080 -h /www; fi; for i in $(seq 1 ${STEPS:-3}); do echo \"step $i\"; sleep ${STEP_SECONDS:-1}; done; echo done; exit ${EXIT_CODE:-0}"]
CONTAINERFILE
  podman build -q -t "$DEMO_IMAGE" "$demo"
  rm -rf "$demo"
fi

say "done: $(podman --version)"
