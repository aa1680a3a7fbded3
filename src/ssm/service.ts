import { AwsError } from '../edge/errors.js';
import type { SecretBox } from '../crypto/secret-box.js';
import type { StateStore } from '../store/port.js';
import { invalidName, parameterNotFound, versionNotFound } from './errors.js';
import { isWellFormed, parameterArn, parseReference } from './names.js';
import { currentVersion, parameterKey, sealContext, SsmState, type ParameterRecord, type ParameterVersionRecord, type Scope } from './state.js';

/** A parameter version picked by a name/ARN with an optional `:version` / `:label` selector. */
export interface Selected {
  record: ParameterRecord;
  version: ParameterVersionRecord;
  /** The selector as GetParameter reports it (`:3`, `:prod`), when one was given. */
  selector?: string;
}

/**
 * Why `ParameterStore.resolve` could not produce a value; `code` and `message` are what SSM would
 * answer (ParameterNotFound's own message is empty, so the message names the reference instead).
 */
export class ParameterResolutionError extends Error {
  constructor(readonly code: string, message: string, readonly reference: string) {
    super(message);
    this.name = 'ParameterResolutionError';
  }
}

/**
 * The SSM Parameter Store room's state and its internal API. SecureString values are sealed with
 * the server's secrets key; `value(…, true)` opens them.
 */
export class ParameterStore {
  readonly state: SsmState;

  constructor(readonly store: StateStore, private readonly box: SecretBox) {
    this.state = new SsmState(store);
  }

  get(scope: Scope, name: string): ParameterRecord | undefined {
    return this.state.parameters.get(parameterKey(scope, name));
  }

  /** Every parameter of the scope, sorted by name. */
  list(scope: Scope): ParameterRecord[] {
    const prefix = `${scope.accountId}:${scope.region}:`;
    const out: ParameterRecord[] = [];
    for (const [key, record] of this.state.parameters.entries()) if (key.startsWith(prefix)) out.push(record);
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  save(scope: Scope, record: ParameterRecord): void {
    this.state.parameters.put(parameterKey(scope, record.name), record);
  }

  remove(scope: Scope, name: string): boolean {
    return this.state.parameters.delete(parameterKey(scope, name));
  }

  seal(scope: Scope, name: string, version: number, plaintext: string): string {
    return this.box.seal(plaintext, sealContext(scope, name, version));
  }

  /**
   * A version's value as the API shows it: plaintext, except a SecureString without decryption,
   * which shows its opaque ciphertext (base64), as SSM shows the KMS ciphertext.
   */
  value(scope: Scope, name: string, v: ParameterVersionRecord, withDecryption: boolean): string {
    if (v.type !== 'SecureString' || !withDecryption) return v.value;
    return this.box.openText(v.value, sealContext(scope, name, v.version));
  }

  /**
   * The version a name or ARN (with an optional selector) picks in `scope`. An ARN of another
   * account or region names nothing here. Throws the AwsError SSM answers: ValidationException
   * for a malformed name, ParameterNotFound, ParameterVersionNotFound.
   */
  select(scope: Scope, reference: string): Selected {
    const ref = parseReference(reference);
    if (!ref) throw parameterNotFound();
    if (ref.scope && (ref.scope.accountId !== scope.accountId || ref.scope.region !== scope.region)) throw parameterNotFound();
    for (const name of ref.candidates) if (!isWellFormed(name)) throw invalidName();
    const record = ref.candidates.map((n) => this.get(scope, n)).find((r) => r !== undefined);
    if (!record) throw parameterNotFound();
    if (ref.selector === undefined) return { record, version: currentVersion(record) };
    const version = /^[0-9]+$/.test(ref.selector)
      ? record.versions.find((v) => v.version === Number(ref.selector))
      : record.versions.find((v) => v.labels.includes(ref.selector!));
    if (!version) throw versionNotFound(record.name, ref.selector);
    return { record, version, selector: `:${ref.selector}` };
  }

  /** The Parameter structure GetParameter(s)/GetParametersByPath return. */
  view(scope: Scope, s: Selected, withDecryption: boolean): Record<string, unknown> {
    return {
      Name: s.record.name,
      Type: s.version.type,
      Value: this.value(scope, s.record.name, s.version, withDecryption),
      Version: s.version.version,
      Selector: s.selector,
      LastModifiedDate: new Date(s.version.modifiedAt),
      ARN: parameterArn(scope, s.record.name),
      DataType: s.version.dataType,
    };
  }

  /**
   * The plaintext an ECS `secrets[].valueFrom` naming a parameter resolves to: a name (in
   * `scope`) or a parameter ARN (its region is honoured, as ECS reads parameters across
   * regions; its account must be the scope's), optionally with `:version` or `:label`.
   * SecureStrings are decrypted. Throws ParameterResolutionError. `authorize`, when given, is
   * called with the parameter's ARN once it is found and before its value is read; an AwsError
   * it throws becomes a ParameterResolutionError with the same code and message.
   */
  resolve(scope: Scope, nameOrArn: string, authorize?: (parameterArn: string) => void): string {
    const ref = parseReference(nameOrArn);
    if (ref?.scope && ref.scope.accountId !== scope.accountId) {
      throw new ParameterResolutionError('ParameterNotFound', `Parameter ${nameOrArn} not found.`, nameOrArn);
    }
    const where = ref?.scope ?? scope;
    try {
      const s = this.select(where, nameOrArn);
      authorize?.(parameterArn(where, s.record.name));
      return this.value(where, s.record.name, s.version, true);
    } catch (err) {
      if (!(err instanceof AwsError)) throw err;
      const message = err.code === 'ParameterNotFound' ? `Parameter ${nameOrArn} not found.` : err.message;
      throw new ParameterResolutionError(err.code, message, nameOrArn);
    }
  }
}
