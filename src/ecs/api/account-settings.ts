import type {
  DeleteAccountSettingRequest, ListAccountSettingsRequest, PutAccountSettingDefaultRequest, PutAccountSettingRequest, Setting, SettingName,
} from '@aws-sdk/client-ecs';
import type { RequestContext } from '../../edge/surface.js';
import { scopeKey, type Scope } from '../arn.js';
import { invalidParameter } from '../errors.js';
import { paginate } from '../pagination.js';
import type { EcsState } from '../state.js';
import { operation, scopeOf } from './operation.js';

/**
 * Each account setting with the value AWS applies when nobody set one, and the values it accepts.
 * Every name of the model's SettingName enum must have a rule (a unit test holds us to it).
 * From the ECS API reference (PutAccountSettingDefault) and the "Account settings" guide page.
 */
export const SETTING_RULES: Readonly<Record<string, { awsDefault: string; values: readonly string[] }>> = {
  serviceLongArnFormat: { awsDefault: 'enabled', values: ['enabled', 'disabled'] },
  taskLongArnFormat: { awsDefault: 'enabled', values: ['enabled', 'disabled'] },
  containerInstanceLongArnFormat: { awsDefault: 'enabled', values: ['enabled', 'disabled'] },
  awsvpcTrunking: { awsDefault: 'disabled', values: ['enabled', 'disabled'] },
  containerInsights: { awsDefault: 'disabled', values: ['enabled', 'disabled', 'enhanced'] },
  fargateFIPSMode: { awsDefault: 'disabled', values: ['enabled', 'disabled'] },
  tagResourceAuthorization: { awsDefault: 'on', values: ['on', 'off'] },
  fargateTaskRetirementWaitPeriod: { awsDefault: '7', values: ['0', '7', '14'] },
  guardDutyActivate: { awsDefault: 'off', values: ['on', 'off'] },
  defaultLogDriverMode: { awsDefault: 'non-blocking', values: ['blocking', 'non-blocking'] },
  fargateEventWindows: { awsDefault: 'disabled', values: ['enabled', 'disabled'] },
};

/** Principal `DEFAULT` holds the account-wide defaults (PutAccountSettingDefault). */
const DEFAULT = '*';
const key = (s: Scope, principal: string, name: string): string => `${scopeKey(s)}:${principal}:${name}`;

/** The value that applies to a principal: its own, else the account default, else AWS's. */
export function effectiveSetting(state: EcsState, s: Scope, principalArn: string, name: string): string {
  return (
    state.accountSettings.get(key(s, principalArn, name))?.value ??
    state.accountSettings.get(key(s, DEFAULT, name))?.value ??
    SETTING_RULES[name]!.awsDefault
  );
}

function checkValue(name: string, value: string): void {
  const rule = SETTING_RULES[name];
  if (!rule) throw invalidParameter(`Invalid account setting name: ${name}`);
  if (name === 'guardDutyActivate') throw invalidParameter('guardDutyActivate is managed by Amazon GuardDuty and cannot be changed through Amazon ECS.');
  if (!rule.values.includes(value)) throw invalidParameter(`Invalid value '${value}' for the account setting ${name}. Valid values: ${rule.values.join(', ')}.`);
}

/** The root user's own settings are the account's defaults, as in ECS. */
function principalOf(ctx: RequestContext, given: string | undefined): string {
  const arn = given ?? ctx.principal.arn;
  if (!arn.startsWith('arn:aws:iam::') && !arn.startsWith('arn:aws:sts::')) throw invalidParameter(`Invalid principal ARN: ${arn}`);
  if (arn.split(':')[4] !== ctx.principal.accountId) throw invalidParameter('The principal ARN must belong to your account.');
  return arn === `arn:aws:iam::${ctx.principal.accountId}:root` ? DEFAULT : arn;
}

export function accountSettingOperations(state: EcsState) {
  const put = (ctx: RequestContext, principal: string, name: string, value: string): { setting: Setting } => {
    checkValue(name, value);
    state.accountSettings.put(key(scopeOf(ctx), principal, name), { name, value, principalArn: principal });
    return { setting: { name: name as Setting['name'], value, principalArn: display(ctx, principal), type: 'user' } };
  };
  const display = (ctx: RequestContext, principal: string): string => (principal === DEFAULT ? `arn:aws:iam::${ctx.principal.accountId}:root` : principal);

  return {
    PutAccountSetting: operation<PutAccountSettingRequest>((input, ctx) => put(ctx, principalOf(ctx, input.principalArn), input.name!, input.value!)),
    PutAccountSettingDefault: operation<PutAccountSettingDefaultRequest>((input, ctx) => put(ctx, DEFAULT, input.name!, input.value!)),

    DeleteAccountSetting: operation<DeleteAccountSettingRequest>((input, ctx) => {
      const s = scopeOf(ctx);
      const principal = principalOf(ctx, input.principalArn);
      const name = input.name!;
      if (!SETTING_RULES[name]) throw invalidParameter(`Invalid account setting name: ${name}`);
      state.accountSettings.delete(key(s, principal, name));
      const value = effectiveSetting(state, s, principal === DEFAULT ? '' : principal, name);
      return { setting: { name, value, principalArn: display(ctx, principal), type: 'user' } };
    }),

    ListAccountSettings: operation<ListAccountSettingsRequest>((input, ctx) => {
      const s = scopeOf(ctx);
      const principal = principalOf(ctx, input.principalArn);
      if (input.value !== undefined && input.name === undefined) throw invalidParameter('value can only be specified with name.');
      const names = (input.name ? [input.name] : Object.keys(SETTING_RULES)) as SettingName[];
      const settings: Setting[] = [];
      for (const name of names) {
        const own = state.accountSettings.get(key(s, principal, name));
        let setting: Setting | undefined;
        if (own) setting = { name, value: own.value, principalArn: display(ctx, principal), type: 'user' };
        else if (input.effectiveSettings) {
          const fallback = state.accountSettings.get(key(s, DEFAULT, name));
          setting = fallback
            ? { name, value: fallback.value, principalArn: display(ctx, DEFAULT), type: 'user' }
            : { name, value: SETTING_RULES[name]!.awsDefault, principalArn: display(ctx, principal), type: 'aws_managed' };
        }
        if (setting && (input.value === undefined || setting.value === input.value)) settings.push(setting);
      }
      settings.sort((a, b) => (a.name! < b.name! ? -1 : 1));
      const { page, nextToken } = paginate(settings, (x) => x.name!, input.nextToken, input.maxResults, 10);
      return nextToken ? { settings: page, nextToken } : { settings: page };
    }),
  };
}
