// tf.io's URL routers: functions mapping a URL-like string (and load options) to an IOHandler or null. model.save(url)
// and tf.loadLayersModel(url) ask every registered router, in registration order, and use the one handler found.
import { ValueError } from '../../errors';

/** A router: the handler for `url`, or null when the URL is not its scheme. */
export type IORouter = (url: string | string[], loadOptions?: unknown) => unknown;

const saveRouters: IORouter[] = [];
const loadRouters: IORouter[] = [];

function checkRouter(what: string, router: unknown): IORouter {
  if (typeof router !== 'function') throw new ValueError(`${what}: expected a function (url, loadOptions?) => IOHandler | null, got ${typeof router}`);
  return router as IORouter;
}

/** Adds a router consulted by model.save(url) (and getSaveHandlers). */
export function registerSaveRouter(router: IORouter): void {
  saveRouters.push(checkRouter('registerSaveRouter', router));
}

/** Adds a router consulted by tf.loadLayersModel(url) (and getLoadHandlers). */
export function registerLoadRouter(router: IORouter): void {
  loadRouters.push(checkRouter('registerLoadRouter', router));
}

// Every non-null answer counts, as in tfjs (undefined included): a router signals "not mine" with null.
const handlersOf = (routers: IORouter[], url: string | string[], loadOptions?: unknown): unknown[] =>
  routers.map((r) => r(url, loadOptions)).filter((h) => h !== null);

/** The handlers every save router gives for `url`. */
export function getSaveHandlers(url: string | string[]): unknown[] {
  return handlersOf(saveRouters, url);
}

/** The handlers every load router gives for `url` (routers also see the load options). */
export function getLoadHandlers(url: string | string[], loadOptions?: unknown): unknown[] {
  return handlersOf(loadRouters, url, loadOptions);
}
