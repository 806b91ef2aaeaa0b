#!/usr/bin/env bash
# Builds the portal's image with Podman on this machine: a debootstrapped
# Node 22 base (or BASE_IMAGE), the machine's registry and Yarn cache.
# Prints the build time and the image's size. See scripts/image/README.md.
set -euo pipefail
source "$(dirname "$0")/../lib/toolchain.sh"
source "$(dirname "$0")/lib.sh"
ensure_node
ensure_podman
[ -n "$BASE_IMAGE" ] || ensure_base_image
build_portal_image
