# Conventio application image. The database is an external PostgreSQL (see docker-compose.yml).
# Node.js 24, an LTS line (Node 20 reached its end of life in April 2026).
FROM node:24-bookworm-slim

ENV NODE_ENV=production
WORKDIR /app

COPY package.json package-lock.json ./
# tsx (a runtime dependency) runs the TypeScript sources directly: there is no build step.
# Without the optional embedded PostgreSQL (60 MB of binaries): the image runs on DATABASE_URL. esbuild's
# platform binary, also optional, is then fetched by esbuild's own install script: tsx needs it.
RUN npm ci --omit=dev --omit=optional --no-audit --no-fund && npm cache clean --force

COPY src ./src
COPY views ./views
COPY public ./public
COPY migrations ./migrations
COPY seeds ./seeds
COPY knexfile.ts tsconfig.json ./

USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s --start-period=30s CMD node -e "fetch('http://127.0.0.1:3000/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "--import", "tsx", "src/server.ts"]
