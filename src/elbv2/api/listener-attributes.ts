import { checkListenerAttributes, listenerAttributes, readListenerAttributes } from '../listener-attributes.js';
import { required } from '../input.js';
import { recordKey, type ListenerRecord } from '../state.js';
import { renderAttributes } from '../xml.js';
import { loadListener, type Elbv2Operation } from './operation.js';

/**
 * Listener attributes (keys and values in listener-attributes.ts). A change reaches the data
 * plane as a new route for the listener: its port is never rebound, so connections stay up.
 */

const DescribeListenerAttributes: Elbv2Operation = (n, s, _now, elb) => {
  const l = loadListener(elb, s, required(n, 'ListenerArn'));
  return renderAttributes(listenerAttributes(l.protocol, l.attributes ?? {}));
};

/** Merges the given attributes into the listener's and answers all of them, as AWS does. */
const ModifyListenerAttributes: Elbv2Operation = (n, s, _now, elb) => elb.applier.change(() => {
  const l = loadListener(elb, s, required(n, 'ListenerArn'));
  const attributes = { ...l.attributes, ...readListenerAttributes(n, l.protocol) };
  checkListenerAttributes(l.protocol, attributes);
  const next: ListenerRecord = { ...l, attributes };
  return {
    write: () => elb.state.listeners.put(recordKey(s, l.id), next),
    result: renderAttributes(listenerAttributes(l.protocol, attributes)),
  };
});

export const LISTENER_ATTRIBUTE_OPERATIONS: Readonly<Record<string, Elbv2Operation>> = { DescribeListenerAttributes, ModifyListenerAttributes };
