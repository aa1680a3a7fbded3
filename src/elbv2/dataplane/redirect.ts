/**
 * Redirect actions (pure). A URI is protocol://host:port/path?query; components left out keep
 * their original value. The reserved keywords #{protocol}, #{host}, #{port}, #{path} (without
 * its leading "/") and #{query} are replaced by the request's values. Components are not
 * percent-encoded. Like ALB, the Location always carries the port.
 */
import type { RedirectConfig } from './config.js';

export interface RedirectRequest {
  protocol: 'http' | 'https';
  /** Host header without port. */
  host: string;
  /** Listener port. */
  port: number;
  /** Path with its leading "/". */
  path: string;
  /** Raw query without "?", '' when none. */
  query: string;
}

function fill(template: string, r: RedirectRequest): string {
  if (!template.includes('#{')) return template;
  return template
    .replaceAll('#{protocol}', r.protocol)
    .replaceAll('#{host}', r.host)
    .replaceAll('#{port}', String(r.port))
    .replaceAll('#{path}', r.path.startsWith('/') ? r.path.slice(1) : r.path)
    .replaceAll('#{query}', r.query);
}

export function redirectStatus(cfg: RedirectConfig): 301 | 302 {
  return cfg.statusCode === 'HTTP_301' ? 301 : 302;
}

export function buildRedirectUrl(cfg: RedirectConfig, r: RedirectRequest): string {
  const protocol = fill(cfg.protocol ?? '#{protocol}', r).toLowerCase();
  const host = fill(cfg.host ?? '#{host}', r);
  const port = fill(cfg.port ?? '#{port}', r);
  let path = fill(cfg.path ?? '/#{path}', r);
  if (!path.startsWith('/')) path = '/' + path;
  const query = fill(cfg.query ?? '#{query}', r);
  return `${protocol}://${host}:${port}${path}${query === '' ? '' : '?' + query}`;
}
