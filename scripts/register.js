// Runs the TypeScript sources directly (apps, CLI, benchmarks) with decorator metadata and the
// workspace path aliases, so development needs no separate build step.
const path = require('node:path');
process.env.SWC_NODE_PROJECT = process.env.SWC_NODE_PROJECT || path.join(__dirname, '..', 'tsconfig.base.json');
require('@swc-node/register');
