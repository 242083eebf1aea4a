# syntax=docker/dockerfile:1
# Tollgate: one image for every service. `docker run IMAGE run <target>...` with a target of
# radius-gateway, aggregator, otp-verifier, entra-verifier, ldap-verifier, admin-api, enrollment-portal or all; `docker run IMAGE
# migrate` applies the database migrations and exits. Configuration is environment variables
# (README.md, .env.example). Build: `docker build -t tollgate .`

# Node.js 24, the active LTS line (20 reached its end of life in April 2026).
ARG NODE_IMAGE=node:24-bookworm-slim

# --- manifests: every workspace's package.json and nothing else, so a new package needs no edit ---
# here. This stage reruns on any source change, but its output changes only with a package.json,
# so the `npm ci` layer below stays cached.
FROM ${NODE_IMAGE} AS manifests
WORKDIR /src
COPY libs libs
COPY services services
RUN find libs services -mindepth 2 -maxdepth 2 ! -name package.json -exec rm -rf {} +

# --- build: install every dependency, compile the workspaces, then drop the dev dependencies ---
FROM ${NODE_IMAGE} AS build
WORKDIR /src
ENV CI=true NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false NPM_CONFIG_AUDIT=false
COPY package.json package-lock.json tsconfig.base.json tsconfig.json ./
COPY --from=manifests /src ./
RUN npm ci
COPY libs libs
COPY services services
COPY deploy/docker/assemble-runtime.mjs deploy/docker/
# The runtime tree holds no test code (no *.test.js, e2e/ or testing/ dirs, no @tollgate/testkit).
# `npm run build` compiles the workspaces and bundles the admin console's pages (Vite, a dev dependency).
RUN npm run build \
 && npm prune --omit=dev \
 && node deploy/docker/assemble-runtime.mjs /out

# --- runtime: Node.js and the compiled code, no compiler, no npm, not root ---
FROM ${NODE_IMAGE} AS runtime
LABEL org.opencontainers.image.title="tollgate" \
      org.opencontainers.image.description="Two-factor RADIUS for Microsoft Entra ID" \
      org.opencontainers.image.licenses="Apache-2.0"
# npm, npx, corepack and yarn are not needed to run Tollgate: removing them shrinks the image and
# what an intruder could use.
RUN rm -rf /usr/local/lib/node_modules /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack \
           /usr/local/bin/yarn /usr/local/bin/yarnpkg /opt/yarn-* \
 && printf '#!/bin/sh\nexec node /app/libs/launcher/dist/main.js "$@"\n' > /usr/local/bin/tollgate \
 && chmod 0755 /usr/local/bin/tollgate \
 && mkdir -p /var/lib/tollgate && chown 1000:1000 /var/lib/tollgate && chmod 0700 /var/lib/tollgate
# TOLLGATE_DATA_DIR: where a one-box install (no DATABASE_URL) keeps its data; mount a volume there
# (`-v tollgate-data:/var/lib/tollgate`). Distributed deployments never write to it.
# ADMIN_BIND: a one-box process binds the admin API to loopback unless told otherwise, and the
# container's loopback is reached by no published port; publish 8080 on the host's 127.0.0.1.
ENV NODE_ENV=production TOLLGATE_DATA_DIR=/var/lib/tollgate ADMIN_BIND=0.0.0.0
WORKDIR /app
# Owned by root and read-only to the service user: the process cannot change its own code.
COPY --from=build /out /app
# The image's unprivileged "node" user (uid/gid 1000), numeric so Kubernetes can verify runAsNonRoot.
USER 1000:1000
# RADIUS (UDP), admin API, and /healthz /readyz /metrics.
EXPOSE 1812/udp 8080/tcp 9464/tcp
# Healthy = ready to take work (/readyz): started and connected to its backends.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.METRICS_PORT || 9464) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Node handles SIGTERM itself (graceful drain); it is PID 1 and starts no child processes.
ENTRYPOINT ["node", "/app/libs/launcher/dist/main.js"]
CMD ["run", "all"]
