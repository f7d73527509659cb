/**
 * Django in the Python templates (#15 item 2): collectstatic in the stage
 * the runtime copies the app from, the collected folder in the runtime, and
 * the decisions that explain the server, the static files and the hosts
 * Django accepts.
 */
import { allowsProbes } from "../detect/django.js";
import type { DjangoApp, EntryPoint } from "../project.js";
import { type Decision, sq } from "./text.js";

/** A value for a variable the settings require at import, set on the collectstatic step only. */
const BUILD_PLACEHOLDER = "slimstage-collectstatic";

/**
 * `RUN ... collectstatic --noinput` with the settings module and the
 * variables the settings require at import on the command line: they reach
 * that step only, never the image (`--env` is for the verified containers).
 */
export function collectstaticLine(d: DjangoApp): string | undefined {
  if (!d.staticRoot) return undefined;
  const env = [
    `DJANGO_SETTINGS_MODULE=${d.settingsModule}`,
    ...d.requiredEnv.map((n) => `${n}=${BUILD_PLACEHOLDER}`),
  ];
  const cmd = d.manage
    ? "python manage.py collectstatic --noinput"
    : "python -m django collectstatic --noinput";
  return `RUN ${env.map(sq).join(" ")} ${cmd}`;
}

/** The COPY of the collected folder into the runtime (relative folders below the app folder). */
export function staticRootCopy(
  d: DjangoApp,
  appFrom: string,
  appPaths: readonly string[],
): string | undefined {
  const root = d.staticRoot?.path;
  if (!root) return undefined;
  if (root.startsWith("/")) return `COPY ${appFrom}${root} ${root}`;
  // A folder the app's own files already bring (STATIC_ROOT inside a copied folder) needs no second copy.
  if (appPaths.includes(root.split("/")[0] as string)) return undefined;
  return `COPY ${appFrom}/app/${root} ./${root}`;
}

function serverDecision(d: DjangoApp, entry: EntryPoint): Decision {
  const argv = entry.argv;
  if (argv.includes("runserver"))
    return {
      topic: "django",
      text: `\`manage.py runserver\` is Django's development server (one process, not made for production, no static files with DEBUG off), the last resort: add gunicorn to the requirements and the image runs \`gunicorn --bind 0.0.0.0:PORT ${d.wsgi?.target ?? `${d.settingsModule.split(".")[0]}.wsgi:application`}\``,
    };
  if (argv[0] === "gunicorn" || argv[0] === "uvicorn")
    return {
      topic: "django",
      text: `Django project (settings ${d.settingsModule}, from ${d.settingsSource}): ${argv[0]} runs ${argv[0] === "uvicorn" ? `the ASGI application ${d.asgi?.target}` : `the WSGI application ${d.wsgi?.target}`}; manage.py is not the entry`,
    };
  return {
    topic: "django",
    text: `Django project (settings ${d.settingsModule}, from ${d.settingsSource}): the entry comes from ${entry.source}`,
  };
}

function staticDecisions(d: DjangoApp, appDir: string): Decision[] {
  if (d.staticRootUnread)
    return [
      {
        topic: "static",
        text: `${d.staticRootUnread} is not a folder slimstage can read (a literal path, BASE_DIR / "name" or os.path.join(BASE_DIR, "name")): collectstatic is not run in the build`,
      },
    ];
  if (!d.staticRoot) return [];
  const where = d.staticRoot.path.startsWith("/") ? d.staticRoot.path : `${appDir}/${d.staticRoot.path}`;
  const out: Decision[] = [
    {
      topic: "static",
      text: `${d.staticRoot.source}: the build runs \`collectstatic --noinput\` with DJANGO_SETTINGS_MODULE=${d.settingsModule}${d.requiredEnv.length > 0 ? ` and a placeholder for ${d.requiredEnv.join(", ")} (read with os.environ[...] at import; on that step only, not in the image)` : ""}, and the collected files are in the runtime at ${where}`,
    },
  ];
  const server = d.staticServer;
  out.push({
    topic: "static",
    text:
      server === "whitenoise"
        ? `WhiteNoiseMiddleware is in the settings: the app serves ${where} itself, no web server in front is needed for static files`
        : server === "whitenoise-unused"
          ? `whitenoise is a dependency but WhiteNoiseMiddleware is not in MIDDLEWARE: with DEBUG off nothing in the image serves ${where} (add the middleware, or serve the folder from a web server in front)`
          : server?.startsWith("urlconf:")
            ? `${server.slice("urlconf:".length)} serves STATIC_ROOT with django.views.static.serve: the app serves ${where} itself`
            : `nothing in the image serves ${where} (gunicorn serves no files and Django serves static files only with DEBUG on): a web server or CDN in front needs it, or add whitenoise`,
  });
  return out;
}

function hostsDecision(d: DjangoApp, port: number | undefined): Decision | undefined {
  const hosts = d.allowedHosts;
  if (!hosts) return undefined;
  const p = port ?? 8000;
  if (hosts.env && !hosts.hosts)
    return {
      topic: "allowed-hosts",
      text: `ALLOWED_HOSTS is read from the environment (${hosts.env}): verify's probes reach the container at its own address, so the verified container needs --env ${hosts.env}=... allowing it (for example '*'); otherwise Django answers 400 (DisallowedHost)`,
    };
  const allows = allowsProbes(d);
  if (!allows || allows.containerAddress) return undefined;
  const listed = `ALLOWED_HOSTS = ${hosts.text}${d.debug === undefined ? "" : ` with DEBUG = ${d.debug ? "True" : "False"}`} in ${d.settingsFile}`;
  return {
    topic: "allowed-hosts",
    text: `${listed} lets no request through whose Host is the container's own address, which is how verify's probes reach it${allows.loopback ? " (127.0.0.1 through a published port is allowed)" : ", nor 127.0.0.1"}: Django answers them 400 (DisallowedHost). The settings are not changed: list the hosts the app is served under, read them from the environment and pass --env, or give the probe a Host header the list allows (--probe http://:${p}/ --header 'Host: ${hosts.hosts?.find((h) => h !== "*" && !h.startsWith(".")) ?? "example.com"}')`,
  };
}

/** The Django decisions of a plan: server, static files, allowed hosts, DEBUG. */
export function djangoDecisions(
  d: DjangoApp,
  entry: EntryPoint,
  port: number | undefined,
  appDir: string,
): Decision[] {
  const out = [serverDecision(d, entry), ...staticDecisions(d, appDir)];
  const hosts = hostsDecision(d, port);
  if (hosts) out.push(hosts);
  if (d.debug === true)
    out.push({
      topic: "django",
      text: `DEBUG = True in ${d.settingsFile}: Django shows tracebacks and settings to every visitor; production images usually read it from the environment`,
    });
  return out;
}
