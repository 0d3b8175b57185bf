# The hub's image: API and worker share it (different commands). TypeScript is compiled at build time: the API
# then runs without the compiler in memory (about half the resident memory of running it through ts-node).
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund
COPY . .
# The compiler and the type packages are needed to build, not to run.
RUN npm run build && npm prune --omit=dev
ENV NODE_ENV=production HOST=0.0.0.0 PORT=4000
EXPOSE 4000
# A bounded heap: V8 otherwise lets it grow lazily towards gigabytes under load (409–425 MB resident in
# bench:load -- --no-cache without it, 221–224 MB with it, no request failing).
CMD ["node", "--max-old-space-size=384", "dist/src/main.js"]
