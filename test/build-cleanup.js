// Jest globalTeardown: remove the run's build (test/build-once.js).
import { rmSync } from 'node:fs';

export default function removeBuild() {
  if (process.env.SHIPSHAPE_BUILD) rmSync(process.env.SHIPSHAPE_BUILD, { recursive: true, force: true });
}
