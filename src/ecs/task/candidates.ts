import { CandidateIndex } from '../placement/candidates.js';
import type { QueryTarget } from '../placement/query/index.js';
import type { InstanceView } from '../placement/types.js';
import type { ContainerInstanceRecord, EcsState, HostResources } from '../state.js';

/** What placement reads of a host's tasks (TaskService keeps it); `version` changes with any of it. */
export interface HostLedger {
  ledgerOf(hostId: string): { reserved: HostResources; groups: ReadonlyMap<string, number>; running: number; version: number };
  /** Just the version, cheaply. */
  versionOf(hostId: string): number;
}

interface Entry { record: ContainerInstanceRecord; version: number; view: InstanceView }

interface ClusterIndex { index: CandidateIndex; entries: Map<string, Entry>; tableSize: number }

/**
 * Each cluster's container instances as the placement pipeline sees them, kept in one
 * CandidateIndex per cluster so that a decision over thousands of instances does not rebuild
 * them. Before each use, an instance is re-snapshotted when its record changed (records are
 * replaced, never mutated, so identity tells) or its ledger version moved; the index is rebuilt
 * when instances joined or left. INACTIVE (deregistered) instances are not candidates.
 */
export class ClusterCandidates {
  private readonly clusters = new Map<string, ClusterIndex>();
  /** Query targets by view, for memberOf (built lazily, once per snapshot). */
  private readonly targets = new WeakMap<InstanceView, QueryTarget>();

  constructor(private readonly state: EcsState, private readonly ledger: HostLedger) {}

  /** The cluster's index, current as of now. */
  of(clusterArn: string): CandidateIndex {
    const c = this.clusters.get(clusterArn);
    // Instances joined or left (the table's size moved, or a known one went INACTIVE): rebuild.
    if (!c || c.tableSize !== this.state.containerInstances.size) return this.rebuild(clusterArn, c);
    for (const [arn, e] of c.entries) {
      const r = this.state.containerInstances.get(arn);
      if (!r || r.status === 'INACTIVE') return this.rebuild(clusterArn, c);
      if (r === e.record && this.ledger.versionOf(arn) === e.version) continue;
      const next = this.entry(r, e);
      c.entries.set(arn, next);
      c.index.set(next.view);
    }
    return c.index;
  }

  private rebuild(clusterArn: string, prior: ClusterIndex | undefined): CandidateIndex {
    const entries = new Map<string, Entry>();
    for (const r of this.state.containerInstances.values()) {
      if (r.clusterArn === clusterArn && r.status !== 'INACTIVE') entries.set(r.containerInstanceArn, this.entry(r, prior?.entries.get(r.containerInstanceArn)));
    }
    const c: ClusterIndex = { index: new CandidateIndex([...entries.values()].map((e) => e.view)), entries, tableSize: this.state.containerInstances.size };
    this.clusters.set(clusterArn, c);
    return c.index;
  }

  /** The entry for a record: the same object when nothing changed. */
  private entry(r: ContainerInstanceRecord, prior: Entry | undefined): Entry {
    if (prior && prior.record === r && prior.version === this.ledger.versionOf(r.containerInstanceArn)) return prior;
    const l = this.ledger.ledgerOf(r.containerInstanceArn);
    const reg = r.registeredResources;
    const view: InstanceView = {
      id: r.containerInstanceArn,
      ec2InstanceId: r.ec2InstanceId ?? '',
      status: r.status,
      connected: r.agentConnected,
      attributes: new Map(r.attributes.map((a) => [a.name!, a.value])),
      remaining: {
        cpu: reg.cpu - l.reserved.cpu,
        memory: reg.memory - l.reserved.memory,
        ports: new Set([...reg.ports, ...l.reserved.ports]),
        portsUdp: new Set([...reg.portsUdp, ...l.reserved.portsUdp]),
        gpus: freeGpus(reg.gpus, l.reserved.gpus),
      },
      taskGroups: new Map(l.groups),
      runningTasksCount: l.running,
    };
    return { record: r, version: l.version, view };
  }

  /** The cluster query language's view of an instance in the index (memberOf). */
  queryTarget(view: InstanceView): QueryTarget {
    let t = this.targets.get(view);
    if (!t) {
      const r = this.state.containerInstances.get(view.id);
      t = r ? queryTarget(r, view.attributes, view.runningTasksCount, view.taskGroups) : queryTarget({ ...NO_RECORD, ec2InstanceId: view.ec2InstanceId }, view.attributes, view.runningTasksCount, view.taskGroups);
      this.targets.set(view, t);
    }
    return t;
  }
}

const NO_RECORD = { registeredAt: 0, agentConnected: false, versionInfo: { agentVersion: '' } };

function queryTarget(
  r: Pick<ContainerInstanceRecord, 'ec2InstanceId' | 'registeredAt' | 'agentConnected' | 'versionInfo'>,
  attributes: ReadonlyMap<string, string | undefined>,
  running: number,
  groups: ReadonlyMap<string, number>,
): QueryTarget {
  return {
    ...(r.ec2InstanceId ? { ec2InstanceId: r.ec2InstanceId } : {}),
    attributes,
    runningTasksCount: running,
    registeredAt: r.registeredAt,
    agentConnected: r.agentConnected,
    ...(r.versionInfo.agentVersion ? { agentVersion: r.versionInfo.agentVersion } : {}),
    taskGroups: new Set(groups.keys()),
  };
}

/** The query language's view of a container instance record (ListContainerInstances --filter). */
export function queryTargetOf(r: ContainerInstanceRecord, ledger: HostLedger): QueryTarget {
  const l = ledger.ledgerOf(r.containerInstanceArn);
  return queryTarget(r, new Map(r.attributes.map((a) => [a.name!, a.value])), l.running, l.groups);
}

/** A host's GPU ids its tasks do not hold, in registration order (the order placement hands them out). */
export function freeGpus(registered: readonly string[] | undefined, reserved: readonly string[] | undefined): string[] {
  if (!registered?.length) return [];
  if (!reserved?.length) return [...registered];
  const held = new Set(reserved);
  return registered.filter((g) => !held.has(g));
}
