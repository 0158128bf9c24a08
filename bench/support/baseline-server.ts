/**
 * The baselines, in a process of their own: a Fastify hello-world at `/`, and at `/constant` a
 * constant JSON body of the size given as the first argument (what serving a page of that size
 * costs Fastify with no work at all). Prints its port on the first line.
 */
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';

type FastifyFactory = typeof import('../../apps/api/node_modules/fastify/fastify.js').default;
/** Fastify as the API resolves it (bench/ is not a workspace package of its own). */
const Fastify = createRequire(new URL('../../apps/api/package.json', import.meta.url))('fastify') as FastifyFactory;

const bytes = Number(process.argv[2] ?? 0);
/** Bytes, not a string: the cheapest way Fastify can send a body (no encoding per request). */
const constant = Buffer.from(JSON.stringify({ padding: 'x'.repeat(Math.max(0, bytes - 14)) }));

const app = Fastify({ logger: false });
app.get('/', async () => ({ hello: 'world' }));
app.get('/constant', async (_request, reply) => reply.type('application/json; charset=utf-8').send(constant));
await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`${(app.server.address() as AddressInfo).port}\n`);
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
