import type { Logger } from '../../platform/logging/index.js';
import type { AlertRuleName } from './alert-rules.js';
import type { AlertState, NotificationKind } from './alert-state.js';
import type { WebhookDelivery, WebhookTarget } from './webhook-sender.js';
import { createWebhookSender } from './webhook-sender.js';

/** What is announced on firing, reminder and resolve; also the `data` of the webhook payload. */
export interface AlertNotification {
  id: string;
  kind: NotificationKind;
  rule: AlertRuleName;
  state: AlertState;
  value: number;
  threshold: number;
  forSeconds: number;
  /** When the current state began. */
  since: string | null;
  at: string;
  message: string;
  details: Record<string, unknown>;
}

export interface NotifyResult {
  logged: true;
  webhook?: WebhookDelivery;
}

export interface AlertNotifier {
  notify(notification: AlertNotification): Promise<NotifyResult>;
}

/**
 * Delivers alert notifications to the log (pino: warn when firing, info when resolved) and, when a webhook
 * is configured, as a signed POST `{ type: "sync.alert.<kind>", timestamp, data }`. A webhook that cannot
 * be reached is logged as an error; it never blocks evaluation beyond its bounded retries.
 */
export function createAlertNotifier(options: { logger: Logger; webhook?: WebhookTarget }): AlertNotifier {
  const { logger } = options;
  const sender = options.webhook === undefined ? undefined : createWebhookSender(options.webhook);
  return {
    async notify(n) {
      const line = `alert ${n.rule} ${n.kind}: ${n.message}`;
      if (n.kind === 'resolved') logger.info({ alert: n }, line);
      else logger.warn({ alert: n }, line);
      if (!sender) return { logged: true };
      const webhook = await sender.send(
        { type: `sync.alert.${n.kind}`, timestamp: n.at, data: n },
        { messageId: `msg_${n.id}` },
      );
      if (!webhook.ok) {
        logger.error(
          { alert: { id: n.id, rule: n.rule, kind: n.kind }, webhook: { target: sender.target, ...webhook } },
          'alert webhook delivery failed',
        );
      }
      return { logged: true, webhook };
    },
  };
}
