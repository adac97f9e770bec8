import { METHODS } from 'node:http';
import { RequestMethod, type INestApplication, type Type } from '@nestjs/common';
import { GUARDS_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { IS_PUBLIC, OPERATOR_ONLY, REQUIRED_ROLES, SKIP_CSRF } from '@waba/api/common/auth/auth.decorators';

/** One route of the running app, with what its guards will read from the metadata. */
export interface AppRoute {
  /** `GET /api/phone-numbers/:phoneNumberId/active`: the key of expectation tables. */
  key: string;
  method: string;
  path: string;
  /** Path parameter names, in order. */
  params: string[];
  /** `Controller.handler`, or `express:<function>` for routes registered on the HTTP adapter directly (Swagger, the webhook receiver). */
  handler: string;
  isPublic: boolean;
  skipCsrf: boolean;
  roles: string[] | null;
  operatorOnly: boolean;
  /** Class names of the guards the route itself adds (`@UseGuards`), beyond the global ones. */
  guards: string[];
}

const joinPath = (...parts: string[]) =>
  `/${parts
    .flatMap((p) => p.split('/'))
    .filter(Boolean)
    .join('/')}`;

function metadataOf<T>(key: string, handler: object, controller: object): T | undefined {
  // Mirrors Reflector.getAllAndOverride: the handler's metadata wins over the controller's.
  const own = Reflect.getMetadata(key, handler) as T | undefined;
  return own !== undefined ? own : (Reflect.getMetadata(key, controller) as T | undefined);
}

/**
 * Every route the app serves: Nest controllers (read from the module container, with their guard
 * metadata) plus anything registered on the Express router outside Nest (Swagger's pages). Both
 * come from the running app, so a new route shows up here without anyone listing it.
 */
export function listAppRoutes(app: INestApplication, globalPrefix = 'api'): AppRoute[] {
  const routes = new Map<string, AppRoute>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type<unknown> | null;
      if (!controller) continue;
      const controllerPaths = [Reflect.getMetadata(PATH_METADATA, controller) as string | string[] | undefined].flat().map((p) => p ?? '');
      const prototype = controller.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const handler = prototype[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const handlerPaths = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
        const requestMethod = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (handlerPaths === undefined || requestMethod === undefined) continue;
        for (const controllerPath of controllerPaths) {
          for (const handlerPath of [handlerPaths].flat()) {
            const path = joinPath(globalPrefix, controllerPath, handlerPath);
            const method = RequestMethod[requestMethod];
            const key = `${method} ${path}`;
            routes.set(key, {
              key,
              method,
              path,
              params: [...path.matchAll(/:(\w+)/g)].map((m) => m[1]),
              handler: `${controller.name}.${name}`,
              isPublic: metadataOf<boolean>(IS_PUBLIC, handler, controller) === true,
              skipCsrf: metadataOf<boolean>(SKIP_CSRF, handler, controller) === true,
              roles: metadataOf<string[]>(REQUIRED_ROLES, handler, controller) ?? null,
              operatorOnly: metadataOf<boolean>(OPERATOR_ONLY, handler, controller) === true,
              guards: [controller, handler].flatMap((target) => (Reflect.getMetadata(GUARDS_METADATA, target) as Array<{ name: string }> | undefined) ?? []).map((guard) => guard.name),
            });
          }
        }
      }
    }
  }
  for (const { method, path, handlerName } of expressRoutes(app)) {
    const key = `${method} ${path}`;
    if (routes.has(key)) continue;
    // Not a Nest handler: no guard runs, so it is public whatever it serves.
    routes.set(key, {
      key,
      method,
      path,
      params: [...path.matchAll(/:(\w+)/g)].map((m) => m[1]),
      handler: `express:${handlerName}`,
      isPublic: true,
      skipCsrf: true,
      roles: null,
      operatorOnly: false,
      guards: [],
    });
  }
  return [...routes.values()].sort((a, b) => a.key.localeCompare(b.key));
}

interface RouterLayer {
  route?: { path: string | string[]; methods: Record<string, boolean>; stack?: Array<{ name?: string }> };
  name?: string;
}

/** The route layers of the Express router (Express 5: `app.router`; 4: `app._router`). */
export function expressRoutes(app: INestApplication): Array<{ method: string; path: string; handlerName: string }> {
  const instance = app.getHttpAdapter().getInstance() as { router?: { stack: RouterLayer[] }; _router?: { stack: RouterLayer[] } };
  const stack = (instance.router ?? instance._router)?.stack ?? [];
  return stack.flatMap((layer) => {
    if (!layer.route) return [];
    const methods = Object.keys(layer.route.methods).filter((m) => m !== '_all');
    // `app.all()` layers (Nest's middleware for `forRoutes('*')`) answer every method: one entry.
    const all = layer.route.methods['_all'] === true || METHODS.every((m) => methods.includes(m.toLowerCase()));
    // The route's last function answers (the ones before it parse the body).
    const handlerName = layer.route.stack?.at(-1)?.name || '<anonymous>';
    return [layer.route.path].flat().flatMap((path) => (all ? [{ method: 'ALL', path, handlerName }] : methods.map((m) => ({ method: m.toUpperCase(), path, handlerName }))));
  });
}

/** Names of the middleware mounted on the Express router that are not routes (mounted sub-apps, parsers). */
export function expressMiddlewareNames(app: INestApplication): string[] {
  const instance = app.getHttpAdapter().getInstance() as { router?: { stack: RouterLayer[] }; _router?: { stack: RouterLayer[] } };
  return ((instance.router ?? instance._router)?.stack ?? []).filter((layer) => !layer.route).map((layer) => layer.name ?? '<anonymous>');
}

/** Fills `:param` positions; values are percent-encoded. */
export function fillPath(path: string, values: Record<string, string>): string {
  return path.replace(/:(\w+)/g, (_, name: string) => {
    if (!(name in values)) throw new Error(`no value for :${name} in ${path}`);
    return encodeURIComponent(values[name]);
  });
}
