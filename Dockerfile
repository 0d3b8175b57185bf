# The hub's image: API and worker share it (different commands). No build step: TypeScript runs through ts-node.
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund --omit=dev
COPY . .
ENV NODE_ENV=production HOST=0.0.0.0 PORT=4000
EXPOSE 4000
CMD ["node", "-r", "ts-node/register/transpile-only", "src/main.ts"]
