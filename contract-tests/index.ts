// `gatehouse/harness`: the contract checks from code, against any stack's outputs (AWS or local), with typed
// results. The harness talks HTTP only, so it cannot tell a local stack from AWS.
export { runContract, type ContractOptions } from './run';
export { formatTable, toJUnit, toJson, type CheckResult, type ContractReport } from './report';
export { CHECK_CASES, type CheckCase } from './expectations';
export type { StackOutputs } from '../stack/outputs';
