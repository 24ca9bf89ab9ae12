// Jest globalSetup: build the product once for the whole run, into a folder of its own under the checkout
// (so its imports resolve to this node_modules), and tell every test where through SHIPSHAPE_BUILD. Tests
// never build, and never write the dist/ that a person may be running while the suite does.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from '../scripts/build.js';

export default async function buildOnce() {
  const parent = fileURLToPath(new URL('../.test-build/', import.meta.url));
  mkdirSync(parent, { recursive: true });
  const root = mkdtempSync(join(parent, 'run-'));
  await build(root);
  process.env.SHIPSHAPE_BUILD = root;
}
