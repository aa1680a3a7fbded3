/**
 * Counters named after the CloudWatch metrics ALB and NLB publish, so the metrics room can
 * forward them as they are. Plain mutable fields: the hot path only increments.
 */

export class HttpCounters {
  RequestCount = 0;
  HTTPCode_Target_2XX_Count = 0;
  HTTPCode_Target_3XX_Count = 0;
  HTTPCode_Target_4XX_Count = 0;
  HTTPCode_Target_5XX_Count = 0;
  HTTPCode_ELB_3XX_Count = 0;
  HTTPCode_ELB_4XX_Count = 0;
  HTTPCode_ELB_5XX_Count = 0;
  HTTPCode_ELB_502_Count = 0;
  HTTPCode_ELB_503_Count = 0;
  HTTPCode_ELB_504_Count = 0;
  TargetConnectionErrorCount = 0;
  /** HTTPS listeners: TLS handshakes that failed (no request reaches a target). */
  ClientTLSNegotiationErrorCount = 0;
  /** TargetResponseTime, in seconds: sum and sample count (CloudWatch's statistic set). */
  TargetResponseTimeSum = 0;
  TargetResponseTimeCount = 0;

  target(status: number, seconds: number): void {
    if (status < 300) this.HTTPCode_Target_2XX_Count++;
    else if (status < 400) this.HTTPCode_Target_3XX_Count++;
    else if (status < 500) this.HTTPCode_Target_4XX_Count++;
    else this.HTTPCode_Target_5XX_Count++;
    this.TargetResponseTimeSum += seconds;
    this.TargetResponseTimeCount++;
  }

  /** A response the load balancer wrote itself (fixed-response, redirect, errors); no 2XX metric exists. */
  elb(status: number): void {
    if (status < 300) return;
    if (status < 400) this.HTTPCode_ELB_3XX_Count++;
    else if (status < 500) this.HTTPCode_ELB_4XX_Count++;
    else {
      this.HTTPCode_ELB_5XX_Count++;
      if (status === 502) this.HTTPCode_ELB_502_Count++;
      else if (status === 503) this.HTTPCode_ELB_503_Count++;
      else if (status === 504) this.HTTPCode_ELB_504_Count++;
    }
  }
}

/** The transport a flow uses, as NLB's per-protocol metrics name it (a TCP_UDP listener has both). */
export type FlowKind = 'TCP' | 'TLS' | 'UDP';

/**
 * NLB's flow metrics: totals and the per-protocol `_TCP`, `_TLS`, `_UDP` series. Kept at the load
 * balancer, the target group and each target alike; change them through the functions below so
 * the total and the per-protocol series move together.
 */
export class FlowCounters {
  NewFlowCount = 0;
  ActiveFlowCount = 0;
  ProcessedBytes = 0;
  NewFlowCount_TCP = 0;
  NewFlowCount_TLS = 0;
  NewFlowCount_UDP = 0;
  ActiveFlowCount_TCP = 0;
  ActiveFlowCount_TLS = 0;
  ActiveFlowCount_UDP = 0;
  ProcessedBytes_TCP = 0;
  ProcessedBytes_TLS = 0;
  ProcessedBytes_UDP = 0;
  TCP_ELB_Reset_Count = 0;
  TCP_Target_Reset_Count = 0;
  ClientTLSNegotiationErrorCount = 0;
  TargetTLSNegotiationErrorCount = 0;
  /** New flows refused because the flow table was full (Berth bounds its UDP flow table). */
  RejectedFlowCount = 0;
}

export function flowOpened(c: FlowCounters, kind: FlowKind): void {
  c.NewFlowCount++; c.ActiveFlowCount++;
  c[`NewFlowCount_${kind}`]++; c[`ActiveFlowCount_${kind}`]++;
}

export function flowClosed(c: FlowCounters, kind: FlowKind): void {
  c.ActiveFlowCount--; c[`ActiveFlowCount_${kind}`]--;
}

export function flowBytes(c: FlowCounters, kind: FlowKind, bytes: number): void {
  c.ProcessedBytes += bytes; c[`ProcessedBytes_${kind}`] += bytes;
}

export interface TargetMetrics { target: string; counters: HttpCounters | FlowCounters }

export interface TargetGroupMetrics {
  counters: HttpCounters | FlowCounters;
  HealthyHostCount: number;
  UnHealthyHostCount: number;
  targets: Record<string, HttpCounters | FlowCounters>;
}

export interface DataPlaneMetrics {
  loadBalancers: Record<string, HttpCounters | FlowCounters>;
  targetGroups: Record<string, TargetGroupMetrics>;
}
