/**
 * Django projects (#15 item 2): the settings module, the WSGI/ASGI
 * application the server runs, STATIC_ROOT (collectstatic in the build),
 * how static files are served, the ALLOWED_HOSTS a probe must pass, and the
 * variables the settings need at import. Read from the settings' text only:
 * nothing is imported or run.
 */
import type { DjangoApp } from "../project.js";
import type { ProjectFiles } from "./files.js";

const SETTINGS_ENV = /DJANGO_SETTINGS_MODULE["']\s*,\s*["']([\w.]+)["']/;

/** The file that holds a dotted module (`mysite.settings` -> mysite/settings.py or its package). */
function moduleFile(files: ProjectFiles, dotted: string): string | undefined {
  const base = dotted.replace(/\./g, "/");
  return [`${base}.py`, `${base}/__init__.py`].find((f) => files.has(f));
}

/**
 * The expression assigned to NAME at module level, the last assignment
 * winning (as it does when Python runs the file); lists may span lines.
 */
export function assignedValue(text: string, name: string): string | undefined {
  const re = new RegExp(`^${name}\\s*=\\s*`, "gm");
  let start = -1;
  for (const m of text.matchAll(re)) start = (m.index ?? 0) + m[0].length;
  if (start < 0) return undefined;
  let depth = 0;
  let quote = "";
  let out = "";
  for (let i = start; i < text.length; i++) {
    const c = text[i] as string;
    if (quote) {
      if (c === "\\") {
        out += c + (text[i + 1] ?? "");
        i++;
        continue;
      }
      if (c === quote) quote = "";
    } else if (c === '"' || c === "'") quote = c;
    else if ("([{".includes(c)) depth++;
    else if (")]}".includes(c)) depth--;
    else if (c === "#") {
      // A comment runs to the end of its line; the expression may go on below it.
      const eol = text.indexOf("\n", i);
      i = (eol < 0 ? text.length : eol) - 1;
      continue;
    } else if (c === "\n" && depth <= 0) break;
    out += c;
  }
  return out.trim();
}

const stringLiteral = (v: string | undefined): string | undefined =>
  v === undefined ? undefined : /^(?:r|u)?["']([^"']*)["']$/.exec(v)?.[1];

/** The string literals of a list or tuple expression; undefined when it is anything else. */
export function stringList(v: string | undefined): string[] | undefined {
  if (v === undefined || !/^[[(][\s\S]*[\])]$/.test(v)) return undefined;
  const inner = v.slice(1, -1).trim();
  if (inner === "") return [];
  const items = inner
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);
  const out = items.map(stringLiteral);
  return out.every((x): x is string => x !== undefined) ? out : undefined;
}

/** A settings module's text with the settings it star-imports from the project first (`from .base import *`). */
async function settingsText(
  files: ProjectFiles,
  file: string,
  seen: Set<string> = new Set(),
): Promise<Array<{ file: string; text: string }>> {
  if (seen.has(file) || seen.size > 5) return [];
  seen.add(file);
  const text = (await files.read(file)) ?? "";
  const pkg = file.endsWith("/__init__.py")
    ? file.slice(0, -"/__init__.py".length)
    : file.slice(0, file.lastIndexOf("/") + 1).replace(/\/$/, "");
  const out: Array<{ file: string; text: string }> = [];
  for (const m of text.matchAll(/^from\s+([\w.]+)\s+import\s+\*/gm)) {
    const mod = m[1] as string;
    const dotted = mod.startsWith(".") ? `${pkg.replace(/\//g, ".")}.${mod.replace(/^\.+/, "")}` : mod;
    const f = moduleFile(files, dotted.replace(/^\./, ""));
    if (f) out.push(...(await settingsText(files, f, seen)));
  }
  out.push({ file, text });
  return out;
}

/** The folder BASE_DIR names, relative to the project: `Path(__file__).resolve().parent.parent` from mysite/settings.py is "". */
function baseDirOf(parts: Array<{ file: string; text: string }>): string | undefined {
  for (const { file, text } of [...parts].reverse()) {
    const v = assignedValue(text, "BASE_DIR");
    if (v === undefined) continue;
    const ups = /Path\(\s*__file__\s*\)/.test(v)
      ? (v.match(/\.parent\b/g) ?? []).length
      : /__file__/.test(v)
        ? (v.match(/dirname\(/g) ?? []).length
        : 0;
    if (ups === 0) return undefined;
    const dirs = file.split("/").slice(0, -1);
    if (ups - 1 > dirs.length) return undefined;
    return dirs.slice(0, dirs.length - (ups - 1)).join("/");
  }
  return undefined;
}

/** STATIC_ROOT as a folder: `BASE_DIR / "staticfiles"`, `os.path.join(BASE_DIR, "a", "b")`, or a literal path. */
export function staticRootPath(value: string, baseDir: string | undefined): string | undefined {
  const v = value.replace(/^str\(\s*([\s\S]*)\s*\)$/, "$1").trim();
  const literal = stringLiteral(v);
  if (literal !== undefined) return literal.replace(/\/+$/, "") || undefined;
  const parts: string[] = [];
  const slash = /^BASE_DIR((?:\s*\/\s*["'][^"']+["'])+)$/.exec(v);
  const join = /^os\.path\.join\(\s*BASE_DIR\s*((?:,\s*["'][^"']+["']\s*)+),?\s*\)$/.exec(v);
  const rest = slash?.[1] ?? join?.[1];
  if (rest === undefined || baseDir === undefined) return undefined;
  for (const m of rest.matchAll(/["']([^"']+)["']/g)) parts.push(m[1] as string);
  const rel = [baseDir, ...parts].filter(Boolean).join("/").replace(/\/+$/, "").replace(/^\.\//, "");
  return rel && !rel.split("/").includes("..") ? rel : undefined;
}

/** The environment variable an expression reads (`os.environ.get("DJANGO_ALLOWED_HOSTS", ...)`), if any. */
function envVariable(v: string): string | undefined {
  return /(?:os\.environ(?:\.get)?|os\.getenv|\benv(?:\.\w+)?)\s*[([]\s*["'](\w+)["']/.exec(v)?.[1];
}

/** WSGI_APPLICATION = "mysite.wsgi.application" -> "mysite.wsgi:application". */
function serverTarget(dotted: string | undefined): string | undefined {
  if (!dotted?.includes(".")) return undefined;
  const at = dotted.lastIndexOf(".");
  return `${dotted.slice(0, at)}:${dotted.slice(at + 1)}`;
}

/** The module holding `application = get_wsgi_application()` (or asgi) beside the settings. */
async function applicationModule(
  files: ProjectFiles,
  pkg: string,
  kind: "wsgi" | "asgi",
): Promise<string | undefined> {
  const file = pkg ? `${pkg}/${kind}.py` : `${kind}.py`;
  const text = await files.read(file);
  if (text === undefined || !/^application\s*=/m.test(text)) return undefined;
  return `${file.replace(/\.py$/, "").replace(/\//g, ".")}:application`;
}

/** A Django project, when django is a dependency (or manage.py names a settings module) and its settings are found. */
export async function detectDjango(
  files: ProjectFiles,
  dependencyNames: readonly string[],
  appPy: readonly string[],
): Promise<DjangoApp | undefined> {
  const manage = await files.read("manage.py");
  const fromManage = manage ? SETTINGS_ENV.exec(manage)?.[1] : undefined;
  if (!dependencyNames.includes("django") && !fromManage) return undefined;
  let settingsModule = fromManage;
  let settingsSource = "DJANGO_SETTINGS_MODULE in manage.py";
  let settingsFile = settingsModule ? moduleFile(files, settingsModule) : undefined;
  if (!settingsFile) {
    const found = files.list.filter((f) => /^[^/]+\/settings\.py$/.test(f));
    if (found.length !== 1) return undefined;
    settingsFile = found[0] as string;
    settingsModule = settingsFile.replace(/\.py$/, "").replace(/\//g, ".");
    settingsSource = settingsFile;
  }
  const parts = await settingsText(files, settingsFile);
  const all = parts.map((p) => p.text).join("\n");
  const get = (name: string) => assignedValue(all, name);
  // The package the settings live in (mysite/ for mysite/settings.py and mysite/settings/production.py).
  const pkg = (settingsModule as string).split(".")[0] as string;

  const app: DjangoApp = {
    settingsModule: settingsModule as string,
    settingsFile,
    settingsSource,
    manage: manage !== undefined,
    requiredEnv: [
      ...new Set(
        [...all.matchAll(/os\.environ\[\s*["'](\w+)["']\s*\]/g)]
          .map((m) => m[1] as string)
          .filter((n) => n !== "DJANGO_SETTINGS_MODULE"),
      ),
    ].sort(),
  };
  const wsgi = serverTarget(stringLiteral(get("WSGI_APPLICATION")));
  if (wsgi) app.wsgi = { target: wsgi, source: `WSGI_APPLICATION in ${settingsFile}` };
  else {
    const t = await applicationModule(files, pkg, "wsgi");
    if (t) app.wsgi = { target: t, source: `${t.split(":")[0]?.replace(/\./g, "/")}.py` };
  }
  const asgi = serverTarget(stringLiteral(get("ASGI_APPLICATION")));
  if (asgi) app.asgi = { target: asgi, source: `ASGI_APPLICATION in ${settingsFile}`, explicit: true };
  else {
    const t = await applicationModule(files, pkg, "asgi");
    if (t) app.asgi = { target: t, source: `${t.split(":")[0]?.replace(/\./g, "/")}.py`, explicit: false };
  }

  const staticRoot = get("STATIC_ROOT");
  if (staticRoot !== undefined && staticRoot !== "None") {
    const p = staticRootPath(staticRoot, baseDirOf(parts));
    if (p) app.staticRoot = { path: p, source: `STATIC_ROOT in ${settingsFile}` };
    else app.staticRootUnread = `STATIC_ROOT = ${staticRoot.split("\n")[0]}`;
  }
  if (/["']whitenoise\.middleware\.WhiteNoiseMiddleware["']/.test(all)) app.staticServer = "whitenoise";
  else if (dependencyNames.includes("whitenoise")) app.staticServer = "whitenoise-unused";
  else {
    for (const f of appPy.slice(0, 50)) {
      const text = (await files.read(f)) ?? "";
      if (/django\.views\.static\b/.test(text) && /STATIC_ROOT/.test(text)) {
        app.staticServer = `urlconf:${f}`;
        break;
      }
    }
  }

  const debug = get("DEBUG");
  if (debug === "True" || debug === "False") app.debug = debug === "True";
  const hosts = get("ALLOWED_HOSTS");
  if (hosts !== undefined) {
    const list = stringList(hosts);
    const variable = envVariable(hosts);
    app.allowedHosts = {
      text: hosts.replace(/\s+/g, " "),
      ...(list ? { hosts: list } : {}),
      ...(variable ? { env: variable } : {}),
    };
  } else app.allowedHosts = { text: "(not set)", hosts: [] };
  return app;
}

/**
 * Whether Django answers a request whose Host is the container's own address
 * (how verify's probes reach it) or 127.0.0.1: an ALLOWED_HOSTS list without
 * `*` answers 400 (DisallowedHost). With DEBUG = True an empty list allows
 * localhost, 127.0.0.1 and [::1] only. undefined: it depends on the environment.
 */
export function allowsProbes(app: DjangoApp): { containerAddress: boolean; loopback: boolean } | undefined {
  const hosts = app.allowedHosts?.hosts;
  if (!hosts) return undefined;
  const effective =
    hosts.length === 0 && app.debug === true ? ["localhost", "127.0.0.1", "[::1]"] : hosts.map((h) => h);
  const star = effective.includes("*");
  return { containerAddress: star, loopback: star || effective.includes("127.0.0.1") };
}
