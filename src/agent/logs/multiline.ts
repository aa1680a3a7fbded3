/**
 * awslogs-multiline-pattern / awslogs-datetime-format: a line that matches starts a new event;
 * other lines are appended (with a newline) to the event before them. The datetime format uses
 * strftime tokens, turned into an anchored regular expression here, as the awslogs driver does.
 */
const TOKENS: Record<string, string> = {
  Y: '\\d{4}', y: '\\d{2}', m: '\\d{2}', d: '\\d{2}', e: '[ \\d]\\d', H: '\\d{2}', I: '\\d{2}', M: '\\d{2}', S: '\\d{2}',
  f: '\\d{1,9}', L: '\\.\\d{3}', j: '\\d{3}', p: '(?:AM|PM)', b: '[A-Za-z]{3}', h: '[A-Za-z]{3}', B: '[A-Za-z]+', a: '[A-Za-z]{3}',
  A: '[A-Za-z]+', Z: '[A-Za-z]+', z: '[+-]\\d{4}', T: '\\d{2}:\\d{2}:\\d{2}', D: '\\d{2}/\\d{2}/\\d{2}', F: '\\d{4}-\\d{2}-\\d{2}',
  k: '[ \\d]\\d', l: '[ \\d]\\d', '%': '%',
};

export function datetimeFormatToRegExp(format: string): RegExp {
  let out = '^';
  for (let i = 0; i < format.length; i++) {
    const c = format[i]!;
    if (c === '%' && i + 1 < format.length) {
      const t = format[++i]!;
      out += TOKENS[t] ?? t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    } else out += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(out);
}

/** The start-of-event pattern an awslogs configuration asks for, if any. */
export function eventStart(options: Record<string, string>): RegExp | undefined {
  if (options['awslogs-datetime-format']) return datetimeFormatToRegExp(options['awslogs-datetime-format']);
  if (options['awslogs-multiline-pattern']) return new RegExp(`^(?:${options['awslogs-multiline-pattern']})`);
  return undefined;
}
