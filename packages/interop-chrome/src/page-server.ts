import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PAGE_HTML, PAGE_SCRIPT } from './page-script.js';

/**
 * Serves the harness page on http://127.0.0.1:<port>/. Chrome exposes `navigator.mediaDevices` only on
 * secure or localhost origins, never on about:blank, so the page must come from here.
 */
export interface PageServer {
  readonly url: string;
  close(): Promise<void>;
}

export async function startPageServer(): Promise<PageServer> {
  const server: Server = createServer((req, res) => {
    if (req.url === '/harness.js') {
      res.writeHead(200, { 'Content-Type': 'text/javascript' });
      res.end(PAGE_SCRIPT);
    } else if (req.url === '/' || req.url === '/index.html') {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end(PAGE_HTML);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
