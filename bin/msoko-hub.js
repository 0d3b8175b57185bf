#!/usr/bin/env node
// The operator CLI (`npx msoko-hub import FILE --url … --key …`). TypeScript runs through ts-node, as everywhere in the hub.
require('ts-node').register({ transpileOnly: true, project: require('node:path').join(__dirname, '..', 'tsconfig.json') });
require('../src/cli/operator/main.ts');
