# syntax=docker/dockerfile:1
#
# The portal's image: the build stage compiles the app and the backend bundle,
# the runtime stage holds only production dependencies (no compilers, no
# sources, no tests), runs as the unprivileged `node` user (uid 1000) and
# reports its health. See docs/production-install.md ("The image").
#
#   docker build -t platform-portal .
#
# Build arguments (base images):
#   NODE_IMAGE     the base of every stage; default the public Node 22 image.
#                  Any Debian or Ubuntu image with Node 22 on PATH (and its C
#                  headers under /usr/local/include/node) works: a `node` user
#                  with uid 1000 is made when the base has none.
#   BUILD_IMAGE    the base of the build stages only (default NODE_IMAGE)
#   RUNTIME_IMAGE  the base of the runtime stage only (default NODE_IMAGE)
#
# Build secrets (mounted for one RUN step, never written to a layer):
#   yarnrc  a .yarnrc.yml with the registry to install from and its
#           credentials (npmRegistryServer, npmAuthToken, ...)
#   ca      a PEM file of CA certificates that registry's TLS needs
#           (the yarnrc names it: httpsCaFilePath: /run/secrets/ca)
#
#   docker build --secret id=yarnrc,src=$HOME/.yarnrc.yml \
#     --secret id=ca,src=/etc/ssl/certs/ca-certificates.crt -t platform-portal .
#
# Layers: the two installs depend only on the package.json files and
# yarn.lock (the `manifests` stage), so a change to the sources rebuilds
# the bundle and reuses both installs. The Yarn cache is a cache mount.

ARG NODE_IMAGE=node:22-bookworm-slim
ARG BUILD_IMAGE=${NODE_IMAGE}
ARG RUNTIME_IMAGE=${NODE_IMAGE}

# ---- toolchain: compilers for the native addons (better-sqlite3, ...) ------
FROM ${BUILD_IMAGE} AS toolchain
RUN if ! command -v g++ >/dev/null || ! command -v make >/dev/null || \
       ! command -v python3 >/dev/null; then \
      apt-get update && \
      apt-get install -y --no-install-recommends python3 g++ make && \
      rm -rf /var/lib/apt/lists/*; \
    fi
# node-gyp compiles against the base's Node headers instead of downloading them
ENV npm_config_nodedir=/usr/local
# Yarn's global folder (its cache is a cache mount below); a build argument so
# that a build can point it at a mounted host cache instead.
ARG YARN_GLOBAL_FOLDER=/root/.yarn/berry
ENV YARN_GLOBAL_FOLDER=${YARN_GLOBAL_FOLDER}
WORKDIR /app

# ---- manifests: the package.json files and the lockfile, nothing else ------
FROM ${BUILD_IMAGE} AS manifests
COPY . /src
RUN cd /src && mkdir -p /manifests/.yarn && \
    find . -name package.json -not -path '*/node_modules/*' \
      -exec cp --parents {} /manifests \; && \
    cp yarn.lock .yarnrc.yml backstage.json /manifests && \
    cp -r .yarn/releases /manifests/.yarn/

# ---- build: every dependency, then the app and the backend bundle ----------
FROM toolchain AS build
COPY --from=manifests /manifests ./
RUN --mount=type=secret,id=yarnrc,target=/root/.yarnrc.yml \
    --mount=type=secret,id=ca \
    --mount=type=cache,target=/root/.yarn/berry/cache \
    node .yarn/releases/yarn-*.cjs install --immutable
COPY . .
RUN node .yarn/releases/yarn-*.cjs tsc && \
    node .yarn/releases/yarn-*.cjs build:backend

# ---- production dependencies of the backend only ---------------------------
FROM toolchain AS production-deps
COPY --from=manifests /manifests ./
RUN --mount=type=secret,id=yarnrc,target=/root/.yarnrc.yml \
    --mount=type=secret,id=ca \
    --mount=type=cache,target=/root/.yarn/berry/cache \
    node .yarn/releases/yarn-*.cjs workspaces focus backend --production

# ---- runtime ----------------------------------------------------------------
FROM ${RUNTIME_IMAGE} AS runtime
# No mkdocs: in production CI builds and publishes the TechDocs, the portal
# only reads them (techdocs.builder: external in app-config.production.yaml).
RUN (id -u node >/dev/null 2>&1 || \
      useradd --uid 1000 --user-group --create-home --shell /bin/sh node) && \
    mkdir /app && chown node:node /app
USER node
WORKDIR /app
ENV NODE_ENV=production
COPY --from=production-deps --chown=node:node /app ./
COPY --from=build --chown=node:node /app/packages/backend/dist/bundle.tar.gz ./
RUN tar xzf bundle.tar.gz && rm bundle.tar.gz
COPY --chown=node:node app-config.yaml app-config.production.yaml catalog-info.yaml mkdocs.yml ./
COPY --chown=node:node catalog ./catalog
COPY --chown=node:node docs ./docs
COPY --chown=node:node templates ./templates

EXPOSE 7007
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:7007/.backstage/health/v1/readiness').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

CMD ["node", "packages/backend", "--config", "app-config.yaml", "--config", "app-config.production.yaml"]
