# jobscheduler-exporter: Prometheus exporter for SOS JobScheduler's JOC Cockpit.
#
#   docker build -t jobscheduler-exporter .
#   docker run -d -p 9446:9446 -e JOC_PASSWORD=... \
#     -v "$PWD/config.yaml:/etc/jobscheduler-exporter/config.yaml:ro" jobscheduler-exporter
#
# The config (CONTRACT §2) is read from /etc/jobscheduler-exporter/config.yaml. Give the JOC
# password as `password: ${JOC_PASSWORD}` with -e JOC_PASSWORD, or as
# `passwordFile: /run/secrets/joc_password` with a Docker/Compose secret.

# ---- build: compile TypeScript -----------------------------------------------------------------
FROM node:20.20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# ---- runtime: production dependencies and the compiled code only --------------------------------
FROM node:20.20-bookworm-slim
ARG VERSION=0.1.0
LABEL org.opencontainers.image.title="jobscheduler-exporter" \
      org.opencontainers.image.description="Prometheus exporter for SOS JobScheduler's JOC Cockpit" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.source="https://github.com/jobscheduler-exporter/jobscheduler-exporter" \
      org.opencontainers.image.url="https://github.com/jobscheduler-exporter/jobscheduler-exporter" \
      org.opencontainers.image.documentation="https://github.com/jobscheduler-exporter/jobscheduler-exporter/blob/main/README.md"
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist/src ./dist/src
COPY config.example.yaml LICENSE ./
# The image's unprivileged `node` user (uid 1000); the files above stay owned by root, read-only for it.
USER node
EXPOSE 9446
# No curl in the slim image: Node's fetch does the check. HEALTHCHECK_URL overrides the URL,
# e.g. for another listen.port. With a web config (TLS and/or basic auth on every path) this
# check fails; override it (docker run --health-cmd / compose healthcheck.test) or disable it.
# No --start-period: the first check runs one interval (30 s) after the start, long after the
# server listens (and dockerfilelint 1.8 misreads --start-period as an unknown option).
HEALTHCHECK --interval=30s --timeout=5s --retries=3 \
  CMD node -e "fetch(process.env.HEALTHCHECK_URL || 'http://127.0.0.1:9446/-/healthy', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
ENV MALLOC_ARENA_MAX=2
ENTRYPOINT ["node", "--max-semi-space-size=1", "--liftoff-only", "--optimize-for-size", "--expose-gc", "dist/src/cli.js"]
CMD ["--config", "/etc/jobscheduler-exporter/config.yaml"]
