import { AppError } from '../shared/errors/index.js';
import { fileExchangeConnector } from './file-exchange/connector/index.js';
import { noopConnector } from './noop/index.js';
import type { AnyConnector } from './sdk/index.js';
import { testErpConnector } from './test-erp/index.js';
import { trytonConnector } from './tryton/index.js';

/**
 * Every connector the hub can run, listed explicitly: a connector nobody added here cannot be configured,
 * and adding one is a one-line, reviewable change.
 */
export const connectorRegistry: Readonly<Record<string, AnyConnector>> = {
  'test-erp': testErpConnector,
  noop: noopConnector,
  'file-exchange': fileExchangeConnector,
  tryton: trytonConnector,
};

export function listConnectorNames(
  registry: Readonly<Record<string, AnyConnector>> = connectorRegistry,
): string[] {
  return Object.keys(registry).sort();
}

export function findConnector(
  name: string,
  registry: Readonly<Record<string, AnyConnector>> = connectorRegistry,
): AnyConnector | undefined {
  return Object.hasOwn(registry, name) ? registry[name] : undefined;
}

export function getConnector(
  name: string,
  registry: Readonly<Record<string, AnyConnector>> = connectorRegistry,
): AnyConnector {
  const connector = findConnector(name, registry);
  if (connector === undefined) {
    const known = listConnectorNames(registry);
    throw new AppError('not_found', `unknown connector "${name}"; known connectors: ${known.join(', ')}`, {
      details: { name, known },
    });
  }
  return connector;
}
