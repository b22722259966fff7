import assert from 'node:assert/strict';
import { it } from 'node:test';
import { buildTestApp, clientAs, createOrgTree } from '../test/helpers.js';

it('never writes a searched ID number or phone into the request log', async () => {
  const env = await buildTestApp('sqlite', { LOG_LEVEL: 'info' });
  try {
    const org = await createOrgTree(env.ctx);
    const staff = await clientAs(env, 'community_staff', org.community);
    const lines: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    // pino writes its lines to stdout: capture them for the duration of two requests.
    process.stdout.write = ((chunk: unknown) => (lines.push(String(chunk)), true)) as typeof process.stdout.write;
    try {
      await staff.get('/api/residents?q=11010519491231002X');
      await staff.get('/api/residents/export.xlsx?q=13812341234');
    } finally {
      process.stdout.write = write;
    }
    assert.ok(lines.some((l) => l.includes('/api/residents')), 'request lines are logged at info');
    assert.ok(!lines.some((l) => l.includes('11010519491231002X') || l.includes('13812341234')), lines.join(''));
  } finally {
    await env.close();
  }
});
