/**
 * The path of a request target, or null when the target is malformed (answered 400, as Go's
 * server does). Only origin-form (`/metrics?x`) and absolute-form (`http://host/metrics`) are
 * valid. The path is taken as sent and never resolved against a base URL: `//evil.example/metrics`
 * is the path `//evil.example/metrics` (404), not the host evil.example.
 */
const PATH = /^\/(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-Fa-f]{2})*$/;
const QUERY = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})*$/;

export function requestPath(target: string | undefined): string | null {
  if (!target) return null;
  let originForm = target;
  if (!target.startsWith('/')) {
    if (!/^https?:\/\//i.test(target)) return null;
    try {
      const url = new URL(target);
      originForm = url.pathname + url.search;
    } catch {
      return null;
    }
  }
  const question = originForm.indexOf('?');
  const path = question < 0 ? originForm : originForm.slice(0, question);
  const query = question < 0 ? '' : originForm.slice(question + 1);
  return PATH.test(path) && QUERY.test(query) ? path : null;
}
