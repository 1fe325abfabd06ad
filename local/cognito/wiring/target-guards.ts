// How the gap-fillers attach to cognito-local: a guard wraps one operation's route (checks before,
// corrects after); an added route serves an operation cognito-local lacks.
import { isCognitoLocalOperation, type Route, type Router, type Services } from './cognito-local-core';

export type Guard = (next: Route, services: Services) => Route;
/** Guards by operation name (the part of X-Amz-Target after the dot). */
export type TargetGuards = Readonly<Record<string, Guard>>;
export type AddedRoutes = Readonly<Record<string, (services: Services) => Route>>;

export interface OperationRouter {
  supports(operation: string): boolean;
  route(operation: string): Route;
}

/**
 * An added route or cognito-local's, wrapped by the guard sets in order (the first set's guard runs
 * first). Routes are built once per operation.
 */
export function composeRouter(
  base: Router,
  services: Services,
  added: AddedRoutes,
  guardSets: readonly TargetGuards[],
): OperationRouter {
  const built = new Map<string, Route>();
  return {
    supports: (operation) => Object.hasOwn(added, operation) || isCognitoLocalOperation(operation),
    route(operation) {
      let route = built.get(operation);
      if (!route) {
        route = Object.hasOwn(added, operation) ? added[operation](services) : base(operation);
        for (const guards of [...guardSets].reverse())
          if (Object.hasOwn(guards, operation)) route = guards[operation](route, services);
        built.set(operation, route);
      }
      return route;
    },
  };
}
