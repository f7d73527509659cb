/**
 * End-of-life dates of the runtimes and distributions that base images carry,
 * as their maintainers published them. Each row cites where its date comes
 * from. The clock is injected (`now`), so tests and policies can set "today".
 */

export type EolProduct =
  | "python"
  | "debian"
  | "node"
  | "alpine"
  | "ubuntu"
  | "dotnet"
  | "go"
  | "php"
  | "ruby"
  | "java"
  | "nginx"
  | "httpd"
  | "postgres"
  | "redis";

/** Product names as messages print them. */
export const PRODUCT_NAMES: Record<EolProduct, string> = {
  python: "Python",
  debian: "Debian",
  node: "Node.js",
  alpine: "Alpine",
  ubuntu: "Ubuntu",
  dotnet: ".NET",
  go: "Go",
  php: "PHP",
  ruby: "Ruby",
  java: "Java",
  nginx: "nginx",
  httpd: "Apache httpd",
  postgres: "PostgreSQL",
  redis: "Redis",
};

export interface EolRow {
  product: EolProduct;
  /** The release cycle as it appears in tags: "3.9", "buster", "20", "3.18", "20.04". */
  cycle: string;
  /** Other spellings of the cycle in tags (Debian version numbers, Ubuntu code names). */
  aliases?: string[];
  /** The last day of security support, ISO date. */
  eol: string;
  /** Where the date is published. */
  source: string;
}

const PEP = (n: number) => `https://peps.python.org/pep-${String(n).padStart(4, "0")}/`;
const DEBIAN_LTS = "https://wiki.debian.org/LTS";
const NODE = "https://github.com/nodejs/Release (schedule.json)";
const ALPINE = "https://alpinelinux.org/releases/";
const UBUNTU = "https://ubuntu.com/about/release-cycle";
const DOTNET = "https://dotnet.microsoft.com/platform/support/policy/dotnet-core";
const GO = "https://go.dev/doc/devel/release (each release is supported until two newer majors exist)";
const PHP = "https://www.php.net/supported-versions.php";
const RUBY = "https://www.ruby-lang.org/en/downloads/branches/";
const JAVA = "https://adoptium.net/support/ (feature releases end with the next one)";
const NGINX = "https://nginx.org/en/download.html (a branch ends when the next stable branch is released)";
const HTTPD = "https://httpd.apache.org/ (2.2 end of life announcement)";
const POSTGRES = "https://www.postgresql.org/support/versioning/";
const REDIS = "https://redis.io/docs/latest/operate/rs/installing-upgrading/product-lifecycle/";

export const EOL_TABLE: readonly EolRow[] = [
  // Python: the release schedule PEP of each minor version states its end of life.
  { product: "python", cycle: "2.7", eol: "2020-01-01", source: PEP(373) },
  { product: "python", cycle: "3.5", eol: "2020-09-30", source: PEP(478) },
  { product: "python", cycle: "3.6", eol: "2021-12-23", source: PEP(494) },
  { product: "python", cycle: "3.7", eol: "2023-06-27", source: PEP(537) },
  { product: "python", cycle: "3.8", eol: "2024-10-07", source: PEP(569) },
  { product: "python", cycle: "3.9", eol: "2025-10-31", source: PEP(596) },
  { product: "python", cycle: "3.10", eol: "2026-10-31", source: PEP(619) },
  { product: "python", cycle: "3.11", eol: "2027-10-31", source: PEP(664) },
  { product: "python", cycle: "3.12", eol: "2028-10-31", source: PEP(693) },
  { product: "python", cycle: "3.13", eol: "2029-10-31", source: PEP(719) },
  { product: "python", cycle: "3.14", eol: "2030-10-31", source: PEP(745) },
  // Debian: the end of Long Term Support, the last security support of a release.
  { product: "debian", cycle: "jessie", aliases: ["8"], eol: "2020-06-30", source: DEBIAN_LTS },
  { product: "debian", cycle: "stretch", aliases: ["9"], eol: "2022-06-30", source: DEBIAN_LTS },
  { product: "debian", cycle: "buster", aliases: ["10"], eol: "2024-06-30", source: DEBIAN_LTS },
  { product: "debian", cycle: "bullseye", aliases: ["11"], eol: "2026-08-31", source: DEBIAN_LTS },
  { product: "debian", cycle: "bookworm", aliases: ["12"], eol: "2028-06-30", source: DEBIAN_LTS },
  { product: "debian", cycle: "trixie", aliases: ["13"], eol: "2030-06-30", source: DEBIAN_LTS },
  // Node.js: the release working group's schedule (end of maintenance).
  { product: "node", cycle: "12", eol: "2022-04-30", source: NODE },
  { product: "node", cycle: "14", eol: "2023-04-30", source: NODE },
  { product: "node", cycle: "16", eol: "2023-09-11", source: NODE },
  { product: "node", cycle: "17", eol: "2022-06-01", source: NODE },
  { product: "node", cycle: "18", eol: "2025-04-30", source: NODE },
  { product: "node", cycle: "19", eol: "2023-06-01", source: NODE },
  { product: "node", cycle: "20", eol: "2026-04-30", source: NODE },
  { product: "node", cycle: "21", eol: "2024-06-01", source: NODE },
  { product: "node", cycle: "22", eol: "2027-04-30", source: NODE },
  { product: "node", cycle: "23", eol: "2025-06-01", source: NODE },
  { product: "node", cycle: "24", eol: "2028-04-30", source: NODE },
  { product: "node", cycle: "25", eol: "2026-06-01", source: NODE },
  { product: "node", cycle: "26", eol: "2029-04-30", source: NODE },
  // Alpine: each branch's "end of support" column.
  { product: "alpine", cycle: "3.12", eol: "2022-05-01", source: ALPINE },
  { product: "alpine", cycle: "3.13", eol: "2022-11-01", source: ALPINE },
  { product: "alpine", cycle: "3.14", eol: "2023-05-01", source: ALPINE },
  { product: "alpine", cycle: "3.15", eol: "2023-11-01", source: ALPINE },
  { product: "alpine", cycle: "3.16", eol: "2024-05-23", source: ALPINE },
  { product: "alpine", cycle: "3.17", eol: "2024-11-22", source: ALPINE },
  { product: "alpine", cycle: "3.18", eol: "2025-05-09", source: ALPINE },
  { product: "alpine", cycle: "3.19", eol: "2025-11-01", source: ALPINE },
  { product: "alpine", cycle: "3.20", eol: "2026-04-01", source: ALPINE },
  { product: "alpine", cycle: "3.21", eol: "2026-11-01", source: ALPINE },
  { product: "alpine", cycle: "3.22", eol: "2027-05-01", source: ALPINE },
  { product: "alpine", cycle: "3.23", eol: "2027-11-01", source: ALPINE },
  // Ubuntu: end of standard support of each LTS.
  { product: "ubuntu", cycle: "16.04", aliases: ["xenial"], eol: "2021-04-30", source: UBUNTU },
  { product: "ubuntu", cycle: "18.04", aliases: ["bionic"], eol: "2023-05-31", source: UBUNTU },
  { product: "ubuntu", cycle: "20.04", aliases: ["focal"], eol: "2025-05-31", source: UBUNTU },
  { product: "ubuntu", cycle: "22.04", aliases: ["jammy"], eol: "2027-06-30", source: UBUNTU },
  { product: "ubuntu", cycle: "24.04", aliases: ["noble"], eol: "2029-05-31", source: UBUNTU },
  // .NET: Microsoft's support policy (LTS 3 years, STS 2 years since .NET 9).
  { product: "dotnet", cycle: "3.1", eol: "2022-12-13", source: DOTNET },
  { product: "dotnet", cycle: "5.0", eol: "2022-05-10", source: DOTNET },
  { product: "dotnet", cycle: "6.0", eol: "2024-11-12", source: DOTNET },
  { product: "dotnet", cycle: "7.0", eol: "2024-05-14", source: DOTNET },
  { product: "dotnet", cycle: "8.0", eol: "2026-11-10", source: DOTNET },
  { product: "dotnet", cycle: "9.0", eol: "2026-11-10", source: DOTNET },
  { product: "dotnet", cycle: "10.0", eol: "2028-11-14", source: DOTNET },
  // Go: a release is supported until the release two majors later ships.
  { product: "go", cycle: "1.18", eol: "2023-02-01", source: GO },
  { product: "go", cycle: "1.19", eol: "2023-08-08", source: GO },
  { product: "go", cycle: "1.20", eol: "2024-02-06", source: GO },
  { product: "go", cycle: "1.21", eol: "2024-08-13", source: GO },
  { product: "go", cycle: "1.22", eol: "2025-02-11", source: GO },
  { product: "go", cycle: "1.23", eol: "2025-08-12", source: GO },
  // PHP: end of security support.
  { product: "php", cycle: "7.3", eol: "2021-12-06", source: PHP },
  { product: "php", cycle: "7.4", eol: "2022-11-28", source: PHP },
  { product: "php", cycle: "8.0", eol: "2023-11-26", source: PHP },
  { product: "php", cycle: "8.1", eol: "2025-12-31", source: PHP },
  { product: "php", cycle: "8.2", eol: "2026-12-31", source: PHP },
  { product: "php", cycle: "8.3", eol: "2027-12-31", source: PHP },
  { product: "php", cycle: "8.4", eol: "2028-12-31", source: PHP },
  // Ruby: end of security maintenance of each branch.
  { product: "ruby", cycle: "2.7", eol: "2023-03-31", source: RUBY },
  { product: "ruby", cycle: "3.0", eol: "2024-04-23", source: RUBY },
  { product: "ruby", cycle: "3.1", eol: "2025-03-26", source: RUBY },
  { product: "ruby", cycle: "3.2", eol: "2026-03-31", source: RUBY },
  { product: "ruby", cycle: "3.3", eol: "2027-03-31", source: RUBY },
  { product: "ruby", cycle: "3.4", eol: "2028-03-31", source: RUBY },
  // Java: feature (non-LTS) releases end when the next one ships; LTS support differs by vendor, so LTS lines are not listed.
  { product: "java", cycle: "12", eol: "2019-09-17", source: JAVA },
  { product: "java", cycle: "13", eol: "2020-03-17", source: JAVA },
  { product: "java", cycle: "14", eol: "2020-09-15", source: JAVA },
  { product: "java", cycle: "15", eol: "2021-03-16", source: JAVA },
  { product: "java", cycle: "16", eol: "2021-09-14", source: JAVA },
  { product: "java", cycle: "18", eol: "2022-09-20", source: JAVA },
  { product: "java", cycle: "19", eol: "2023-03-21", source: JAVA },
  { product: "java", cycle: "20", eol: "2023-09-19", source: JAVA },
  { product: "java", cycle: "22", eol: "2024-09-17", source: JAVA },
  { product: "java", cycle: "23", eol: "2025-03-18", source: JAVA },
  { product: "java", cycle: "24", eol: "2025-09-16", source: JAVA },
  // nginx: a mainline (odd) or stable (even) branch gets no fixes once the next stable branch is out.
  { product: "nginx", cycle: "1.14", eol: "2019-04-23", source: NGINX },
  { product: "nginx", cycle: "1.15", eol: "2019-04-23", source: NGINX },
  { product: "nginx", cycle: "1.16", eol: "2020-04-21", source: NGINX },
  { product: "nginx", cycle: "1.17", eol: "2020-04-21", source: NGINX },
  { product: "nginx", cycle: "1.18", eol: "2021-05-25", source: NGINX },
  { product: "nginx", cycle: "1.19", eol: "2021-05-25", source: NGINX },
  { product: "nginx", cycle: "1.20", eol: "2022-05-24", source: NGINX },
  { product: "nginx", cycle: "1.21", eol: "2022-05-24", source: NGINX },
  { product: "nginx", cycle: "1.22", eol: "2023-04-11", source: NGINX },
  { product: "nginx", cycle: "1.23", eol: "2023-04-11", source: NGINX },
  { product: "nginx", cycle: "1.24", eol: "2024-04-23", source: NGINX },
  { product: "nginx", cycle: "1.25", eol: "2024-04-23", source: NGINX },
  // Apache httpd: 2.2 ended with its last release; 2.4 is the supported line.
  { product: "httpd", cycle: "2.2", eol: "2017-12-31", source: HTTPD },
  // PostgreSQL: five years of support per major version.
  { product: "postgres", cycle: "9.6", eol: "2021-11-11", source: POSTGRES },
  { product: "postgres", cycle: "10", eol: "2022-11-10", source: POSTGRES },
  { product: "postgres", cycle: "11", eol: "2023-11-09", source: POSTGRES },
  { product: "postgres", cycle: "12", eol: "2024-11-21", source: POSTGRES },
  { product: "postgres", cycle: "13", eol: "2025-11-13", source: POSTGRES },
  { product: "postgres", cycle: "14", eol: "2026-11-12", source: POSTGRES },
  { product: "postgres", cycle: "15", eol: "2027-11-11", source: POSTGRES },
  { product: "postgres", cycle: "16", eol: "2028-11-09", source: POSTGRES },
  { product: "postgres", cycle: "17", eol: "2029-11-08", source: POSTGRES },
  // Redis: the latest release, the previous minor and the previous major's last minor are supported; 6.0 ended when 7.2 shipped.
  { product: "redis", cycle: "6.0", eol: "2023-08-15", source: REDIS },
];

/** Versions older than the oldest row of a product are end of life too (e.g. Node 10, Python 3.4). */
const OLDER_THAN_TABLE: Partial<Record<EolProduct, (cycle: string) => boolean>> = {
  python: (c) => {
    const [maj, min] = c.split(".").map(Number);
    return maj === 2 || (maj === 3 && min !== undefined && min < 5);
  },
  node: (c) => c.startsWith("0.") || Number(c) < 12,
  alpine: (c) => {
    const [maj, min] = c.split(".").map(Number);
    return (maj ?? 0) < 3 || (maj === 3 && min !== undefined && min < 12);
  },
  debian: (c) => ["wheezy", "squeeze", "lenny", "7", "6", "5"].includes(c),
  dotnet: (c) => Number(c) < 3.1,
  go: (c) => /^1\.(\d+)$/.test(c) && Number(c.split(".")[1]) < 18,
  php: (c) => Number(c.split(".")[0]) < 7 || c === "7.0" || c === "7.1" || c === "7.2",
  ruby: (c) => Number(c.split(".")[0]) < 2 || (c.startsWith("2.") && Number(c.split(".")[1]) < 7),
  nginx: (c) => /^1\.(\d+)$/.test(c) && Number(c.split(".")[1]) < 14,
  httpd: (c) => c === "2.0",
  postgres: (c) => /^9\.[0-5]$/.test(c) || /^[1-8]\./.test(c),
  redis: (c) => Number(c.split(".")[0]) < 6,
};

export interface EolVerdict {
  product: EolProduct;
  cycle: string;
  eol: string;
  source: string;
  /** Whole days until (negative: since) the end of life, measured from `now`. */
  daysLeft: number;
}

export function lookupEol(product: EolProduct, cycle: string, now: Date): EolVerdict | undefined {
  const row = EOL_TABLE.find(
    (r) => r.product === product && (r.cycle === cycle || r.aliases?.includes(cycle)),
  );
  if (row) return { ...row, cycle: row.cycle, daysLeft: daysBetween(now, new Date(`${row.eol}T23:59:59Z`)) };
  if (OLDER_THAN_TABLE[product]?.(cycle)) {
    const oldest = EOL_TABLE.find((r) => r.product === product);
    if (oldest === undefined) throw new Error(`internal: no EOL_TABLE row for ${product}`);
    return {
      product,
      cycle,
      eol: `before ${oldest.eol}`,
      source: oldest.source,
      daysLeft: daysBetween(now, new Date(`${oldest.eol}T00:00:00Z`)),
    };
  }
  return undefined;
}

function daysBetween(from: Date, to: Date): number {
  return Math.floor((to.getTime() - from.getTime()) / 86_400_000);
}

const DEBIAN_CODENAMES = ["jessie", "stretch", "buster", "bullseye", "bookworm", "trixie", "wheezy"];
const UBUNTU_CODENAMES = ["xenial", "bionic", "focal", "jammy", "noble"];

/**
 * What an image reference says about the runtimes and distribution inside it,
 * from its repository name and tag (`python:3.9-slim-buster`, `node:18-alpine3.17`,
 * `debian:10`), and the interpreter that third-party images name in their tag
 * (`tiangolo/uvicorn-gunicorn-fastapi:python3.9`, `nikolaik/python-nodejs:python3.10-nodejs18`).
 */
export function releasesInImage(
  image: string,
  tag: string | undefined,
): Array<{ product: EolProduct; cycle: string }> {
  const repo = image.toLowerCase().split("/").pop() ?? "";
  const t = (tag ?? "").toLowerCase();
  const out: Array<{ product: EolProduct; cycle: string }> = [];
  const parts = t.split("-");
  if (repo === "python" || repo === "pypy") {
    const m = /^(\d+)\.(\d+)/.exec(t);
    if (m && repo === "python") out.push({ product: "python", cycle: `${m[1]}.${m[2]}` });
    else if (/^2(\D|$)/.test(t)) out.push({ product: "python", cycle: "2.7" });
  }
  if (repo === "node") {
    // Before io.js merged, Node lines were 0.10 and 0.12: keep the minor, or the message says "Node.js 0".
    const cycle = /^(0\.\d+|\d+)(\D|$)/.exec(t)?.[1];
    if (cycle !== undefined) out.push({ product: "node", cycle });
  }
  if (repo === "debian") {
    const cycle = /^(\d+)(\D|$)/.exec(t)?.[1];
    const first = parts[0];
    if (cycle !== undefined) out.push({ product: "debian", cycle });
    else if (first !== undefined && DEBIAN_CODENAMES.includes(first))
      out.push({ product: "debian", cycle: first });
  }
  if (repo === "ubuntu") {
    const cycle = /^(\d+\.\d+)/.exec(t)?.[1];
    const first = parts[0];
    if (cycle !== undefined) out.push({ product: "ubuntu", cycle });
    else if (first !== undefined && UBUNTU_CODENAMES.includes(first))
      out.push({ product: "ubuntu", cycle: first });
  }
  if (repo === "alpine") {
    const cycle = /^(\d+\.\d+)/.exec(t)?.[1];
    if (cycle !== undefined) out.push({ product: "alpine", cycle });
  }
  const minor = /^(\d+)\.(\d+)(\D|$)/.exec(t);
  const major = /^(\d+)(\D|$)/.exec(t)?.[1];
  // Official .NET images live at mcr.microsoft.com/dotnet/{sdk,aspnet,runtime,runtime-deps}.
  if (/(^|\/)dotnet\/(sdk|aspnet|runtime|runtime-deps)$/.test(image.toLowerCase()) && minor)
    out.push({ product: "dotnet", cycle: `${minor[1]}.${minor[2]}` });
  if (repo === "golang" && minor) out.push({ product: "go", cycle: `${minor[1]}.${minor[2]}` });
  if (repo === "php" && minor) out.push({ product: "php", cycle: `${minor[1]}.${minor[2]}` });
  if (repo === "ruby" && minor) out.push({ product: "ruby", cycle: `${minor[1]}.${minor[2]}` });
  if (["openjdk", "eclipse-temurin", "amazoncorretto", "sapmachine"].includes(repo) && major !== undefined)
    out.push({ product: "java", cycle: major });
  if (repo === "nginx" && minor) out.push({ product: "nginx", cycle: `${minor[1]}.${minor[2]}` });
  if (repo === "httpd" && minor) out.push({ product: "httpd", cycle: `${minor[1]}.${minor[2]}` });
  if (repo === "postgres" && major !== undefined)
    out.push({
      product: "postgres",
      cycle: Number(major) >= 10 ? major : minor ? `${minor[1]}.${minor[2]}` : major,
    });
  if (repo === "redis" && minor) out.push({ product: "redis", cycle: `${minor[1]}.${minor[2]}` });
  // Third-party images name the interpreter they carry in a tag part: python3.9, nodejs18, node20.
  if (repo !== "python" && repo !== "pypy" && repo !== "node") {
    for (const p of parts) {
      const py = /^python(\d)\.(\d+)$/.exec(p);
      if (py) out.push({ product: "python", cycle: `${py[1]}.${py[2]}` });
      const js = /^node(?:js)?(\d+)$/.exec(p)?.[1];
      if (js !== undefined) out.push({ product: "node", cycle: js });
    }
  }
  if (repo !== "debian" && repo !== "ubuntu" && repo !== "alpine") {
    // Variant suffixes of language images: -buster, -slim-bullseye, -alpine3.17; or the whole tag (rust:buster).
    for (const p of parts) {
      if (DEBIAN_CODENAMES.includes(p)) out.push({ product: "debian", cycle: p });
      if (UBUNTU_CODENAMES.includes(p)) out.push({ product: "ubuntu", cycle: p });
      const a = /^alpine(\d+\.\d+)$/.exec(p)?.[1];
      if (a !== undefined) out.push({ product: "alpine", cycle: a });
    }
  }
  return out;
}
