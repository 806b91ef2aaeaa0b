# The portal's image: a build stage compiles the app and the backend bundle,
# the runtime stage holds only production dependencies, runs as the
# unprivileged `node` user and reports its health. See docs/production-install.md.
#
#   docker build -t platform-portal .

# ---- build ------------------------------------------------------------------
FROM node:22-bookworm-slim AS build
# better-sqlite3 and other native addons compile here
RUN apt-get update && \
    apt-get install -y --no-install-recommends python3 g++ make && \
    rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
RUN yarn install --immutable
RUN yarn tsc && yarn build:backend

# ---- runtime ----------------------------------------------------------------
FROM node:22-bookworm-slim AS runtime
# No mkdocs: in production CI builds and publishes the TechDocs, the portal
# only reads them (techdocs.builder: external in app-config.production.yaml).
# The compilers are for the native addons of the production install below.
RUN apt-get update && \
    apt-get install -y --no-install-recommends \
      python3 g++ make && \
    rm -rf /var/lib/apt/lists/*
USER node
WORKDIR /app
ENV NODE_ENV=production

COPY --chown=node:node .yarn ./.yarn
COPY --chown=node:node .yarnrc.yml backstage.json ./
COPY --from=build --chown=node:node /app/yarn.lock /app/package.json /app/packages/backend/dist/skeleton.tar.gz ./
RUN tar xzf skeleton.tar.gz && rm skeleton.tar.gz && \
    yarn workspaces focus --all --production && rm -rf "$(yarn cache clean)"

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
