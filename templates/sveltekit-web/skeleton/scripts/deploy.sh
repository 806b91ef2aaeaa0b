#!/bin/sh
# Deploys one image tag of ${{ values.name }} to one environment, then waits
# until its health endpoint answers.
#
#   scripts/deploy.sh <staging|production> <tag>      e.g. staging main-abc1234
#
# PLACEHOLDER: the rollout step is not wired yet, so the script fails on
# purpose instead of letting CI report a deploy that did not happen. Replace
# the body of rollout() with what the estate does for this environment:
#
#  - Compose (phase 1, one server per environment): on the server, pin the tag
#    and restart only this service, e.g.
#      ssh deploy@<server> "cd /opt/mana && \
#        IMAGE_TAG=$tag docker compose -f docker-compose.$environment.yml pull ${{ values.name }} && \
#        IMAGE_TAG=$tag docker compose -f docker-compose.$environment.yml up -d --no-deps ${{ values.name }}"
#  - GitOps: open a pull request in the environment repository that sets
#    image: ${{ values.image }}:$tag for ${{ values.name }}; the environment
#    syncs after the merge.
#
# Production goes through deploy-production.yml (approval gate, backup,
# blue/green, 5-minute watch); see docs/runbook.md.
set -eu

environment="${1:?usage: scripts/deploy.sh <staging|production> <tag>}"
tag="${2:?usage: scripts/deploy.sh <staging|production> <tag>}"

case "$environment" in
  staging) base_url='${{ values.stagingUrl }}' ;;
  production) base_url='${{ values.productionUrl }}' ;;
  *) echo "unknown environment: $environment" >&2; exit 2 ;;
esac

rollout() {
  echo "::error::scripts/deploy.sh: the rollout of ${{ values.image }}:$tag to $environment is not wired yet (see the comment at the top of this script)" >&2
  return 1
}

wait_healthy() {
  # Up to 2 minutes, like the estate's post-deploy check.
  i=0
  while [ "$i" -lt 24 ]; do
    if curl -fsS --max-time 5 "$base_url/health" >/dev/null; then
      echo "$base_url/health is healthy"
      return 0
    fi
    i=$((i + 1))
    sleep 5
  done
  echo "::error::$base_url/health did not answer 200 within 2 minutes" >&2
  return 1
}

rollout
wait_healthy
