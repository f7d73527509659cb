/**
 * `extends` within one compose file, merged the way docker-compose 1.29
 * merges the keys verification uses (checked by the compose corpus test):
 * `environment`, `build` (and its `args`) and `healthcheck` merge as maps,
 * `ports` and `env_file` append (ports without duplicates), anything else is
 * replaced. Like 1.29, a service with `depends_on` cannot be extended, and
 * `extends.file` is refused: slimstage reads one file.
 */

export type RawService = Record<string, unknown>;

export type ExtendsError = (message: string, path: string[]) => Error;

function envMap(value: unknown): Record<string, unknown> {
  if (Array.isArray(value)) {
    const out: Record<string, unknown> = {};
    for (const item of value) {
      const s = String(item);
      const eq = s.indexOf("=");
      if (eq < 0) out[s] = null;
      else out[s.slice(0, eq)] = s.slice(eq + 1);
    }
    return out;
  }
  return value && typeof value === "object" ? { ...(value as Record<string, unknown>) } : {};
}

function asList(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function buildMap(value: unknown): Record<string, unknown> {
  if (typeof value === "string") return { context: value };
  return value && typeof value === "object" ? { ...(value as Record<string, unknown>) } : {};
}

function mergeService(parent: RawService, child: RawService): RawService {
  const out: RawService = { ...parent };
  for (const [k, v] of Object.entries(child)) {
    if (k === "extends") continue;
    const p = parent[k];
    if (p === undefined) out[k] = v;
    else if (k === "environment") out[k] = { ...envMap(p), ...envMap(v) };
    else if (k === "build") {
      const pb = buildMap(p);
      const cb = buildMap(v);
      const merged: Record<string, unknown> = { ...pb, ...cb };
      if (pb.args !== undefined || cb.args !== undefined)
        merged.args = { ...envMap(pb.args), ...envMap(cb.args) };
      out[k] = merged;
    } else if (k === "healthcheck")
      out[k] = { ...(p as Record<string, unknown>), ...(v as Record<string, unknown>) };
    else if (k === "ports") {
      const seen = new Set<string>();
      out[k] = [...asList(p), ...asList(v)].filter((x) => {
        const key = JSON.stringify(x);
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
    } else if (k === "env_file") out[k] = [...asList(p), ...asList(v)];
    else out[k] = v;
  }
  delete out.extends;
  return out;
}

/** The services with every `extends` resolved (the file's order kept). */
export function resolveExtends(
  services: Record<string, RawService>,
  fail: ExtendsError,
): Record<string, RawService> {
  const done = new Map<string, RawService>();
  const resolveOne = (name: string, chain: string[]): RawService => {
    const ready = done.get(name);
    if (ready) return ready;
    if (chain.includes(name))
      throw fail(`extends cycle: ${[...chain, name].join(" -> ")}`, ["services", name, "extends"]);
    const raw = services[name] ?? {};
    const ext = raw.extends;
    let result = raw;
    if (ext !== undefined) {
      const spec = (typeof ext === "string" ? { service: ext } : ext) as { service: string; file?: string };
      if (spec.file !== undefined)
        throw fail(`services.${name}.extends.file is not supported: slimstage reads one compose file`, [
          "services",
          name,
          "extends",
          "file",
        ]);
      if (!services[spec.service])
        throw fail(`service "${name}" extends "${spec.service}", which is not defined`, [
          "services",
          name,
          "extends",
        ]);
      const parent = resolveOne(spec.service, [...chain, name]);
      if (parent.depends_on !== undefined)
        throw fail(
          `service "${name}" extends "${spec.service}", which has depends_on (compose refuses this too)`,
          ["services", name, "extends"],
        );
      result = mergeService(parent, raw);
    }
    done.set(name, result);
    return result;
  };
  const out: Record<string, RawService> = {};
  for (const name of Object.keys(services)) out[name] = resolveOne(name, []);
  return out;
}
