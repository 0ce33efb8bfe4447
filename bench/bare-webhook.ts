/**
 * The webhook baseline: a bare grammY bot that only replies (one Bot API call per update), served
 * by grammY's `webhookCallback` on node:http with the same secret-token check, its API at the stub.
 * Run as a child process by `webhook.ts`: `node bare-webhook.js API_ROOT PORT PATH SECRET`.
 */
import { createServer } from 'node:http';
import { Bot, webhookCallback } from 'grammy';
import { BOT_INFO, TOKEN } from './fake-telegram.js';

const [apiRoot, port, path, secret] = process.argv.slice(2);
const bot = new Bot(TOKEN, { botInfo: BOT_INFO, client: { apiRoot: apiRoot as string } });
bot.use((ctx) => ctx.reply('ok'));
const handle = webhookCallback(bot, 'http', { secretToken: secret as string });
const server = createServer((req, res) => {
  if (req.url === '/healthz') return void res.end('ok');
  if (req.url !== path || req.method !== 'POST') return void res.writeHead(404).end();
  void handle(req, res);
});
server.listen(Number(port), '127.0.0.1');
process.once('SIGTERM', () => server.close(() => process.exit(0)));
