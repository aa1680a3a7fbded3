import type { GetQueryResultsRequest, StartQueryRequest, StopQueryRequest } from '@aws-sdk/client-cloudwatch-logs';
import type { Operation } from '../../edge/surface.js';
import { invalidParameter } from '../errors.js';
import { parseQuery } from '../insights/parse.js';
import type { QueryManager } from '../insights/queries.js';
import { checkGroupName, groupNameFromIdentifier, scopeOf } from '../names.js';
import { operation } from './operation.js';

/** StartQuery takes at most 50 log groups. */
const MAX_GROUPS = 50;

/**
 * Logs Insights: StartQuery, GetQueryResults, StopQuery. StartQuery's times are epoch seconds
 * and both ends are inclusive (the whole end second counts). Only the Logs Insights language
 * (CWLI) is supported; the query text is parsed before the query is accepted, so a bad query is a
 * MalformedQueryException from StartQuery, as in CloudWatch Logs.
 */
export function queryOperations(queries: QueryManager): Record<string, Operation> {
  return {
    StartQuery: operation<StartQueryRequest>((input, ctx) => {
      const s = scopeOf(ctx);
      if (input.queryLanguage !== undefined && input.queryLanguage !== 'CWLI') {
        throw invalidParameter(`Query language ${input.queryLanguage} is not supported by Berth; use CWLI (Logs Insights).`);
      }
      const given = [input.logGroupName, input.logGroupNames, input.logGroupIdentifiers].filter((x) => x !== undefined);
      if (given.length === 0) throw invalidParameter('Specify a log group with logGroupName, logGroupNames or logGroupIdentifiers.');
      if (given.length > 1) throw invalidParameter('logGroupName, logGroupNames and logGroupIdentifiers are mutually exclusive parameters.');
      let groups: string[];
      if (input.logGroupName !== undefined) groups = [input.logGroupName];
      else if (input.logGroupNames !== undefined) groups = input.logGroupNames;
      else groups = input.logGroupIdentifiers!.map((id) => groupNameFromIdentifier(s, id));
      groups.forEach((g) => checkGroupName(g));
      if (groups.length === 0 || groups.length > MAX_GROUPS) throw invalidParameter(`A query takes between 1 and ${MAX_GROUPS} log groups.`);
      if (input.endTime! < input.startTime!) throw invalidParameter('The end time of the query must not be before its start time.');
      const commands = parseQuery(input.queryString!);
      const from = input.startTime! * 1000;
      const to = input.endTime! * 1000 + 999;
      return { queryId: queries.start(s, [...new Set(groups)], from, to, commands, input.limit, ctx.now.getTime()) };
    }),

    GetQueryResults: operation<GetQueryResultsRequest>((input, ctx) => {
      const r = queries.results(scopeOf(ctx), input.queryId!);
      return { queryLanguage: 'CWLI', results: r.results, statistics: r.statistics, status: r.status };
    }),

    StopQuery: operation<StopQueryRequest>((input, ctx) => ({ success: queries.stop(scopeOf(ctx), input.queryId!) })),
  };
}
