# One image for every INSTANCE_ROLE (http, worker, all): the API bundle (main.js, cli.js) and
# the built SPA. Linted in the test run (tools/containers/lint-containers.ts). See docs/runbook.md.

# Build stage: the whole workspace, dev dependencies included. npm 11 runs no install scripts
# (package.json's allowScripts denies them all; prebuilt optional packages do the work).
FROM node:24-bookworm-slim AS build
WORKDIR /src
# No Nx daemon or cloud inside a one-off build.
ENV NX_DAEMON=false NX_NO_CLOUD=true
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx nx run-many -t build -p api admin --output-style=static --skip-nx-cache

# Runtime stage: a maintained Node LTS, production dependencies of the bundle only
# (webpack's generatePackageJson wrote dist/apps/api/package.json and its pruned lockfile).
FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production \
    API_PORT=3000 \
    SPA_DIR=/app/admin \
    INSTANCE_ROLE=all
WORKDIR /app
COPY --from=build /src/dist/apps/api/package.json /src/dist/apps/api/package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /src/dist/apps/api/ ./
COPY --from=build /src/dist/apps/admin/browser/ ./admin/
# The image's own unprivileged user; nothing in /app is writable by it.
USER node
EXPOSE 3000
# Workers serve no HTTP: their check passes while the process runs (compose disables it for them).
HEALTHCHECK --interval=15s --timeout=5s --start-period=40s --retries=3 \
  CMD ["node", "-e", "if (process.env.INSTANCE_ROLE === 'worker') process.exit(0); fetch('http://127.0.0.1:' + (process.env.API_PORT || 3000) + '/api/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "main.js"]
