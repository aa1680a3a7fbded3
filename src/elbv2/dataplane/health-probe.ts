/**
 * The Node health probe: HTTP(S) GET of the check path on a fresh connection (closed after each
 * check, as ALB does), the matcher applied to the status; TCP checks (NLB groups' default, UDP
 * groups included): a connect within the timeout. Target certificates are not verified, as ALB
 * does not verify them.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import type { HealthCheckSettings } from './config.js';
import type { HealthProbe } from './ports.js';
import { parseMatcher, type ProbeResult } from './target-health.js';

const matchers = new Map<string, (code: number) => boolean>();
function matcherOf(m: string): (code: number) => boolean {
  let f = matchers.get(m);
  if (!f) { f = parseMatcher(m); matchers.set(m, f); }
  return f;
}

function tcpProbe(ip: string, port: number, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const sock = connect({ host: ip, port });
    const timer = setTimeout(() => { sock.destroy(); resolve({ ok: false, reason: 'Target.FailedHealthChecks', description: 'Health checks failed' }); }, timeoutMs);
    sock.once('connect', () => { clearTimeout(timer); sock.destroy(); resolve({ ok: true }); });
    sock.once('error', () => { clearTimeout(timer); resolve({ ok: false, reason: 'Target.FailedHealthChecks', description: 'Health checks failed' }); });
  });
}

function httpProbe(ip: string, port: number, s: HealthCheckSettings): Promise<ProbeResult> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (r: ProbeResult): void => { if (!settled) { settled = true; clearTimeout(timer); resolve(r); } };
    const send = s.protocol === 'HTTPS' ? httpsRequest : httpRequest;
    const req = send({
      host: ip, port, path: s.path, method: 'GET', agent: false, rejectUnauthorized: false,
      headers: { 'user-agent': 'ELB-HealthChecker/2.0', connection: 'close', accept: '*/*' },
    }, (res) => {
      const code = res.statusCode ?? 0;
      res.resume();
      res.once('end', () => req.destroy());
      if (matcherOf(s.matcher)(code)) done({ ok: true });
      else done({ ok: false, reason: 'Target.ResponseCodeMismatch', description: `Health checks failed with these codes: [${code}]` });
    });
    const timer = setTimeout(() => { req.destroy(); done({ ok: false, reason: 'Target.Timeout', description: 'Request timed out' }); }, s.timeoutMs);
    req.once('error', () => done({ ok: false, reason: 'Target.FailedHealthChecks', description: 'Health checks failed' }));
    req.end();
  });
}

export const nodeHealthProbe: HealthProbe = {
  probe(ip, port, settings) {
    return settings.protocol === 'TCP' ? tcpProbe(ip, port, settings.timeoutMs) : httpProbe(ip, port, settings);
  },
};
