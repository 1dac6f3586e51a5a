# The API image of docker-compose.yml (UNTESTED here: no container runtime can
# pull images on the development machine). `medusa start` runs the app from
# its sources, as `npm start` does; MEDUSA_WORKER_MODE picks server or worker.
FROM node:22-bookworm-slim
WORKDIR /app
ENV MEDUSA_DISABLE_TELEMETRY=true
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# Two malloc arenas: in the soak of 2026-11 RSS stopped creeping between minutes with it.
# 32 MB semi-spaces: fewer short-lived request objects promoted to full collections (as npm start).
# A 384 MB old generation: memory stays flat instead of swinging with V8's collections (decision 0018).
ENV NODE_ENV=production PORT=9000 MALLOC_ARENA_MAX=2 NODE_OPTIONS="--max-semi-space-size=32 --max-old-space-size=384"
EXPOSE 9000
CMD ["npx", "medusa", "start"]
