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
CMD ["node", "dist/src/main.js"]
