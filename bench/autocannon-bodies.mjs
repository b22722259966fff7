// autocannon with a different request body each time, round the list in a file given as the only
// argument ({ url, connections, duration, method, headers, bodies }): the CLI can only repeat one.
// Started by runAutocannon (bench/lib.ts) in its own process; prints autocannon's result as JSON.
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

const o = JSON.parse(readFileSync(process.argv[2], 'utf8'));
let next = 0;
const result = await autocannon({
  url: o.url,
  connections: o.connections,
  duration: o.duration,
  method: o.method,
  headers: o.headers,
  requests: [{ setupRequest: (req) => ({ ...req, body: o.bodies[next++ % o.bodies.length] }) }],
});
process.stdout.write(JSON.stringify(result));
