/**
 * A webhook receiver for Alertmanager: an HTTP server on 127.0.0.1 (port 0) that keeps every
 * notification posted to it, with the path it was posted to (one path per receiver).
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One alert of a notification (Alertmanager's webhook payload, version 4). */
export interface WebhookAlert {
  readonly status: 'firing' | 'resolved';
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly fingerprint: string;
}

export interface WebhookNotification {
  /** The request path, e.g. /jobscheduler/team */
  readonly path: string;
  /** When it arrived (ms since the epoch). */
  readonly at: number;
  readonly receiver: string;
  readonly status: 'firing' | 'resolved';
  readonly groupLabels: Readonly<Record<string, string>>;
  readonly commonLabels: Readonly<Record<string, string>>;
  readonly alerts: readonly WebhookAlert[];
}

export interface WebhookReceiver {
  /** Base URL, e.g. http://127.0.0.1:41234 (append the receiver's path). */
  readonly url: string;
  /** Every notification so far, in the order of arrival. */
  readonly notifications: readonly WebhookNotification[];
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const notifications: WebhookNotification[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      try {
        const payload = JSON.parse(body) as Omit<WebhookNotification, 'path' | 'at'>;
        notifications.push({ ...payload, path: req.url ?? '', at: Date.now() });
        res.statusCode = 200;
      } catch {
        res.statusCode = 400;
      }
      res.end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    notifications,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
