import path from 'node:path';

// The built app's own route table: suites that must cover every route (CSRF, access) read it,
// so a route added later is tested, or the suite fails naming it.

export type AppRoute = {
  id: string;
  /** The URL pattern, e.g. `/organise/:slug/team`. */
  pattern: string;
  hasAction: boolean;
  hasLoader: boolean;
};

type BuiltRoute = {
  id: string;
  path?: string;
  parentId?: string;
  index?: boolean;
  module: { action?: unknown; loader?: unknown };
};

export async function appRoutes(): Promise<AppRoute[]> {
  const build = (await import(path.resolve('build/server/index.js'))) as {
    routes: Record<string, BuiltRoute>;
  };
  const routes = build.routes;
  const patternOf = (route: BuiltRoute): string => {
    const parent = route.parentId ? routes[route.parentId] : undefined;
    const base = parent ? patternOf(parent) : '';
    return route.path ? `${base.replace(/\/$/, '')}/${route.path}` : base || '/';
  };
  return Object.values(routes)
    .filter((route) => route.id !== 'root')
    .map((route) => ({
      id: route.id,
      pattern: patternOf(route),
      hasAction: typeof route.module.action === 'function',
      hasLoader: typeof route.module.loader === 'function',
    }))
    .sort((a, b) => a.pattern.localeCompare(b.pattern));
}
