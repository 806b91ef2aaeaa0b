# shellcheck shell=bash
# The portal's image with Podman (no Docker daemon needed): a Node 22 base
# image made with debootstrap where no registry serves one, and the build of
# the repository's Dockerfile with the machine's Yarn cache and registry.
# Sourced by scripts/image/build.sh, after scripts/lib/toolchain.sh.

IMAGE_SCRIPTS="$ROOT/scripts/image"
export CONTAINERS_CONF="${CONTAINERS_CONF:-$IMAGE_SCRIPTS/containers.conf}"
PORTAL_IMAGE="${PORTAL_IMAGE:-localhost/platform-portal:test}"
BASE_IMAGE="${BASE_IMAGE:-}"

# Podman, runc (its runtime here) and debootstrap (for the base image).
ensure_podman() {
  ensure_apt podman podman runc uidmap &&
    ensure_apt debootstrap debootstrap
}

# The machine's Debian mirror, as apt is configured.
debian_mirror() {
  local uri
  uri="$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/*.sources 2>/dev/null)"
  [ -n "$uri" ] || uri="$(awk '/^deb / { print $2; exit }' /etc/apt/sources.list 2>/dev/null)"
  echo "${uri:-http://deb.debian.org/debian}"
}

# A Node 22 base image like the public node:22-bookworm-slim (Debian
# bookworm, node and its C headers under /usr/local), made from debootstrap
# and the Node of ensure_node, for machines that reach no image registry.
# Reused while the Node version is the same. Sets BASE_IMAGE.
ensure_base_image() {
  local version tag rootfs
  version="$(node --version)"
  tag="localhost/platform-portal-base:node-${version#v}-bookworm"
  BASE_IMAGE="$tag"
  if podman image exists "$tag"; then
    return 0
  fi
  log "Base image $tag: debootstrap bookworm ($(debian_mirror)) with node $version"
  rootfs="$(mktemp -d /var/tmp/portal-base.XXXXXX)"
  debootstrap --variant=minbase bookworm "$rootfs" "$(debian_mirror)" >"$rootfs.log" 2>&1 ||
    { tail -20 "$rootfs.log"; rm -rf "$rootfs" "$rootfs.log"; return 1; }
  install -m 0755 "$(command -v node)" "$rootfs/usr/local/bin/node"
  if [ -d "$NODE_HOME/include/node" ]; then
    mkdir -p "$rootfs/usr/local/include"
    cp -r "$NODE_HOME/include/node" "$rootfs/usr/local/include/"
  fi
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin
  tar -C "$rootfs" -c . |
    podman import --change 'CMD ["node"]' - "$tag" >/dev/null
  rm -rf "$rootfs" "$rootfs.log"
}

# Builds the Dockerfile into PORTAL_IMAGE on BASE_IMAGE, with the machine's
# registry and CA certificates as build secrets (never a layer) and the
# machine's Yarn cache mounted, and prints the build time and image size.
build_portal_image() {
  local secrets registry started yarn_global
  secrets="$(mktemp -d)"
  registry="$(yarn config get npmRegistryServer)"
  {
    echo "npmRegistryServer: \"$registry\""
    if [ -n "${NODE_EXTRA_CA_CERTS:-}" ]; then
      echo 'httpsCaFilePath: /run/secrets/ca'
    fi
  } >"$secrets/yarnrc"
  local args=(--secret "id=yarnrc,src=$secrets/yarnrc")
  if [ -n "${NODE_EXTRA_CA_CERTS:-}" ]; then
    args+=(--secret "id=ca,src=$NODE_EXTRA_CA_CERTS")
  fi
  yarn_global="$(yarn config get globalFolder)"
  mkdir -p "$yarn_global/cache"
  started=$SECONDS
  log "podman build $PORTAL_IMAGE (base $BASE_IMAGE)"
  local status=0
  podman build --network host --layers --format docker \
    --build-arg "NODE_IMAGE=$BASE_IMAGE" \
    --build-arg YARN_GLOBAL_FOLDER=/yarn-global \
    --volume "$yarn_global:/yarn-global" \
    "${args[@]}" \
    -f "$ROOT/Dockerfile" -t "$PORTAL_IMAGE" "$ROOT" || status=$?
  rm -rf "$secrets"
  [ $status = 0 ] || return $status
  IMAGE_BUILD_SECONDS=$((SECONDS - started))
  IMAGE_SIZE="$(podman image inspect "$PORTAL_IMAGE" --format '{{.Size}}')"
  log "image $PORTAL_IMAGE: built in ${IMAGE_BUILD_SECONDS}s, $((IMAGE_SIZE / 1000000)) MB"
  export IMAGE_BUILD_SECONDS IMAGE_SIZE PORTAL_IMAGE
}
