# Fieldboard: one image serving the PWA, the REST API and the WebSocket sync endpoint.
FROM node:20-bookworm-slim AS build
# A C compiler for the malloc_trim addon (sync-server/native, built into dist/native by scripts/server-build.mjs).
RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN node node_modules/vite/bin/vite.js build --logLevel warn && node scripts/server-build.mjs

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8787 \
    DATA_DIR=/data
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# The TypeScript sources are for `npm run migrate` (tsx); the server itself runs the build.
COPY shared ./shared
COPY sync-server ./sync-server
COPY migrations ./migrations
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 8787
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||8787)+'/ready').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
# The flags of scripts/server-build.mjs's serverNodeFlags: --single-threaded-gc when the container has one CPU.
CMD ["sh", "-c", "exec node --expose-gc --enable-source-maps $([ \"$(nproc)\" = 1 ] && echo --single-threaded-gc) dist/server/main.js"]
