import { invalidLoadBalancerAction, memberInvalid, tooManyActions, validation } from './errors.js';
import { bool, int, node, nodes, oneOf, required, str, type Node } from './input.js';
import type { ActionRecord, TargetGroupRecord } from './state.js';

/**
 * Reading listener and rule actions into their stored shape, with AWS's defaults filled in the
 * way Describe* shows them: a forward to one TargetGroupArn also gets a ForwardConfig with weight
 * 1; a redirect's unset components are the `#{…}` keywords. Berth's data plane acts on one
 * terminal action, so a list is exactly one of forward, redirect or fixed-response.
 */
const TYPES = ['forward', 'redirect', 'fixed-response', 'authenticate-oidc', 'authenticate-cognito', 'jwt-validation'] as const;
const CONTENT_TYPES = ['text/plain', 'text/css', 'text/html', 'application/javascript', 'application/json'];

export function readActions(n: Node, member: string, group: (arn: string) => TargetGroupRecord): ActionRecord[] {
  const list = nodes(n, member) ?? [];
  if (list.length === 0) throw memberInvalid(null, member.charAt(0).toLowerCase() + member.slice(1), 'Member must not be null');
  const actions = list.map((a, i) => readAction(a, `${member}.member.${i + 1}`, group));
  if (actions.length > 1) throw tooManyActions('Berth supports one action per listener or rule (forward, redirect or fixed-response)');
  return actions;
}

function readAction(a: Node, path: string, group: (arn: string) => TargetGroupRecord): ActionRecord {
  const type = oneOf(a, 'Type', TYPES, `${path}.type`);
  if (type === undefined) throw memberInvalid(null, `${path}.type`, 'Member must not be null');
  if (type !== 'forward' && type !== 'redirect' && type !== 'fixed-response') {
    throw invalidLoadBalancerAction(`The action type '${type}' is not supported by Berth`);
  }
  const order = int(a, 'Order', 1, 50000, `${path}.order`);
  const base: ActionRecord = { Type: type, ...(order !== undefined ? { Order: order } : {}) };
  if (type === 'forward') return { ...base, ...readForward(a, group) };
  if (type === 'redirect') {
    const r = node(a, 'RedirectConfig');
    if (!r) throw validation('A redirect configuration must be specified for redirect actions');
    const statusCode = oneOf(r, 'StatusCode', ['HTTP_301', 'HTTP_302'] as const, `${path}.redirectConfig.statusCode`);
    if (!statusCode) throw memberInvalid(null, `${path}.redirectConfig.statusCode`, 'Member must not be null');
    const protocol = str(r, 'Protocol') ?? '#{protocol}';
    if (!['HTTP', 'HTTPS', '#{protocol}'].includes(protocol)) throw validation(`Redirect protocol '${protocol}' must be one of 'HTTP, HTTPS, #{protocol}'`);
    const path_ = str(r, 'Path') ?? '/#{path}';
    if (!path_.startsWith('/')) throw validation("The redirect path must start with a '/' character");
    return {
      ...base,
      RedirectConfig: {
        Protocol: protocol, Port: str(r, 'Port') ?? '#{port}', Host: str(r, 'Host') ?? '#{host}', Path: path_,
        Query: str(r, 'Query') ?? '#{query}', StatusCode: statusCode,
      },
    };
  }
  const f = node(a, 'FixedResponseConfig');
  if (!f) throw validation('A fixed response configuration must be specified for fixed-response actions');
  const statusCode = required(f, 'StatusCode', `${path}.fixedResponseConfig.statusCode`);
  if (!/^(2|4|5)\d\d$/.test(statusCode)) throw memberInvalid(statusCode, `${path}.fixedResponseConfig.statusCode`, 'Member must satisfy regular expression pattern: ^(2|4|5)\\d\\d$');
  const contentType = str(f, 'ContentType');
  if (contentType !== undefined && !CONTENT_TYPES.includes(contentType)) {
    throw validation(`Content type '${contentType}' must be one of '${CONTENT_TYPES.join(', ')}'`);
  }
  const body = str(f, 'MessageBody');
  if (body !== undefined && body.length > 1024) throw memberInvalid(body, `${path}.fixedResponseConfig.messageBody`, 'Member must have length less than or equal to 1024');
  return {
    ...base,
    FixedResponseConfig: { StatusCode: statusCode, ...(contentType !== undefined ? { ContentType: contentType } : {}), ...(body !== undefined ? { MessageBody: body } : {}) },
  };
}

function readForward(a: Node, group: (arn: string) => TargetGroupRecord): Pick<ActionRecord, 'TargetGroupArn' | 'ForwardConfig'> {
  const single = str(a, 'TargetGroupArn');
  const fc = node(a, 'ForwardConfig');
  const tuples = fc ? nodes(fc, 'TargetGroups') ?? [] : [];
  if (single === undefined && tuples.length === 0) throw validation('A target group ARN must be specified');
  const groups = tuples.map((t, i) => ({
    TargetGroupArn: required(t, 'TargetGroupArn', `forwardConfig.targetGroups.member.${i + 1}.targetGroupArn`),
    Weight: int(t, 'Weight', 0, 999, `forwardConfig.targetGroups.member.${i + 1}.weight`) ?? 1,
  }));
  if (single !== undefined) {
    if (groups.length > 0 && (groups.length !== 1 || groups[0]!.TargetGroupArn !== single)) {
      throw validation('You cannot specify both a target group ARN and a forward config with different target groups');
    }
    if (groups.length === 0) groups.push({ TargetGroupArn: single, Weight: 1 });
  }
  if (groups.length > 5) throw validation('A forward action can have at most 5 target groups');
  if (new Set(groups.map((g) => g.TargetGroupArn)).size !== groups.length) throw validation('The same target group cannot be specified more than once in a forward action');
  for (const g of groups) group(g.TargetGroupArn);
  const st = fc ? node(fc, 'TargetGroupStickinessConfig') : undefined;
  const enabled = st ? bool(st, 'Enabled') ?? false : false;
  const duration = st ? int(st, 'DurationSeconds', 1, 604800) : undefined;
  return {
    ...(groups.length === 1 ? { TargetGroupArn: groups[0]!.TargetGroupArn } : {}),
    ForwardConfig: {
      TargetGroups: groups,
      TargetGroupStickinessConfig: { Enabled: enabled, ...(enabled && duration !== undefined ? { DurationSeconds: duration } : {}) },
    },
  };
}
