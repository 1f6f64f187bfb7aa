# Peerlink as compiled JavaScript (npm run build), for docker-compose.yml or any container platform.
# Not built in CI (no Docker engine there); the same build and role split are tested without Docker
# (test/packaging.test.ts, test/roles.test.ts).

# ---- build: every dependency, then tsc into dist/
FROM node:20-bookworm-slim AS build
WORKDIR /app
# postinstall generates the Prisma client (src/db/generated) from the schema, offline.
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
COPY scripts/prisma.mjs ./scripts/prisma.mjs
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY scripts ./scripts
RUN npm run build

# ---- runtime: production dependencies and dist/ only, as the unprivileged node user
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
# The Prisma CLI (a production dependency) stays: the one-shot migrate service runs it from this
# image, with the schema engine in WebAssembly (scripts/prisma.mjs). No install scripts: the client is
# already compiled into dist/, and platform binaries (esbuild, resvg) come as optional packages.
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
COPY scripts/prisma.mjs ./scripts/prisma.mjs
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist ./dist
USER node
EXPOSE 3000
# Node handles SIGTERM itself (drains, then exits 0); run with `init: true` so it is not PID 1.
CMD ["node", "dist/src/main.js"]
