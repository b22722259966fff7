#!/usr/bin/env node
// Runs every test of the project with node's test runner (TypeScript through tsx):
// unit, service and route tests on both databases, then the browser journeys (e2e/).
// Usage: npm test [-- --only-unit | --only-e2e] [file filters...]
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { run } from 'node:test';
import { spec } from 'node:test/reporters';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const onlyUnit = args.includes('--only-unit');
const onlyE2e = args.includes('--only-e2e');
const filters = args.filter((a) => !a.startsWith('--'));

function findTests(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) findTests(full, out);
    else if (/\.test\.ts$/.test(name)) out.push(full);
  }
  return out;
}

const all = findTests(path.join(root, 'packages')).sort();
const isE2e = (f) => f.includes(`${path.sep}e2e${path.sep}`);
let files = all.filter((f) => (onlyE2e ? isE2e(f) : onlyUnit ? !isE2e(f) : true));
if (filters.length) files = files.filter((f) => filters.some((x) => f.includes(x)));
// Browser journeys last: they start servers of their own and are the slowest.
files.sort((a, b) => Number(isE2e(a)) - Number(isE2e(b)) || a.localeCompare(b));

// The browser journeys drive the built console: build it once if it is not there yet.
if (files.some(isE2e) && !existsSync(path.join(root, 'packages/web/dist/index.html'))) {
  console.log('packages/web/dist is missing: building the console first (npm run build)');
  const b = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (b.status !== 0) process.exit(1);
}

process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --import tsx`.trim();
process.env.NODE_ENV = 'test';

let passed = 0;
let failed = 0;
let skipped = 0;

/** Runs the files with node's test runner, counting and reporting as they go. */
async function runFiles(list, concurrency) {
  if (!list.length) return;
  const stream = run({ files: list, concurrency, timeout: 10 * 60_000 });
  stream.on('test:pass', (d) => {
    if (d.details?.type === 'suite') return;
    if (d.skip || d.todo) skipped++;
    else passed++;
  });
  stream.on('test:fail', (d) => {
    // A suite fails when one of its tests did (already counted) or when its own hook threw.
    if (d.details?.type === 'suite' && d.details?.error?.failureType !== 'hookFailed') return;
    failed++;
  });
  const reporter = stream.compose(spec);
  reporter.on('data', (chunk) => process.stdout.write(chunk));
  await new Promise((resolve) => reporter.on('end', resolve));
}

await runFiles(files.filter((f) => !isE2e(f)), 2);
// Browser journeys one at a time: each starts a server and a browser of its own, and two at once
// on a two-core machine ran their 30-second waits out.
await runFiles(files.filter(isE2e), 1);
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exitCode = failed > 0 || files.length === 0 ? 1 : 0;
